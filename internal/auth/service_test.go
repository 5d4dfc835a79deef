package auth_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// serviceToken signs claims of the test service's own tokens, changed by
// edit, with header parameters added from header.
func serviceToken(t *testing.T, tenant uuid.UUID, scope string, edit func(jwt.MapClaims), header map[string]any) string {
	t.Helper()
	now := time.Now()
	c := jwt.MapClaims{"sub": "client-1", "scope": scope, "iss": "dailyreports", "aud": "dailyreports",
		"iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(time.Hour).Unix()}
	if tenant != uuid.Nil {
		c["tenant_id"] = tenant.String()
	}
	if edit != nil {
		edit(c)
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, c)
	for k, v := range header {
		tok.Header[k] = v
	}
	s, err := tok.SignedString([]byte(apptest.SigningKey))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Tokens signed with the right key but malformed are refused on REST (401)
// and GraphQL (UNAUTHENTICATED, nothing done): a sub the audit log could not
// store, a NumericDate sent as a string, a crit header, and scopes separated
// by a tab.
func TestServiceRefusesMalformedSignedTokens(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	tenant := e.Tenant("acme", true, 1)
	read, host := viewer.ScopeReportsRead, viewer.ScopeHostAdmin
	set := func(k string, v any) func(jwt.MapClaims) { return func(c jwt.MapClaims) { c[k] = v } }
	exp := strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10)
	crit := map[string]any{"crit": []string{"exp"}}
	cases := map[string]struct {
		tenant uuid.UUID
		token  string
	}{
		"NUL in sub":              {tenant, serviceToken(t, tenant, read, set("sub", "client\x00-1"), nil)},
		"NUL in a host's sub":     {uuid.Nil, serviceToken(t, uuid.Nil, host, set("sub", "admin\x00"), nil)},
		"newline in a host's sub": {uuid.Nil, serviceToken(t, uuid.Nil, host, set("sub", "admin\nforged line"), nil)},
		"long sub":                {tenant, serviceToken(t, tenant, read, set("sub", strings.Repeat("s", 257)), nil)},
		"exp as a string":         {tenant, serviceToken(t, tenant, read, set("exp", exp), nil)},
		"host exp as a string":    {uuid.Nil, serviceToken(t, uuid.Nil, host, set("exp", exp), nil)},
		"crit header":             {tenant, serviceToken(t, tenant, read, nil, crit)},
		"tab-separated scope":     {tenant, serviceToken(t, tenant, read+"\tconversations.write", nil, nil)},
		"tab before host_admin":   {uuid.Nil, serviceToken(t, uuid.Nil, "x\t"+host, nil, nil)},
	}
	day := time.Now().UTC().AddDate(0, 0, -1).Format("2006-01-02")
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var headers []string
			if tc.tenant == uuid.Nil {
				headers = []string{"X-Tenant-Id", tenant.String()}
			}
			resp := e.Do(http.MethodGet, apptest.ReportPath(day, 3, false), tc.token, nil, headers...)
			if b := apptest.Read(t, resp); resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("REST: %d %s, want 401", resp.StatusCode, b)
			}
			query := `{ viewer { subject } }`
			if tc.tenant == uuid.Nil {
				query = `mutation { createTenant(input: {name: "forged"}) { id } }`
			}
			if code, raw := graphqlCode(t, e, tc.token, query); code != "UNAUTHENTICATED" {
				t.Errorf("GraphQL: %s, want UNAUTHENTICATED", raw)
			}
		})
	}
	ts, err := e.App.Store.Tenants(apptest.System())
	if err != nil || len(ts) != 1 {
		t.Fatalf("tenants %v, %v: a refused token created one", ts, err)
	}
	// The same tokens, well-formed, work: the refusals are about the flaw.
	resp := e.Do(http.MethodGet, apptest.ReportPath(day, 3, false), serviceToken(t, tenant, read, nil, nil), nil)
	if b := apptest.Read(t, resp); resp.StatusCode != http.StatusOK {
		t.Fatalf("a well-formed token: %d %s", resp.StatusCode, b)
	}
}

// graphqlCode posts query and returns its first error's code and the answer.
func graphqlCode(t *testing.T, e *apptest.Env, token, query string) (string, []byte) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query})
	resp := e.Do(http.MethodPost, "/graphql", token, body, "Content-Type", "application/json")
	raw := apptest.Read(t, resp)
	var r struct {
		Data   map[string]any
		Errors []struct{ Extensions struct{ Code string } }
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatalf("graphql answer %s: %v", raw, err)
	}
	for _, v := range r.Data {
		if v != nil {
			return "", raw // something was answered or done
		}
	}
	if len(r.Errors) == 0 {
		return "", raw
	}
	return r.Errors[0].Extensions.Code, raw
}
