package retention_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/minio/minio-go/v7/pkg/lifecycle"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/blob"
	"github.com/dailyreports/dailyreports/internal/retention"
	"github.com/dailyreports/dailyreports/internal/store"
)

// tenantRule is the rule SyncLifecycle writes for a tenant.
func tenantRule(id uuid.UUID, months int) blob.ExpiryRule {
	return blob.ExpiryRule{ID: retention.RuleOwner + id.String(), Prefix: id.String() + "/", Days: retention.LifecycleDays(months)}
}

// wantRules checks the bucket's rules in MinIO.
func wantRules(t *testing.T, e *apptest.Env, what string, want ...blob.ExpiryRule) {
	t.Helper()
	slices.SortFunc(want, func(a, b blob.ExpiryRule) int { return strings.Compare(a.ID, b.ID) })
	if got := rules(t, e); !slices.Equal(got, want) {
		t.Fatalf("%s: rules %v\nwant %v", what, got, want)
	}
}

func settings(t *testing.T, e *apptest.Env, id uuid.UUID, enabled bool, months int) {
	t.Helper()
	if _, err := e.App.Store.UpdateTenantSettings(apptest.System(), id, store.TenantSettings{Enabled: enabled, RetentionMonths: months}); err != nil {
		t.Fatal(err)
	}
}

// SyncLifecycle keeps one expiry rule per tenant prefix in MinIO, enabled
// tenants or not, whatever the caller's viewer: added for a new tenant,
// updated when its retention changes, removed when it is gone, and an
// operator's own rule kept. (That an unchanged configuration is not
// rewritten shows in the second sweep of the sweep test.)
func TestSyncLifecycleFollowsTheSettings(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	ctx := context.Background() // no viewer: the sync acts as the service
	raw := e.MinIO.Client(t)
	ops := lifecycle.NewConfiguration()
	ops.Rules = []lifecycle.Rule{{ID: "ops-tmp", Status: "Enabled", RuleFilter: lifecycle.Filter{Prefix: "tmp/"},
		Expiration: lifecycle.Expiration{Days: 2}}}
	if err := raw.SetBucketLifecycle(ctx, e.App.Config.S3Bucket, ops); err != nil {
		t.Fatal(err)
	}
	opsRule := blob.ExpiryRule{ID: "ops-tmp", Prefix: "tmp/", Days: 2}
	svc := e.App.Retention()
	a := e.Tenant("a", true, 1)
	b := e.Tenant("b", false, 3)
	if err := svc.SyncLifecycle(ctx); err != nil {
		t.Fatal(err)
	}
	wantRules(t, e, "two tenants", opsRule, tenantRule(a, 1), tenantRule(b, 3))
	for _, r := range rules(t, e) {
		if (r.Prefix == a.String()+"/" && r.Days != 32) || (r.Prefix == b.String()+"/" && r.Days != 94) {
			t.Fatalf("rule %+v: one month expires after 32 days, three after 94", r)
		}
	}

	settings(t, e, b, false, 2)
	settings(t, e, a, false, 3)
	// There is no tenant deletion yet: c's row is written directly, so that
	// no other row (an audit entry) holds on to it.
	c := uuid.New()
	e.SQL(`INSERT INTO tenants (id, name, report_enabled, retention_months, created_at) VALUES ($1, 'c', true, 1, now())`, c)
	if err := svc.SyncLifecycle(ctx); err != nil {
		t.Fatal(err)
	}
	wantRules(t, e, "after changes", opsRule, tenantRule(a, 3), tenantRule(b, 2), tenantRule(c, 1))

	e.SQL(`DELETE FROM tenants WHERE id = $1`, c)
	if err := svc.SyncLifecycle(ctx); err != nil {
		t.Fatal(err)
	}
	wantRules(t, e, "after a tenant is gone", opsRule, tenantRule(a, 3), tenantRule(b, 2))
}

// Settings changed and synced concurrently from several services end with
// the rules of the final settings.
func TestSyncLifecycleConverges(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	ids := make([]uuid.UUID, 6)
	for i := range ids {
		ids[i] = e.Tenant(fmt.Sprint(i), true, 1)
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(ids)*3)
	for i, id := range ids {
		wg.Go(func() {
			svc := e.App.Retention() // one per "process"
			for m := 1; m <= 1+i%3; m++ {
				_, err := e.App.Store.UpdateTenantSettings(apptest.System(), id, store.TenantSettings{Enabled: true, RetentionMonths: m})
				if err == nil {
					err = svc.SyncLifecycle(context.Background())
				}
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	var want []blob.ExpiryRule
	for i, id := range ids {
		want = append(want, tenantRule(id, 1+i%3))
	}
	wantRules(t, e, "after concurrent syncs", want...)
}
