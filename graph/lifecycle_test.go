package graph_test

import (
	"testing"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/retention"
)

// Creating a tenant and changing its retention keep the bucket's lifecycle
// rule for the tenant's prefix in step, read back from MinIO.
func TestLifecycleFollowsSettings(t *testing.T) {
	w := newWorld(t, apptest.Options{})
	days := func(prefix string) int {
		t.Helper()
		rules, err := w.e.App.Blob.ExpiryRules(apptest.System())
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rules {
			if r.Prefix == prefix {
				return r.Days
			}
		}
		return 0
	}
	var c struct{ CreateTenant tenantData }
	createTenant(t, w, w.host, map[string]any{"name": "Delta", "enabled": true, "retentionMonths": 2}).ok(t, &c)
	prefix := c.CreateTenant.ID + "/"
	if d := days(prefix); d != retention.LifecycleDays(2) {
		t.Fatalf("after createTenant: rule of %d days, want %d", d, retention.LifecycleDays(2))
	}
	updateSettings(t, w, w.host, c.CreateTenant.ID, false, 3).ok(t, nil)
	if d := days(prefix); d != retention.LifecycleDays(3) {
		t.Fatalf("after updateTenantReportSettings: rule of %d days, want %d", d, retention.LifecycleDays(3))
	}
}
