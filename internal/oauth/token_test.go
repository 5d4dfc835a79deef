package oauth_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

type client struct{ ClientId, ClientSecret string }

// graphql posts an operation and decodes its data into v.
func graphql(t *testing.T, e *apptest.Env, token, query string, vars map[string]any, v any) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	resp := e.Do(http.MethodPost, "/graphql", token, body, "Content-Type", "application/json")
	raw := apptest.Read(t, resp)
	var r struct {
		Data   json.RawMessage
		Errors []any
	}
	if err := json.Unmarshal(raw, &r); err != nil || len(r.Errors) > 0 {
		t.Fatalf("graphql: %s", raw)
	}
	if err := json.Unmarshal(r.Data, v); err != nil {
		t.Fatal(err)
	}
}

func newClient(t *testing.T, e *apptest.Env, tenant *uuid.UUID, scopes ...string) client {
	t.Helper()
	in := map[string]any{"name": "dashboard", "scopes": scopes}
	if tenant != nil {
		in["tenantId"] = tenant.String()
	}
	var d struct{ CreateApiClient client }
	graphql(t, e, e.Token(uuid.Nil, viewer.ScopeHostAdmin),
		`mutation($in: CreateApiClientInput!) { createApiClient(input: $in) { clientId clientSecret } }`, map[string]any{"in": in}, &d)
	return d.CreateApiClient
}

// tokenRequest posts form to /connect/token, with HTTP Basic when basic is
// set ("id:secret", form-encoded per RFC 6749 §2.3.1).
func tokenRequest(t *testing.T, e *apptest.Env, form url.Values, basic *client, headers ...string) (int, http.Header, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.URL+"/connect/token", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	if basic != nil {
		req.SetBasicAuth(url.QueryEscape(basic.ClientId), url.QueryEscape(basic.ClientSecret))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw := apptest.Read(t, resp)
	var body map[string]any
	if err := json.Unmarshal(raw, &body); err != nil {
		t.Fatalf("token answer is not JSON (%d): %s", resp.StatusCode, raw)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Fatalf("Cache-Control %q", cc)
	}
	return resp.StatusCode, resp.Header, body
}

func TestClientCredentialsFlow(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	tenant := e.Tenant("acme", true, 1)
	c := newClient(t, e, &tenant, viewer.ScopeReportsRead, viewer.ScopeConversationsWrite)
	grant := url.Values{"grant_type": {"client_credentials"}}

	// HTTP Basic: every scope of the client.
	status, _, body := tokenRequest(t, e, grant, &c)
	if status != http.StatusOK || body["token_type"] != "Bearer" || body["expires_in"] != 3600.0 ||
		body["scope"] != "conversations.write dataservice_external" || body["access_token"] == "" {
		t.Fatalf("token answer %d %v", status, body)
	}
	token := body["access_token"].(string)
	start := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -1).Add(9 * time.Hour)
	e.Ingest(token, []apptest.Conv{apptest.NewConv("c-1", start)}) // conversations.write works
	resp := e.Do(http.MethodGet, apptest.ReportPath(start.Format("2006-01-02"), 9, false), token, nil)
	if doc := apptest.DecodeDoc(t, apptest.Read(t, resp)); resp.StatusCode != http.StatusOK || doc.ConversationCount != 1 {
		t.Fatalf("REST with the issued token: %d %+v", resp.StatusCode, doc)
	}
	var v struct {
		Viewer struct {
			Subject string
			Tenant  struct{ ID string }
		}
	}
	graphql(t, e, token, `{ viewer { subject tenant { id } } }`, nil, &v)
	if v.Viewer.Subject != c.ClientId || v.Viewer.Tenant.ID != tenant.String() {
		t.Fatalf("viewer of the issued token: %+v", v.Viewer)
	}

	// Form fields, narrowed to one scope: the token carries only that one.
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {c.ClientId}, "client_secret": {c.ClientSecret}, "scope": {"dataservice_external  dataservice_external"}}
	status, _, body = tokenRequest(t, e, form, nil)
	if status != http.StatusOK || body["scope"] != "dataservice_external" {
		t.Fatalf("narrowed token %d %v", status, body)
	}
	narrow := body["access_token"].(string)
	resp = e.Do(http.MethodPost, "/api/external/conversations", narrow, []byte("[]"), "Content-Type", "application/json")
	if apptest.Read(t, resp); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("narrowed token ingested: %d", resp.StatusCode)
	}
	resp = e.Do(http.MethodGet, apptest.ReportPath(start.Format("2006-01-02"), 9, true), narrow, nil)
	if apptest.Read(t, resp); resp.StatusCode != http.StatusOK {
		t.Fatalf("narrowed token on REST: %d", resp.StatusCode)
	}

	// A host client's token administers tenants.
	h := newClient(t, e, nil, viewer.ScopeHostAdmin)
	status, _, body = tokenRequest(t, e, grant, &h)
	if status != http.StatusOK || body["scope"] != "host_admin" {
		t.Fatalf("host token %d %v", status, body)
	}
	var ts struct{ Tenants struct{ TotalCount int } }
	graphql(t, e, body["access_token"].(string), `{ tenants { totalCount } }`, nil, &ts)
	if ts.Tenants.TotalCount != 1 {
		t.Fatalf("tenants seen by the host client: %d", ts.Tenants.TotalCount)
	}
}

