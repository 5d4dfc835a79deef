package oauth_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/oauth"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// driverText are fragments of PostgreSQL's and lib/pq's messages for text it
// refuses; no answer or error log may carry them.
var driverText = []string{"pq:", "invalid byte sequence", "UTF8", "0x00", "SQLSTATE"}

// logBuffer is a JSON log written by concurrent handlers.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// basicHeader is an Authorization header of HTTP Basic with user and pass
// exactly as given, not form-encoded first.
func basicHeader(user, pass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
}

// A client id PostgreSQL cannot take as text (NUL, invalid UTF-8) or that
// no client can have is an unknown client: 401 invalid_client, with no
// driver text in the answer or the log, over HTTP Basic and in the form.
func TestTokenMalformedClientID(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	tenant := e.Tenant("acme", true, 1)
	c := newClient(t, e, &tenant, viewer.ScopeReportsRead)
	var log logBuffer
	h := &oauth.Handler{Clients: &oauth.Clients{Store: e.App.Store}, Issuer: e.App.Signer,
		Log: slog.New(slog.NewJSONHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)

	grant := func(kv ...string) url.Values {
		v := url.Values{"grant_type": {"client_credentials"}}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	cases := []struct {
		name string
		form url.Values
		auth string
	}{
		{"NUL in the form", grant("client_id", "drc_\x00", "client_secret", c.ClientSecret), ""},
		{"NUL in the form, a real id before it", grant("client_id", c.ClientId+"\x00", "client_secret", c.ClientSecret), ""},
		{"invalid UTF-8 in the form", grant("client_id", "drc_\xff\xfe", "client_secret", c.ClientSecret), ""},
		{"newline in the form", grant("client_id", "drc_\nx", "client_secret", c.ClientSecret), ""},
		{"long id in the form", grant("client_id", "drc_"+strings.Repeat("x", 100), "client_secret", c.ClientSecret), ""},
		{"NUL in Basic, form-encoded", grant(), basicHeader("drc_%00", url.QueryEscape(c.ClientSecret))},
		{"invalid UTF-8 in Basic, form-encoded", grant(), basicHeader("drc_%FF", url.QueryEscape(c.ClientSecret))},
		{"NUL in Basic, raw", grant(), basicHeader("drc_\x00", c.ClientSecret)},
		{"invalid UTF-8 in Basic, raw", grant(), basicHeader("drc_\xff\xfe", c.ClientSecret)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, base := range []string{e.URL, srv.URL} { // the service, and the handler with its log
				req, _ := http.NewRequest(http.MethodPost, base+"/connect/token", strings.NewReader(tc.form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				if tc.auth != "" {
					req.Header.Set("Authorization", tc.auth)
				}
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				body := apptest.Read(t, resp)
				var got struct{ Error string }
				if err := json.Unmarshal(body, &got); err != nil || resp.StatusCode != http.StatusUnauthorized || got.Error != "invalid_client" {
					t.Fatalf("%s: %d %s, want 401 invalid_client", base, resp.StatusCode, body)
				}
				for _, frag := range driverText {
					if strings.Contains(string(body), frag) {
						t.Fatalf("answer carries driver text %q: %s", frag, body)
					}
				}
			}
		})
	}
	out := log.String()
	if strings.Contains(out, `"level":"ERROR"`) {
		t.Errorf("errors logged: %s", out)
	}
	for _, frag := range driverText {
		if strings.Contains(out, frag) {
			t.Errorf("log carries driver text %q: %s", frag, out)
		}
	}
	// The real client still gets its token: nothing above touched it.
	if status, _, body := tokenRequest(t, e, url.Values{"grant_type": {"client_credentials"}}, &c); status != http.StatusOK {
		t.Fatalf("the client's own request: %d %v", status, body)
	}
}

// Scope tokens are separated by spaces only (RFC 6749 §3.3): a tab or a
// newline makes the scope malformed, never a second token.
func TestTokenScopeSeparators(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	tenant := e.Tenant("acme", true, 1)
	c := newClient(t, e, &tenant, viewer.ScopeReportsRead, viewer.ScopeConversationsWrite)
	for _, scope := range []string{
		"dataservice_external\tconversations.write",
		"dataservice_external\nconversations.write",
		"dataservice_external\x00",
		"dataservice_external\u00a0conversations.write",
	} {
		status, _, body := tokenRequest(t, e, url.Values{"grant_type": {"client_credentials"}, "scope": {scope}}, &c)
		if status != http.StatusBadRequest || body["error"] != "invalid_scope" {
			t.Errorf("scope %q: %d %v, want 400 invalid_scope", scope, status, body)
		}
	}
	status, _, body := tokenRequest(t, e, url.Values{"grant_type": {"client_credentials"}, "scope": {" conversations.write  dataservice_external "}}, &c)
	if status != http.StatusOK || body["scope"] != "conversations.write dataservice_external" {
		t.Errorf("space-separated scope: %d %v", status, body)
	}
}

// The administration of API clients refuses names the database cannot
// store and treats client ids no client can have as unknown.
func TestClientAdministrationMalformedInput(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	tenant := e.Tenant("acme", true, 1)
	host := e.Token(uuid.Nil, viewer.ScopeHostAdmin)
	create := `mutation($in: CreateApiClientInput!) { createApiClient(input: $in) { clientId } }`
	for _, name := range []string{"dash\x00board", "dash\nboard", "\t", strings.Repeat("n", 201)} {
		in := map[string]any{"tenantId": tenant.String(), "name": name, "scopes": []string{viewer.ScopeReportsRead}}
		if code := graphqlCode(t, e, host, create, map[string]any{"in": in}); code != "BAD_USER_INPUT" {
			t.Errorf("name %q: code %q, want BAD_USER_INPUT", name, code)
		}
	}
	in := map[string]any{"tenantId": tenant.String(), "name": "dashboard", "scopes": []string{"dataservice_external\x00"}}
	if code := graphqlCode(t, e, host, create, map[string]any{"in": in}); code != "BAD_USER_INPUT" {
		t.Errorf("NUL in a scope: code %q, want BAD_USER_INPUT", code)
	}
	revoke := `mutation($id: String!) { revokeApiClient(clientId: $id) }`
	for _, id := range []string{"drc_\x00", "drc_\nx", strings.Repeat("x", 65)} {
		if code := graphqlCode(t, e, host, revoke, map[string]any{"id": id}); code != "NOT_FOUND" {
			t.Errorf("revoke %q: code %q, want NOT_FOUND", id, code)
		}
	}
}

// graphqlCode posts an operation and returns the code of its first error,
// "" when it has none.
func graphqlCode(t *testing.T, e *apptest.Env, token, query string, vars map[string]any) string {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	resp := e.Do(http.MethodPost, "/graphql", token, body, "Content-Type", "application/json")
	raw := apptest.Read(t, resp)
	var r struct {
		Errors []struct {
			Message    string
			Extensions struct{ Code string }
		}
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatalf("graphql answer %s: %v", raw, err)
	}
	for _, frag := range driverText {
		if strings.Contains(string(raw), frag) {
			t.Fatalf("answer carries driver text %q: %s", frag, raw)
		}
	}
	if len(r.Errors) == 0 {
		return ""
	}
	return r.Errors[0].Extensions.Code
}
