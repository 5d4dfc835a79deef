package graph_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/dailyreports/dailyreports/internal/apptest"
)

func aliases(n int, field string) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "a%d: %s ", i, field)
	}
	return b.String()
}

func tenantCount(t *testing.T, w *world) int {
	var d struct{ Tenants struct{ TotalCount int } }
	do(t, w.e, w.host, `{ tenants { totalCount } }`, nil).ok(t, &d)
	return d.Tenants.TotalCount
}

func TestQueryLimits(t *testing.T) {
	w := newWorld(t, apptest.Options{})

	// 300 aliases are refused before anything runs: no tenant is created.
	r := do(t, w.e, w.host, "mutation { "+aliases(300, `createTenant(input: {name: "x"}) { id }`)+" }", nil)
	r.wantCode(t, "FIELD_LIMIT_EXCEEDED")
	if string(r.Data) != "null" && r.Data != nil {
		t.Fatalf("data %s", r.Data)
	}
	if n := tenantCount(t, w); n != 2 {
		t.Fatalf("%d tenants after the refused mutation, want 2", n)
	}
	do(t, w.e, w.readA, "{ "+aliases(300, "__typename")+" }", nil).wantCode(t, "FIELD_LIMIT_EXCEEDED")
	// A fragment used many times counts each time.
	do(t, w.e, w.readA, "fragment F on Viewer { subject scopes } { "+aliases(120, "viewer { ...F }")+" }", nil).
		wantCode(t, "FIELD_LIMIT_EXCEEDED")
	do(t, w.e, w.readA, "{ "+aliases(50, "viewer { subject }")+" }", nil).ok(t, nil)

	// Deep nesting is refused before introspection is even considered.
	deep := "{ __type(name: \"Query\") { fields { type " + strings.Repeat("{ ofType ", 16) + "{ name }" + strings.Repeat(" }", 16) + " } } }"
	do(t, w.e, w.readA, deep, nil).wantCode(t, "DEPTH_LIMIT_EXCEEDED")

	// Expensive work is refused by complexity.
	do(t, w.e, w.host, `{ tenants(first: 100) { edges { node { auditLog(first: 100) { at actor } } } } }`, nil).
		wantCode(t, "COMPLEXITY_LIMIT_EXCEEDED")
	day := dayString(yesterday())
	do(t, w.e, w.readA, "{ "+aliases(5, `dailyReport(utcDay: "`+day+`") { hours { data } }`)+" }", nil).
		wantCode(t, "COMPLEXITY_LIMIT_EXCEEDED")
	do(t, w.e, w.readA, "{ "+aliases(2, `dailyReport(utcDay: "`+day+`") { hours { status } }`)+" }", nil).ok(t, nil)
}

func TestIntrospectionOff(t *testing.T) {
	w := newWorld(t, apptest.Options{})
	r := do(t, w.e, w.readA, `{ __schema { types { name } } }`, nil)
	if len(r.Errors) == 0 || !strings.Contains(r.Errors[0].Message, "introspection") || strings.Contains(string(r.Raw), `"Query"`) {
		t.Fatalf("introspection answered: %s", r.Raw)
	}
	r = do(t, w.e, w.readA, `{ __type(name: "Tenant") { fields { name } } }`, nil)
	if len(r.Errors) == 0 || strings.Contains(string(r.Raw), "reportSettings") {
		t.Fatalf("__type answered: %s", r.Raw)
	}
	r = do(t, w.e, w.readA, `{ viewer { subjec } tenantz }`, nil)
	if len(r.Errors) == 0 || strings.Contains(string(r.Raw), "Did you mean") {
		t.Fatalf("suggestions given: %s", r.Raw)
	}
	resp := w.e.Do(http.MethodGet, "/graphql", "", nil)
	if apptest.Read(t, resp); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("GET /graphql without the playground: %d", resp.StatusCode)
	}
}

func TestPlayground(t *testing.T) {
	w := newWorld(t, apptest.Options{Env: map[string]string{"GRAPHQL_PLAYGROUND": "true"}})
	resp := w.e.Do(http.MethodGet, "/graphql", "", nil)
	body := apptest.Read(t, resp)
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), "text/html") ||
		!strings.Contains(strings.ToLower(string(body)), "graphiql") {
		t.Fatalf("GraphiQL page: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	// GraphiQL's own introspection query fits the limits.
	var d struct {
		Schema struct{ Types []struct{ Name string } } `json:"__schema"`
	}
	do(t, w.e, w.readA, introspectionQuery, nil).ok(t, &d)
	if len(d.Schema.Types) < 20 {
		t.Fatalf("introspection: %d types", len(d.Schema.Types))
	}
	r := do(t, w.e, w.readA, `{ viewer { subjec } }`, nil)
	if !strings.Contains(string(r.Raw), "Did you mean") {
		t.Fatalf("no suggestion with the playground on: %s", r.Raw)
	}
}

// introspectionQuery is GraphiQL's (graphql-js getIntrospectionQuery).
const introspectionQuery = `
query IntrospectionQuery {
  __schema {
    queryType { name } mutationType { name } subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name
    ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }
}`
