package graph_test

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

type tenantData struct {
	ID             string
	Name           string
	CreatedAt      time.Time
	ReportSettings settings
	AuditLog       []auditEntry
}

type settings struct {
	Enabled         bool
	RetentionMonths int
}

type auditEntry struct {
	At     time.Time
	Actor  string
	Before *settings
	After  settings
}

const tenantFields = `id name createdAt reportSettings { enabled retentionMonths }`

func createTenant(t *testing.T, w *world, token string, input map[string]any) response {
	t.Helper()
	return do(t, w.e, token, `mutation($in: CreateTenantInput!) { createTenant(input: $in) { `+tenantFields+` } }`,
		map[string]any{"in": input})
}

func updateSettings(t *testing.T, w *world, token string, id any, enabled bool, months int) response {
	t.Helper()
	return do(t, w.e, token, `mutation($in: UpdateTenantReportSettingsInput!) {
		updateTenantReportSettings(input: $in) { `+tenantFields+` } }`,
		map[string]any{"in": map[string]any{"tenantId": id, "enabled": enabled, "retentionMonths": months}})
}

func TestCreateTenant(t *testing.T) {
	w := newWorld(t, apptest.Options{})
	var d struct{ CreateTenant tenantData }
	createTenant(t, w, w.host, map[string]any{"name": "  Acme  "}).ok(t, &d)
	if c := d.CreateTenant; c.Name != "Acme" || c.ReportSettings != (settings{false, 1}) || time.Since(c.CreatedAt) > time.Minute {
		t.Fatalf("created with defaults: %+v", c)
	}
	createTenant(t, w, w.host, map[string]any{"name": "Beta", "enabled": true, "retentionMonths": 2}).ok(t, &d)
	if c := d.CreateTenant; c.ReportSettings != (settings{true, 2}) {
		t.Fatalf("created: %+v", c)
	}
	if _, err := uuid.Parse(d.CreateTenant.ID); err != nil {
		t.Fatalf("id %q", d.CreateTenant.ID)
	}

	for name, c := range map[string]struct {
		token string
		input map[string]any
		code  string
	}{
		"retention 4":       {w.host, map[string]any{"name": "x", "retentionMonths": 4}, "BAD_USER_INPUT"},
		"retention 0":       {w.host, map[string]any{"name": "x", "retentionMonths": 0}, "BAD_USER_INPUT"},
		"empty name":        {w.host, map[string]any{"name": " "}, "BAD_USER_INPUT"},
		"long name":         {w.host, map[string]any{"name": string(make([]byte, 201))}, "BAD_USER_INPUT"},
		"tenant principal":  {w.readA, map[string]any{"name": "x"}, "FORBIDDEN"},
		"host without role": {w.hostNoRole, map[string]any{"name": "x"}, "FORBIDDEN"},
		"no token":          {"", map[string]any{"name": "x"}, "UNAUTHENTICATED"},
	} {
		t.Run(name, func(t *testing.T) { createTenant(t, w, c.token, c.input).wantCode(t, c.code) })
	}
}