func TestTokenErrors(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	tenant := e.Tenant("acme", true, 1)
	c := newClient(t, e, &tenant, viewer.ScopeReportsRead)
	revoked := newClient(t, e, &tenant, viewer.ScopeReportsRead)
	graphql(t, e, e.Token(uuid.Nil, viewer.ScopeHostAdmin), `mutation($id: String!) { revokeApiClient(clientId: $id) }`,
		map[string]any{"id": revoked.ClientId}, &struct{}{})
	grant := url.Values{"grant_type": {"client_credentials"}}
	wrong := client{c.ClientId, c.ClientSecret + "x"}
	unknown := client{"drc_" + strings.Repeat("x", 26), c.ClientSecret}
	form := func(kv ...string) url.Values {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Add(kv[i], kv[i+1])
		}
		return v
	}
	cases := []struct {
		name    string
		form    url.Values
		basic   *client
		headers []string
		status  int
		code    string
	}{
		{"wrong secret", grant, &wrong, nil, 401, "invalid_client"},
		{"unknown client", grant, &unknown, nil, 401, "invalid_client"},
		{"revoked client", grant, &revoked, nil, 401, "invalid_client"},
		{"wrong secret in the form", form("grant_type", "client_credentials", "client_id", c.ClientId, "client_secret", "x"), nil, nil, 401, "invalid_client"},
		{"no credentials", grant, nil, nil, 401, "invalid_client"},
		{"bearer instead of basic", grant, nil, []string{"Authorization", "Bearer " + e.Token(tenant, "dataservice_external")}, 401, "invalid_client"},
		{"two methods", form("grant_type", "client_credentials", "client_secret", c.ClientSecret), &c, nil, 400, "invalid_request"},
		{"no grant_type", url.Values{}, &c, nil, 400, "invalid_request"},
		{"password grant", form("grant_type", "password"), &c, nil, 400, "unsupported_grant_type"},
		{"scope beyond the client's", form("grant_type", "client_credentials", "scope", "dataservice_external conversations.write"), &c, nil, 400, "invalid_scope"},
		{"host scope", form("grant_type", "client_credentials", "scope", "host_admin"), &c, nil, 400, "invalid_scope"},
		{"repeated parameter", form("grant_type", "client_credentials", "grant_type", "client_credentials"), &c, nil, 400, "invalid_request"},
		{"wrong content type", grant, &c, []string{"Content-Type", "application/json"}, 400, "invalid_request"},
	}
	var answers = map[string][]byte{}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, hdr, body := tokenRequest(t, e, tc.form, tc.basic, tc.headers...)
			if status != tc.status || body["error"] != tc.code {
				t.Fatalf("%d %v, want %d %s", status, body, tc.status, tc.code)
			}
			if _, ok := body["access_token"]; ok {
				t.Fatal("token issued")
			}
			if status == 401 && !strings.HasPrefix(hdr.Get("WWW-Authenticate"), "Basic") {
				t.Fatalf("WWW-Authenticate %q", hdr.Get("WWW-Authenticate"))
			}
			b, _ := json.Marshal(body)
			answers[tc.name] = b
		})
	}
	if string(answers["wrong secret"]) != string(answers["unknown client"]) || string(answers["wrong secret"]) != string(answers["revoked client"]) {
		t.Fatalf("wrong secret, unknown and revoked clients answer differently: %s %s %s", answers["wrong secret"], answers["unknown client"], answers["revoked client"])
	}

	// Parameters in the query string are refused, and GET is not allowed.
	req, _ := http.NewRequest(http.MethodPost, e.URL+"/connect/token?client_secret=x", strings.NewReader(grant.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(c.ClientId, c.ClientSecret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if apptest.Read(t, resp); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("query string: %d", resp.StatusCode)
	}
	resp = e.Do(http.MethodGet, "/connect/token", "", nil)
	if apptest.Read(t, resp); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("GET: %d", resp.StatusCode)
	}
}
