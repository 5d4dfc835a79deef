package retention_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/blob"
	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/retention"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// sweepNow is 2026-05-31: one calendar month back is 2026-05-01 (April has
// no 31st), three are 2026-03-03 (nor has February).
var sweepNow = time.Date(2026, 5, 31, 10, 0, 0, 0, time.UTC)

// days around both windows' first days; a report and a chunk row each at
// hours 0 and 23.
var sweepDays = []string{"2026-02-27", "2026-03-02", "2026-03-03", "2026-04-30", "2026-05-01", "2026-05-30"}

// seed gives a tenant its reports and chunk rows of sweepDays, an object
// without a row (2026-01-15), a row without an object (2026-01-16) and an
// object that is not a report.
func seed(t *testing.T, e *apptest.Env, tenant uuid.UUID) {
	t.Helper()
	for _, d := range sweepDays {
		for _, h := range []int{0, 23} {
			putReport(t, e, tenant, d, h)
			markStored(t, e, tenant, d, h)
		}
	}
	putReport(t, e, tenant, "2026-01-15", 5)
	markStored(t, e, tenant, "2026-01-16", 6)
	putObject(t, e, tenant.String()+"/notes.txt")
}

// expected returns the keys and chunk rows a tenant keeps from seed when
// its window starts at first.
func expected(tenant uuid.UUID, first string) (keys, rows []string) {
	for _, d := range sweepDays {
		if d < first {
			continue
		}
		for _, h := range []int{0, 23} {
			hr := document.NewHour(mustDay(d), h)
			keys = append(keys, document.ObjectKey(tenant, hr))
			rows = append(rows, hr.String())
		}
	}
	return append(keys, tenant.String()+"/notes.txt"), rows
}

func mustDay(d string) time.Time {
	day, err := time.Parse(document.DayLayout, d)
	if err != nil {
		panic(err)
	}
	return day
}

// The sweep deletes exactly the reports and chunk rows of days before each
// tenant's window, enabled or not, with one or three months, and keeps the
// rest, other objects and the conversations; a second sweep changes nothing.
func TestSweepDeletesExactlyTheExpiredDays(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	type tenantCase struct {
		id     uuid.UUID
		months int
		first  string
	}
	var tenants []tenantCase
	for _, c := range []struct {
		enabled bool
		months  int
		first   string
	}{{true, 1, "2026-05-01"}, {false, 1, "2026-05-01"}, {true, 3, "2026-03-03"}, {false, 3, "2026-03-03"}} {
		id := e.Tenant(fmt.Sprintf("%t-%d", c.enabled, c.months), c.enabled, c.months)
		seed(t, e, id)
		tenants = append(tenants, tenantCase{id, c.months, c.first})
	}
	// A late conversation on an expired day: its hour gets a chunk row
	// (deleted), the conversation itself is kept.
	late := apptest.NewConv("late", time.Date(2026, 2, 27, 10, 0, 0, 0, time.UTC))
	e.Ingest(e.Token(tenants[0].id, viewer.ScopeConversationsWrite), []apptest.Conv{late})
	putObject(t, e, "elsewhere/daily-report-2020-01-01-00.zip")

	svc := e.App.Retention()
	sum, err := svc.Sweep(context.Background(), sweepNow)
	if err != nil {
		t.Fatal(err)
	}
	// 1 month: 4 days × 2 + the lone object; rows 4 × 2 + the lone row (+ late).
	// 3 months: 2 days × 2 + 1 each.
	want := retention.Summary{Tenants: 4, Objects: 9 + 9 + 5 + 5, Chunks: 10 + 9 + 5 + 5, RulesChanged: true}
	if sum != want {
		t.Fatalf("summary %+v, want %+v", sum, want)
	}
	for _, tc := range tenants {
		wantKeys, wantRows := expected(tc.id, tc.first)
		if got := keys(t, e, tc.id); !slices.Equal(got, wantKeys) {
			t.Errorf("%d months: keys %v\nwant %v", tc.months, got, wantKeys)
		}
		if got := chunkDays(t, e, tc.id); !slices.Equal(got, wantRows) {
			t.Errorf("%d months: chunk rows %v\nwant %v", tc.months, got, wantRows)
		}
	}
	if n := e.SQL(`SELECT count(*) FROM conversations WHERE tenant_id = $1`, tenants[0].id); n[0] != "1" {
		t.Errorf("conversations kept: %s; want the late one", n[0])
	}
	if _, err := e.App.Blob.Stat(context.Background(), "elsewhere/daily-report-2020-01-01-00.zip"); err != nil {
		t.Errorf("an object outside every tenant's prefix: %v", err)
	}

	again, err := svc.Sweep(context.Background(), sweepNow)
	if err != nil || again != (retention.Summary{Tenants: 4}) {
		t.Fatalf("second sweep: %+v, %v; want nothing done", again, err)
	}
	for _, tc := range tenants {
		wantKeys, _ := expected(tc.id, tc.first)
		if got := keys(t, e, tc.id); !slices.Equal(got, wantKeys) {
			t.Errorf("%d months after the second sweep: keys %v", tc.months, got)
		}
	}
}

// With a store that has no lifecycle API the sweep still deletes expired
// reports, and the lifecycle sync does nothing.
func TestSweepWithoutLifecycle(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	tenant := e.Tenant("a", true, 1)
	old := putReport(t, e, tenant, "2026-04-30", 7)
	kept := putReport(t, e, tenant, "2026-05-01", 7)
	cfg := e.App.Config
	bucket, err := blob.New(blob.Config{Endpoint: cfg.S3Endpoint, AccessKey: cfg.S3AccessKey,
		SecretKey: cfg.S3SecretKey, Bucket: cfg.S3Bucket, Region: cfg.S3Region, NoLifecycle: true})
	if err != nil {
		t.Fatal(err)
	}
	svc := &retention.Service{Store: e.App.Store, Bucket: bucket, Log: apptest.Logger(t)}
	sum, err := svc.Sweep(context.Background(), sweepNow)
	if err != nil || sum != (retention.Summary{Tenants: 1, Objects: 1}) {
		t.Fatalf("sweep: %+v, %v", sum, err)
	}
	if got := keys(t, e, tenant); !slices.Equal(got, []string{kept}) {
		t.Fatalf("keys %v, want %s kept and %s gone", got, kept, old)
	}
	if err := svc.SyncLifecycle(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := rules(t, e); len(got) != 0 {
		t.Fatalf("rules written without the lifecycle API: %v", got)
	}
}
