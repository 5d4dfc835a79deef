package reports_test

import (
	"context"
	"testing"
	"time"

	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/reports"
	"github.com/dailyreports/dailyreports/internal/store"
	"github.com/dailyreports/dailyreports/internal/testenv"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// A tenant's setting is reused for the TTL, except that a write through the
// same store takes effect at once; a write through another process's store
// takes effect once the TTL has passed.
func TestTenantSettingsReusedForTTL(t *testing.T) {
	url := testenv.NewDatabase(t)
	open := func() *store.Store {
		s, err := store.OpenPostgres(url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close() })
		return s
	}
	ctx := viewer.SystemContext(context.Background(), "test")
	here, elsewhere := open(), open()
	if err := here.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	tn, err := here.CreateTenant(ctx, "acme", store.TenantSettings{Enabled: true, RetentionMonths: 1})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := &reports.Tenants{Store: here, TTL: time.Second, Now: func() time.Time { return now }}
	v := viewer.Viewer{Subject: "test", TenantID: tn.ID, Scopes: []string{viewer.ScopeReportsRead}}
	enabled := func() bool {
		t.Helper()
		_, err := c.ReportTenant(ctx, v, "")
		if err != nil && apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatal(err)
		}
		return err == nil
	}
	set := func(s *store.Store, on bool) {
		t.Helper()
		if _, err := s.UpdateTenantSettings(ctx, tn.ID, store.TenantSettings{Enabled: on, RetentionMonths: 1}); err != nil {
			t.Fatal(err)
		}
	}
	if !enabled() {
		t.Fatal("enabled tenant refused")
	}
	set(here, false)
	if enabled() {
		t.Fatal("a write through the same store was not seen at once")
	}
	set(elsewhere, true)
	if enabled() {
		t.Fatal("a write elsewhere was seen before the TTL passed (the setting was not reused)")
	}
	now = now.Add(time.Second)
	if !enabled() {
		t.Fatal("a write elsewhere was not seen after the TTL")
	}
	c.TTL = -1
	set(elsewhere, false)
	if enabled() {
		t.Fatal("a negative TTL reused the setting")
	}
}
