package graph_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/graph"
	"github.com/dailyreports/dailyreports/internal/admin"
	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/auth"
)

// A panicking resolver is recovered: INTERNAL, a generic message, no stack.
func TestPanicRecovered(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	broken := &graph.Resolver{Admin: &admin.Admin{}} // no store: resolvers using it panic
	srv := httptest.NewServer(auth.Middleware(e.App.Signer)(graph.NewServer(broken, graph.Options{Log: apptest.Logger(t)})))
	defer srv.Close()
	body, _ := json.Marshal(map[string]any{"query": `{ tenants { totalCount } }`})
	req, _ := http.NewRequest(http.MethodPost, srv.URL, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+e.Token(uuid.Nil, "host_admin"))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw := apptest.Read(t, resp)
	var r response
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatal(err)
	}
	r.Raw = raw
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", resp.StatusCode, raw)
	}
	if e := r.wantCode(t, "INTERNAL"); e.Message != "internal error" || strings.Contains(string(raw), "goroutine") || strings.Contains(string(raw), "nil pointer") {
		t.Fatalf("panic answered as %s", raw)
	}
}

// Errors outside the vocabulary are answered INTERNAL with a generic
// message: no driver message reaches the client.
func TestInternalErrorHidden(t *testing.T) {
	w := newWorld(t, apptest.Options{})
	if err := w.e.App.Store.Close(); err != nil {
		t.Fatal(err)
	}
	r := do(t, w.e, w.host, `query($id: ID!) { tenant(id: $id) { name } }`, map[string]any{"id": w.a.String()})
	if len(r.Errors) != 1 {
		t.Fatalf("answer: %s", r.Raw)
	}
	if c := r.Errors[0].Extensions["code"]; c != "INTERNAL" && c != "UNAVAILABLE" {
		t.Fatalf("code %v: %s", c, r.Raw)
	}
	if s := strings.ToLower(string(r.Raw)); strings.Contains(s, "sql") || strings.Contains(s, "closed") || strings.Contains(s, "store:") {
		t.Fatalf("driver detail leaked: %s", r.Raw)
	}
}

// A variable of the wrong JSON type is answered in GraphQL's terms, not
// Go's.
func TestVariableErrors(t *testing.T) {
	w := newWorld(t, apptest.Options{})
	q := `query($d: Date!, $h: Int!) { hourlyReport(utcDay: $d, utcHour: $h) { status } }`
	for _, h := range []any{"x", true, 1.5, 1e20, map[string]any{"a": 1}, []int{1}} {
		r := do(t, w.e, w.readA, q, map[string]any{"d": dayString(yesterday()), "h": h})
		if e := r.wantCode(t, "GRAPHQL_VALIDATION_FAILED"); e.Message != "the value of $h is not a valid Int" {
			t.Fatalf("$h = %v: %s", h, r.Raw)
		}
	}
	q = `mutation($in: CreateTenantInput!) { createTenant(input: $in) { id } }`
	r := do(t, w.e, w.readA, q, map[string]any{"in": map[string]any{"name": []int{1}}})
	if e := r.wantCode(t, "GRAPHQL_VALIDATION_FAILED"); e.Message != "the value of $in.name is not a valid String" {
		t.Fatalf("$in.name = [1]: %s", r.Raw)
	}
}
