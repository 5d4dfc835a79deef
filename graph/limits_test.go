package graph_test

import (
	"fmt"
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
	if r.Data != nil {
		t.Fatalf("a refused document has data: %s", r.Raw)
	}
	if n := tenantCount(t, w); n != 2 {
		t.Fatalf("%d tenants after the refused mutation, want 2", n)
	}
	do(t, w.e, w.readA, "{ "+aliases(300, "__typename")+" }", nil).wantCode(t, "FIELD_LIMIT_EXCEEDED")
	// A fragment used many times counts each time.
	do(t, w.e, w.readA, "fragment F on Viewer { subject scopes } { "+aliases(120, "viewer { ...F }")+" }", nil).
		wantCode(t, "FIELD_LIMIT_EXCEEDED")
	do(t, w.e, w.readA, "{ "+aliases(50, "viewer { subject }")+" }", nil).ok(t, nil)

	// Deep nesting is refused before validation, unknown fields and all.
	deep := "{ viewer " + strings.Repeat("{ tenant ", 15) + "{ id }" + strings.Repeat(" }", 15) + " }"
	do(t, w.e, w.readA, deep, nil).wantCode(t, "DEPTH_LIMIT_EXCEEDED")

	// Expensive work is refused by complexity.
	do(t, w.e, w.host, `{ tenants(first: 100) { edges { node { auditLog(first: 100) { at actor } } } } }`, nil).
		wantCode(t, "COMPLEXITY_LIMIT_EXCEEDED")
	day := dayString(yesterday())
	do(t, w.e, w.readA, "{ "+aliases(5, `dailyReport(utcDay: "`+day+`") { hours { data } }`)+" }", nil).
		wantCode(t, "COMPLEXITY_LIMIT_EXCEEDED")
	do(t, w.e, w.readA, "{ "+aliases(2, `dailyReport(utcDay: "`+day+`") { hours { status } }`)+" }", nil).ok(t, nil)
}

// Fragments multiply fields; the limits count them expanded, before
// validation, however the document is built.
func TestFragmentLimits(t *testing.T) {
	w := newWorld(t, apptest.Options{})

	// 38 fields a viewer, each fragment written once: 5 viewers fit, 6 do not.
	frags := `fragment S on Tenant { id name createdAt reportSettings { enabled retentionMonths } }
		fragment V on Viewer { subject scopes ` + aliases(5, "tenant { ...S }") + ` }`
	do(t, w.e, w.readA, frags+"{ "+aliases(5, "viewer { ...V }")+" }", nil).ok(t, nil)
	do(t, w.e, w.readA, frags+"{ "+aliases(6, "viewer { ...V }")+" }", nil).wantCode(t, "FIELD_LIMIT_EXCEEDED")

	// Each fragment spreads the previous one twice: 2^40 fields in 2 KB.
	var b strings.Builder
	b.WriteString("fragment F0 on Query { __typename } ")
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&b, "fragment F%d on Query { a: __typename ...F%d ...F%d } ", i, i-1, i-1)
	}
	b.WriteString("{ ...F40 }")
	do(t, w.e, "", b.String(), nil).wantCode(t, "FIELD_LIMIT_EXCEEDED")

	// A fragment cycle counts nothing here; validation refuses it.
	r := do(t, w.e, w.readA, `fragment A on Query { viewer { subject } ...B } fragment B on Query { ...A } { ...A }`, nil)
	if r.code(t) != "GRAPHQL_VALIDATION_FAILED" {
		t.Fatalf("fragment cycle: %s", r.Raw)
	}

	// Every operation and fragment of the document counts, run or not.
	var ops strings.Builder
	for i := range 6 {
		fmt.Fprintf(&ops, "query Q%d { %s } ", i, aliases(180, "__typename"))
	}
	do(t, w.e, w.readA, ops.String(), map[string]any{}).wantCode(t, "FIELD_LIMIT_EXCEEDED")
	unused := "{ __typename } fragment X on Query { " + aliases(250, "__typename") + " }"
	do(t, w.e, w.readA, unused, nil).wantCode(t, "FIELD_LIMIT_EXCEEDED")
}