func TestUpdateSettingsAndAudit(t *testing.T) {
	w := newWorld(t, apptest.Options{})
	alice, _, err := w.e.App.Signer.Issue("alice@host", uuid.Nil, []string{viewer.ScopeHostAdmin}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	var c struct{ CreateTenant tenantData }
	createTenant(t, w, alice, map[string]any{"name": "Gamma"}).ok(t, &c)
	id := c.CreateTenant.ID

	var u struct{ UpdateTenantReportSettings tenantData }
	updateSettings(t, w, w.host, id, true, 3).ok(t, &u)
	if u.UpdateTenantReportSettings.ReportSettings != (settings{true, 3}) {
		t.Fatalf("updated: %+v", u.UpdateTenantReportSettings)
	}
	updateSettings(t, w, w.host, id, true, 3).ok(t, nil) // no change: not audited
	updateSettings(t, w, alice, id, false, 2).ok(t, nil)

	var d struct{ Tenant tenantData }
	do(t, w.e, w.host, `query($id: ID!) { tenant(id: $id) { `+tenantFields+` auditLog { at actor before { enabled retentionMonths } after { enabled retentionMonths } } } }`,
		map[string]any{"id": id}).ok(t, &d)
	log := d.Tenant.AuditLog
	if d.Tenant.ReportSettings != (settings{false, 2}) || len(log) != 3 {
		t.Fatalf("tenant %+v", d.Tenant)
	}
	want := []auditEntry{
		{Actor: "alice@host", Before: &settings{true, 3}, After: settings{false, 2}},
		{Actor: "test", Before: &settings{false, 1}, After: settings{true, 3}},
		{Actor: "alice@host", Before: nil, After: settings{false, 1}},
	}
	for i, e := range log {
		if e.Actor != want[i].Actor || e.After != want[i].After || (e.Before == nil) != (want[i].Before == nil) ||
			(e.Before != nil && *e.Before != *want[i].Before) || time.Since(e.At) > time.Minute {
			t.Fatalf("audit entry %d: %+v, want %+v", i, e, want[i])
		}
	}
	var one struct{ Tenant tenantData }
	do(t, w.e, w.host, `query($id: ID!) { tenant(id: $id) { auditLog(first: 1) { actor } } }`, map[string]any{"id": id}).ok(t, &one)
	if len(one.Tenant.AuditLog) != 1 {
		t.Fatalf("auditLog(first: 1) has %d entries", len(one.Tenant.AuditLog))
	}

	// A tenant principal reads its own tenant but not its audit log.
	r := do(t, w.e, w.readA, `query($id: ID!) { tenant(id: $id) { name auditLog { actor } } }`, map[string]any{"id": w.a.String()})
	if e := r.wantCode(t, "FORBIDDEN"); len(e.Path) != 2 || e.Path[1] != "auditLog" {
		t.Fatalf("error %+v", e)
	}

	for name, c := range map[string]struct {
		token  string
		id     any
		months int
		code   string
	}{
		"retention 5":       {w.host, id, 5, "BAD_USER_INPUT"},
		"unknown tenant":    {w.host, uuid.NewString(), 1, "NOT_FOUND"},
		"malformed id":      {w.host, "nope", 1, "BAD_USER_INPUT"},
		"tenant principal":  {w.readA, w.a.String(), 1, "FORBIDDEN"},
		"host without role": {w.hostNoRole, id, 1, "FORBIDDEN"},
		"no token":          {"", id, 1, "UNAUTHENTICATED"},
	} {
		t.Run(name, func(t *testing.T) { updateSettings(t, w, c.token, c.id, true, c.months).wantCode(t, c.code) })
	}
}

func TestTenants(t *testing.T) {
	w := newWorld(t, apptest.Options{})
	createTenant(t, w, w.host, map[string]any{"name": "C"}).ok(t, nil)
	createTenant(t, w, w.host, map[string]any{"name": "D"}).ok(t, nil)
	type page struct {
		Tenants struct {
			TotalCount int
			Edges      []struct {
				Cursor string
				Node   tenantData
			}
			PageInfo struct {
				HasNextPage bool
				EndCursor   *string
			}
		}
	}
	const q = `query($first: Int, $after: Cursor) { tenants(first: $first, after: $after) {
		totalCount edges { cursor node { ` + tenantFields + ` } } pageInfo { hasNextPage endCursor } } }`
	var p1, p2 page
	do(t, w.e, w.host, q, map[string]any{"first": 3}).ok(t, &p1)
	if p1.Tenants.TotalCount != 4 || len(p1.Tenants.Edges) != 3 || !p1.Tenants.PageInfo.HasNextPage {
		t.Fatalf("first page: %+v", p1.Tenants)
	}
	do(t, w.e, w.host, q, map[string]any{"first": 3, "after": *p1.Tenants.PageInfo.EndCursor}).ok(t, &p2)
	if len(p2.Tenants.Edges) != 1 || p2.Tenants.PageInfo.HasNextPage {
		t.Fatalf("second page: %+v", p2.Tenants)
	}
	var names []string
	for _, e := range append(p1.Tenants.Edges, p2.Tenants.Edges...) {
		names = append(names, e.Node.Name)
	}
	if got := compact(join(names)); got != "A B C D" {
		t.Fatalf("tenants in order %q, want oldest first", got)
	}
	var all page
	do(t, w.e, w.host, q, nil).ok(t, &all)
	if len(all.Tenants.Edges) != 4 {
		t.Fatalf("default page: %d tenants", len(all.Tenants.Edges))
	}

	for name, c := range map[string]struct {
		token string
		vars  map[string]any
		code  string
	}{
		"first -1":          {w.host, map[string]any{"first": -1}, "BAD_USER_INPUT"},
		"first 101":         {w.host, map[string]any{"first": 101}, "BAD_USER_INPUT"},
		"malformed cursor":  {w.host, map[string]any{"after": "garbage!"}, "BAD_USER_INPUT"},
		"tenant principal":  {w.readA, nil, "FORBIDDEN"},
		"host without role": {w.hostNoRole, nil, "FORBIDDEN"},
		"no token":          {"", nil, "UNAUTHENTICATED"},
	} {
		t.Run(name, func(t *testing.T) {
			const q = `query($first: Int, $after: Cursor) { tenants(first: $first, after: $after) { totalCount } }`
			do(t, w.e, c.token, q, c.vars).wantCode(t, c.code)
		})
	}
}

func TestTenantAndNode(t *testing.T) {
	w := newWorld(t, apptest.Options{})
	const q = `query($id: ID!) { tenant(id: $id) { ` + tenantFields + ` } node(id: $id) { id ... on Tenant { name } } }`
	var d struct {
		Tenant *tenantData
		Node   *struct{ ID, Name string }
	}
	do(t, w.e, w.host, q, map[string]any{"id": w.b.String()}).ok(t, &d)
	if d.Tenant == nil || d.Tenant.Name != "B" || d.Node == nil || d.Node.Name != "B" {
		t.Fatalf("host reads B: %+v", d)
	}
	do(t, w.e, w.writeA, q, map[string]any{"id": w.a.String()}).ok(t, &d)
	if d.Tenant == nil || d.Tenant.Name != "A" || d.Tenant.ReportSettings != (settings{true, 3}) {
		t.Fatalf("A reads itself: %+v", d)
	}
	var n struct{ Nodes []*struct{ ID string } }
	do(t, w.e, w.host, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`,
		map[string]any{"ids": []string{w.a.String(), uuid.NewString(), w.b.String()}}).ok(t, &n)
	if len(n.Nodes) != 3 || n.Nodes[0] == nil || n.Nodes[1] != nil || n.Nodes[2] == nil {
		t.Fatalf("nodes: %+v", n.Nodes)
	}
	r := do(t, w.e, w.host, q, map[string]any{"id": uuid.NewString()})
	if len(r.Errors) != 2 || r.Errors[0].Extensions["code"] != "NOT_FOUND" || r.Errors[0].Message != "tenant not found" {
		t.Fatalf("unknown id: %s", r.Raw)
	}
}

func join(s []string) string {
	out := ""
	for _, x := range s {
		out += x + " "
	}
	return out
}
