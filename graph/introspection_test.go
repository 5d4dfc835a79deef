package graph_test

import (
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/dailyreports/dailyreports/internal/apptest"
)

// introspectionQuery is graphql-js's getIntrospectionQuery() with every
// option on (descriptions, specifiedByUrl, directiveIsRepeatable,
// schemaDescription, inputValueDeprecation, oneOf), as graphql 16.15.0 and
// 17.1.0 both print it: the query GraphiQL and most tools send.
func introspectionQuery(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("testdata/introspection.graphql")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var playgroundOn = apptest.Options{Env: map[string]string{"GRAPHQL_PLAYGROUND": "true"}}

func TestPlayground(t *testing.T) {
	w := newWorld(t, playgroundOn)
	resp := w.e.Do(http.MethodGet, "/graphql", "", nil, "Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
	body := apptest.Read(t, resp)
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), "text/html") ||
		!strings.Contains(strings.ToLower(string(body)), "graphiql") {
		t.Fatalf("GraphiQL page: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	// The current graphql-js introspection query fits the limits, without a
	// token, over POST and over GET.
	var d struct {
		Schema struct{ Types []struct{ Name string } } `json:"__schema"`
	}
	do(t, w.e, "", introspectionQuery(t), nil).ok(t, &d)
	if len(d.Schema.Types) < 20 {
		t.Fatalf("introspection: %d types", len(d.Schema.Types))
	}
	if r := get(t, w.e, "", map[string]string{"query": introspectionQuery(t)}, mediaResponse); r.Status != http.StatusOK || len(r.Errors) > 0 {
		t.Fatalf("introspection over GET: %d %.300s", r.Status, r.Raw)
	}
	// Any other client gets GraphQL: */* is JSON.
	if r := get(t, w.e, "", map[string]string{"query": "{ __typename }"}, "*/*"); r.Status != http.StatusOK || r.Data == nil {
		t.Fatalf("GET */* with the playground on: %d %.300s", r.Status, r.Raw)
	}
	r := do(t, w.e, w.readA, `{ viewer { subjec } }`, nil)
	if !strings.Contains(string(r.Raw), "Did you mean") {
		t.Fatalf("no suggestion with the playground on: %s", r.Raw)
	}
}

// Introspection is cheap to ask and can ask for the schema many times over,
// or walk it into itself: its answer is bounded before it runs.
func TestIntrospectionBounded(t *testing.T) {
	w := newWorld(t, playgroundOn)
	// A field's type's fields' arguments' types, for every field of every type.
	reentry := `{ __schema { types { fields { type { fields { args { type { name kind ofType { name kind } } } } } } } } }`
	do(t, w.e, "", reentry, nil).wantCode(t, "COMPLEXITY_LIMIT_EXCEEDED")
	// The whole schema under many aliases.
	do(t, w.e, "", "{ __schema { "+aliases(80, "types { name fields { name } }")+" } }", nil).
		wantCode(t, "FIELD_LIMIT_EXCEEDED")
	do(t, w.e, "", "{ __schema { "+aliases(30, "types { name description fields { name description type { name kind } } }")+" } }", nil).
		wantCode(t, "COMPLEXITY_LIMIT_EXCEEDED")
	// One type by name is small.
	var d struct {
		Type struct{ Fields []struct{ Name string } } `json:"__type"`
	}
	do(t, w.e, "", `{ __type(name: "HourlyReport") { fields { name type { name ofType { name } } } } }`, nil).ok(t, &d)
	if len(d.Type.Fields) < 10 {
		t.Fatalf("__type: %+v", d)
	}
}

func TestIntrospectionOff(t *testing.T) {
	w := newWorld(t, apptest.Options{})
	for _, q := range []string{
		introspectionQuery(t),
		`{ __schema { types { name } } }`,
		`{ __type(name: "Tenant") { fields { name } } }`,
		`fragment T on Query { __type(name: "Tenant") { name } } { viewer { subject } ...T }`,
	} {
		r := do(t, w.e, w.readA, q, nil)
		if e := r.wantCode(t, "GRAPHQL_VALIDATION_FAILED"); e.Message != "introspection is disabled" || r.Data != nil {
			t.Fatalf("introspection answered: %s", r.Raw)
		}
	}
	r := do(t, w.e, w.readA, `{ viewer { subjec } tenantz }`, nil)
	if len(r.Errors) == 0 || strings.Contains(string(r.Raw), "Did you mean") {
		t.Fatalf("suggestions given: %s", r.Raw)
	}
	// No page either: a browser gets GraphQL's JSON answer.
	resp := w.e.Do(http.MethodGet, "/graphql", "", nil, "Accept", "text/html,*/*;q=0.8")
	if body := apptest.Read(t, resp); resp.StatusCode != http.StatusBadRequest || strings.Contains(strings.ToLower(string(body)), "graphiql") {
		t.Fatalf("GET /graphql without the playground: %d %s", resp.StatusCode, body)
	}
}
