package admin_test

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/store"
	"github.com/dailyreports/dailyreports/internal/testenv"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// The data layer enforces tenancy on tenants, API clients and the audit log
// whoever calls it: these calls go straight to the store, past every check
// of the API.
func TestPrivacy(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	s := e.App.Store
	a, b := e.Tenant("A", true, 1), e.Tenant("B", true, 1)
	sys := apptest.System()
	if _, err := s.CreateApiClient(sys, store.NewApiClient{ClientID: "drc_a", SecretHash: "sha256$00$00", TenantID: &a, Name: "a", Scopes: []string{"dataservice_external"}}); err != nil {
		t.Fatal(err)
	}
	tenantA := viewer.TenantContext(context.Background(), "a", a)
	noViewer := context.Background()

	// No viewer: everything is denied.
	if _, err := s.Tenant(noViewer, a); err == nil {
		t.Fatal("tenant read without a viewer")
	}
	if _, err := s.Tenants(noViewer); err == nil {
		t.Fatal("tenants listed without a viewer")
	}
	if _, err := s.ApiClient(noViewer, "drc_a"); err == nil {
		t.Fatal("api client read without a viewer")
	}
	if _, err := s.AuditLog(noViewer, a, 10); err == nil {
		t.Fatal("audit log read without a viewer")
	}

	// A tenant principal sees its own tenant only, and changes nothing.
	if ts, err := s.Tenants(tenantA); err != nil || len(ts) != 1 || ts[0].ID != a {
		t.Fatalf("A lists %v (%v)", ts, err)
	}
	if _, err := s.Tenant(tenantA, b); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("A reads B: %v", err)
	}
	if _, err := s.UpdateTenantSettings(tenantA, a, store.TenantSettings{Enabled: true, RetentionMonths: 3}); err == nil {
		t.Fatal("A changed its own settings")
	}
	if _, err := s.CreateTenant(tenantA, "C", store.TenantSettings{RetentionMonths: 1}); err == nil {
		t.Fatal("A created a tenant")
	}
	if _, err := s.ApiClient(tenantA, "drc_a"); err == nil {
		t.Fatal("A read its API client")
	}
	if _, err := s.CreateApiClient(tenantA, store.NewApiClient{ClientID: "drc_x", SecretHash: "h", TenantID: &a, Name: "x", Scopes: []string{"x"}}); err == nil {
		t.Fatal("A created an API client")
	}
	if _, err := s.AuditLog(tenantA, a, 10); err == nil {
		t.Fatal("A read its audit log")
	}

	// Host administrators see everything.
	host := viewer.NewContext(context.Background(), viewer.Viewer{Subject: "h", Scopes: []string{viewer.ScopeHostAdmin}})
	if ts, err := s.Tenants(host); err != nil || len(ts) != 2 {
		t.Fatalf("host lists %d tenants (%v)", len(ts), err)
	}
	if log, err := s.AuditLog(host, a, 10); err != nil || len(log) != 1 || log[0].Actor != "test" || log[0].OldEnabled != nil {
		t.Fatalf("host reads A's audit log: %v (%v)", log, err)
	}
	if _, err := s.Tenant(host, uuid.New()); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("unknown tenant: %v", err)
	}
}
