package graph_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/apptest"
)

// TestCrossTenantMatrix sends every operation and route that names a tenant
// with tenant A's tokens, naming tenant B, and again naming an id no tenant
// has: the answers must be the same, byte for byte, and B must be untouched.
func TestCrossTenantMatrix(t *testing.T) {
	w := newWorld(t, apptest.Options{})
	day := yesterday()
	ingestHour(w.e, w.writeB, day, 12, 2, "b")
	before := mustHourly(t, w.e, w.readB, nil, day, 12, "data")
	stored := mustHourly(t, w.e, w.readB, nil, day, 12, "")
	if stored.Status != "STORED" || before.Data == nil {
		t.Fatalf("B's hour: %+v", stored)
	}
	// A writes conversations with B's ids into the same hour: they are A's.
	ingestHour(w.e, w.writeA, day, 12, 2, "b")

	ops := []struct{ name, query string }{
		{"tenant", `query($id: ID!, $day: Date!) { tenant(id: $id) { id name reportSettings { enabled } } }`},
		{"tenant auditLog", `query($id: ID!, $day: Date!) { tenant(id: $id) { auditLog { actor } } }`},
		{"node", `query($id: ID!, $day: Date!) { node(id: $id) { id ... on Tenant { name } } }`},
		{"nodes", `query($id: ID!, $day: Date!) { nodes(ids: [$id]) { id } }`},
		{"hourlyReport", `query($id: ID!, $day: Date!) { hourlyReport(utcDay: $day, utcHour: 12, tenantId: $id) { status sha256 conversationCount } }`},
		{"hourlyReport data", `query($id: ID!, $day: Date!) { hourlyReport(utcDay: $day, utcHour: 12, tenantId: $id) { data } }`},
		{"hourlyReport downloadUrl", `query($id: ID!, $day: Date!) { hourlyReport(utcDay: $day, utcHour: 12, tenantId: $id) { downloadUrl { url } } }`},
		{"dailyReport", `query($id: ID!, $day: Date!) { dailyReport(utcDay: $day, tenantId: $id) { hours { status } } }`},
		{"updateTenantReportSettings", `mutation($id: ID!, $day: Date!) { updateTenantReportSettings(input: {tenantId: $id, enabled: false, retentionMonths: 1}) { id } }`},
		{"createApiClient", `mutation($id: ID!, $day: Date!) { createApiClient(input: {tenantId: $id, name: "x", scopes: ["dataservice_external"]}) { clientId clientSecret } }`},
		{"regenerateReports", `mutation($id: ID!, $day: Date!) { regenerateReports(input: {tenantId: $id, utcDay: $day, utcHour: 12}) { enqueued } }`},
		{"tenants", `query($id: ID!, $day: Date!) { tenants { totalCount edges { node { id } } } }`},
	}
	random := uuid.NewString()
	for _, token := range []struct{ name, token string }{{"read", w.readA}, {"write", w.writeA}} {
		for _, op := range ops {
			t.Run(token.name+"/"+op.name, func(t *testing.T) {
				vars := func(id string) map[string]any { return map[string]any{"id": id, "day": dayString(day)} }
				b := do(t, w.e, token.token, op.query, vars(w.b.String()))
				r := do(t, w.e, token.token, op.query, vars(random))
				if b.Status != r.Status || !bytes.Equal(b.Raw, r.Raw) {
					t.Fatalf("B's id and a random id answer differently:\n%s\n%s", b.Raw, r.Raw)
				}
				if len(b.Errors) == 0 && !strings.Contains(op.name, "nodes") {
					t.Fatalf("no error: %s", b.Raw)
				}
				if s := string(b.Raw); strings.Contains(s, w.b.String()) || strings.Contains(s, `"B"`) || strings.Contains(s, "b-12-") {
					t.Fatalf("answer mentions B: %s", s)
				}
			})
		}
	}

	// REST: A's token naming B in X-Tenant-Id answers as for a random id.
	for _, method := range []string{http.MethodGet, http.MethodHead} {
		for _, compressed := range []bool{true, false} {
			path := apptest.ReportPath(dayString(day), 12, compressed)
			b := w.e.Do(method, path, w.readA, nil, "X-Tenant-Id", w.b.String())
			r := w.e.Do(method, path, w.readA, nil, "X-Tenant-Id", random)
			bb, rb := apptest.Read(t, b), apptest.Read(t, r)
			if b.StatusCode != http.StatusNotFound || b.StatusCode != r.StatusCode || !bytes.Equal(bb, rb) {
				t.Fatalf("REST %s %s: B %d %s, random %d %s", method, path, b.StatusCode, bb, r.StatusCode, rb)
			}
		}
	}

	// B is untouched: same settings, same stored report, nothing of A's.
	after := mustHourly(t, w.e, w.readB, nil, day, 12, "data")
	if after.Status != "STORED" || *after.Sha256 != *stored.Sha256 || !bytes.Equal(after.Data, before.Data) {
		t.Fatalf("B's hour changed: %+v", after)
	}
	var d viewerData
	do(t, w.e, w.readB, viewerQuery, nil).ok(t, &d)
	if s := d.Viewer.Tenant.ReportSettings; !s.Enabled || s.RetentionMonths != 3 {
		t.Fatalf("B's settings changed: %+v", s)
	}
	// A's own view holds only A.
	var a viewerData
	do(t, w.e, w.readA, viewerQuery, nil).ok(t, &a)
	if a.Viewer.Tenant.ID != w.a.String() {
		t.Fatalf("A's viewer: %+v", a.Viewer)
	}
}
