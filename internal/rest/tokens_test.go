package rest_test

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// badTokens returns tokens every route must refuse with 401, by what is
// wrong with them.
func badTokens(t *testing.T, tenant uuid.UUID) map[string]string {
	t.Helper()
	now := time.Now()
	claims := func(mod func(jwt.MapClaims)) jwt.MapClaims {
		c := jwt.MapClaims{"sub": "x", "tenant_id": tenant.String(), "scope": "dataservice_external conversations.write",
			"iss": "dailyreports", "aud": "dailyreports", "iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(time.Hour).Unix()}
		if mod != nil {
			mod(c)
		}
		return c
	}
	sign := func(m jwt.SigningMethod, key any, c jwt.MapClaims) string {
		s, err := jwt.NewWithClaims(m, c).SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	key := []byte(apptest.SigningKey)
	return map[string]string{
		"alg none":               sign(jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, claims(nil)),
		"another HS256 key":      sign(jwt.SigningMethodHS256, []byte("another-key-another-key-another-key!!"), claims(nil)),
		"RS256 (confusion)":      sign(jwt.SigningMethodRS256, rsaKey, claims(nil)),
		"HS512 right key":        sign(jwt.SigningMethodHS512, key, claims(nil)),
		"expired":                sign(jwt.SigningMethodHS256, key, claims(func(c jwt.MapClaims) { c["exp"] = now.Add(-time.Hour).Unix() })),
		"not yet valid":          sign(jwt.SigningMethodHS256, key, claims(func(c jwt.MapClaims) { c["nbf"] = now.Add(time.Hour).Unix() })),
		"missing exp":            sign(jwt.SigningMethodHS256, key, claims(func(c jwt.MapClaims) { delete(c, "exp") })),
		"wrong iss":              sign(jwt.SigningMethodHS256, key, claims(func(c jwt.MapClaims) { c["iss"] = "someone-else" })),
		"wrong aud":              sign(jwt.SigningMethodHS256, key, claims(func(c jwt.MapClaims) { c["aud"] = "someone-else" })),
		"garbage":                "not.a.token",
		"tenant with host scope": sign(jwt.SigningMethodHS256, key, claims(func(c jwt.MapClaims) { c["scope"] = "host_admin" })),
	}
}

// Every route refuses every kind of bad token with 401 (GraphQL with
// UNAUTHENTICATED), and a token in the query string is refused too.
func TestTokenMatrixOnEveryRoute(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	tenant := e.Tenant("acme", true, 1)
	day := yesterday().Format("2006-01-02")
	good := e.Token(tenant, viewer.ScopeReportsRead, viewer.ScopeConversationsWrite)
	conv, _ := json.Marshal([]apptest.Conv{apptest.NewConv("c-1", yesterday().Add(time.Hour))})
	gql := []byte(`{"query":"{ viewer { subject } }"}`)
	routes := []struct {
		name, method, path string
		body               []byte
		ctype              string
	}{
		{"fetch zip", http.MethodGet, apptest.ReportPath(day, 1, true), nil, ""},
		{"fetch json", http.MethodGet, apptest.ReportPath(day, 1, false), nil, ""},
		{"fetch head", http.MethodHead, apptest.ReportPath(day, 1, true), nil, ""},
		{"ingest", http.MethodPost, "/api/external/conversations", conv, "application/json"},
		{"graphql", http.MethodPost, "/graphql", gql, "application/json"},
	}
	for _, r := range routes {
		for name, tok := range badTokens(t, tenant) {
			t.Run(r.name+"/"+name, func(t *testing.T) {
				resp := e.Do(r.method, r.path, tok, r.body, "Content-Type", r.ctype)
				checkRefused(t, r.name, resp)
			})
		}
		t.Run(r.name+"/query string", func(t *testing.T) {
			sep := "?"
			if bytes.ContainsRune([]byte(r.path), '?') {
				sep = "&"
			}
			resp := e.Do(r.method, r.path+sep+"access_token="+good, "", r.body, "Content-Type", r.ctype)
			checkRefused(t, r.name, resp)
		})
		t.Run(r.name+"/good token", func(t *testing.T) {
			resp := e.Do(r.method, r.path, good, r.body, "Content-Type", r.ctype)
			if b := apptest.Read(t, resp); resp.StatusCode != 200 || bytes.Contains(b, []byte("UNAUTHENTICATED")) {
				t.Fatalf("good token refused: %d %s", resp.StatusCode, b)
			}
		})
	}
}

// checkRefused asserts an authentication failure: 401 on REST, an
// UNAUTHENTICATED error and no data on GraphQL.
func checkRefused(t *testing.T, route string, resp *http.Response) {
	t.Helper()
	b := apptest.Read(t, resp)
	if route != "graphql" {
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("status %d, want 401: %s", resp.StatusCode, b)
		}
		return
	}
	var out struct {
		Data   map[string]any
		Errors []struct{ Extensions struct{ Code string } }
	}
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("graphql answer %q: %v", b, err)
	}
	if len(out.Errors) == 0 || out.Errors[0].Extensions.Code != "UNAUTHENTICATED" || out.Data["viewer"] != nil {
		t.Fatalf("graphql answer %s, want UNAUTHENTICATED and no data", b)
	}
}
