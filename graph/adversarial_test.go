package graph_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/dailyreports/dailyreports/internal/apptest"
)

// Documents built to make validation expensive are refused before it, fast,
// without a token; each with a fresh comment, so no cache helps.
func TestAdversarialDocuments(t *testing.T) {
	w := newWorld(t, playgroundOn)
	var frags strings.Builder
	for i := range 25 {
		fmt.Fprintf(&frags, "fragment F%d on Query { %s } ", i, strings.Repeat("__typename ", 40))
	}
	for name, doc := range map[string]string{
		"100 KB of one field":     "{ " + strings.Repeat("__typename ", 9000) + "}",
		"4,500 fields":            "{ " + strings.Repeat("__typename ", 4500) + "}",
		"one field in a fragment": "fragment F on Query { " + strings.Repeat("__typename ", 5000) + "} { ...F }",
		"fragments side by side":  frags.String() + "{ __typename }",
		"introspection fields":    "{ __schema { " + strings.Repeat("__typename ", 5000) + "} }",
	} {
		for i := range 3 {
			start := time.Now()
			r := do(t, w.e, "", fmt.Sprintf("# %d %d\n%s", i, time.Now().UnixNano(), doc), nil)
			if d := time.Since(start); d > time.Second {
				t.Fatalf("%s: answered in %s", name, d)
			}
			r.wantCode(t, "FIELD_LIMIT_EXCEEDED")
		}
	}
}

// An answer has at most 20 errors and one that counts the rest.
func TestErrorsCapped(t *testing.T) {
	w := newWorld(t, apptest.Options{})
	var unknown strings.Builder
	for i := range 9000 {
		fmt.Fprintf(&unknown, "uf%04d ", i)
	}
	r := do(t, w.e, w.readA, "{ "+unknown.String()+"}", nil) // 63 KB
	if len(r.Errors) != 1 || len(r.Raw) > 1000 {
		t.Fatalf("9,000 unknown fields: %d errors, %d bytes", len(r.Errors), len(r.Raw))
	}
	wantCapped := func(r response, code string, n int) {
		t.Helper()
		if len(r.Errors) != 21 {
			t.Fatalf("%d errors: %.600s", len(r.Errors), r.Raw)
		}
		for _, e := range r.Errors[:20] {
			if e.Extensions["code"] != code {
				t.Fatalf("error %+v, want %s", e, code)
			}
		}
		last := r.Errors[20]
		if last.Extensions["code"] != "TOO_MANY_ERRORS" || last.Message != fmt.Sprintf("%d more errors were left out", n-20) {
			t.Fatalf("last error %+v", last)
		}
	}
	// Messages quote the document's names, cut short.
	r = do(t, w.e, w.readA, "{ "+strings.Repeat("x", 5000)+" }", nil)
	if r.code(t) != "GRAPHQL_VALIDATION_FAILED" || len(r.Raw) > 500 {
		t.Fatalf("a 5,000-byte field name answered %d bytes", len(r.Raw))
	}
	// Validation errors.
	wantCapped(do(t, w.e, w.readA, "{ "+aliases(150, "nosuchfield")+" }", nil), "GRAPHQL_VALIDATION_FAILED", 150)
	// Field errors, with the data beside them.
	r = do(t, w.e, w.host, "{ "+aliases(90, `tenant(id: "not-a-uuid") { id }`)+" }", nil)
	wantCapped(r, "BAD_USER_INPUT", 90)
	if r.Status != http.StatusOK || r.Data == nil {
		t.Fatalf("data %s", r.Data)
	}
}

// Nothing runs for a client that has gone.
func TestClientGone(t *testing.T) {
	w := newWorld(t, apptest.Options{})
	h := w.e.App.Handler()
	body, _ := json.Marshal(map[string]any{"query": `mutation { createTenant(input: {name: "gone"}) { id } }`})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/graphql", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+w.host)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if strings.Contains(rec.Body.String(), "createTenant") {
		t.Fatalf("answered %s", rec.Body)
	}
	if n := tenantCount(t, w); n != 2 {
		t.Fatalf("%d tenants: a mutation ran for a client that had gone", n)
	}
}
