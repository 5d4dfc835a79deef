package admin_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// createTenant refuses names PostgreSQL cannot store (NUL) and names with
// control characters as BAD_USER_INPUT saying what a name must be, never
// INTERNAL, and creates nothing.
func TestCreateTenantRefusesBadNames(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	host := e.Token(uuid.Nil, viewer.ScopeHostAdmin)
	for _, name := range []string{"Ac\x00me", "\x00", "Ac\nme", "Ac\tme", "Ac\u0085me", "Ac\u007fme"} {
		errs := createTenant(t, e, host, name)
		if len(errs) != 1 || errs[0].Extensions.Code != "BAD_USER_INPUT" || !strings.Contains(errs[0].Message, "control characters") {
			t.Errorf("name %q: %+v, want BAD_USER_INPUT about control characters", name, errs)
		}
	}
	if errs := createTenant(t, e, host, "  Zürich 東京  "); len(errs) != 0 {
		t.Fatalf("a good name: %+v", errs)
	}
	ts, err := e.App.Store.Tenants(apptest.System())
	if err != nil || len(ts) != 1 || ts[0].Name != "Zürich 東京" {
		t.Fatalf("tenants %v, %v: want the one good tenant", ts, err)
	}
}

type gqlError struct {
	Message    string
	Extensions struct{ Code string }
}

func createTenant(t *testing.T, e *apptest.Env, token, name string) []gqlError {
	t.Helper()
	body, _ := json.Marshal(map[string]any{
		"query":     `mutation($in: CreateTenantInput!) { createTenant(input: $in) { id } }`,
		"variables": map[string]any{"in": map[string]any{"name": name}},
	})
	resp := e.Do(http.MethodPost, "/graphql", token, body, "Content-Type", "application/json")
	raw := apptest.Read(t, resp)
	var r struct{ Errors []gqlError }
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatalf("graphql answer %s: %v", raw, err)
	}
	if strings.Contains(string(raw), "pq:") || strings.Contains(string(raw), "byte sequence") {
		t.Fatalf("driver text in the answer: %s", raw)
	}
	return r.Errors
}
