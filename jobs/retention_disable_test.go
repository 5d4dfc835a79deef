package jobs_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/store"
	"github.com/dailyreports/dailyreports/internal/viewer"
	"github.com/dailyreports/dailyreports/jobs"
)

// getReport fetches hour 2 of day for tenant, with a tenant token or, when
// host, a host token naming the tenant; it returns the status and source.
func getReport(t *testing.T, e *apptest.Env, tenant uuid.UUID, day string, host bool) (int, string) {
	t.Helper()
	var resp *http.Response
	if host {
		resp = e.Do(http.MethodGet, apptest.ReportPath(day, 2, true), e.Token(uuid.Nil, viewer.ScopeHostAdmin), nil,
			"X-Tenant-Id", tenant.String())
	} else {
		resp = e.Do(http.MethodGet, apptest.ReportPath(day, 2, true), e.Token(tenant, viewer.ScopeReportsRead), nil)
	}
	apptest.Read(t, resp)
	return resp.StatusCode, resp.Header.Get("X-Report-Source")
}

func setEnabled(t *testing.T, e *apptest.Env, tenant uuid.UUID, enabled bool) {
	t.Helper()
	_, err := e.App.Store.UpdateTenantSettings(apptest.System(), tenant, store.TenantSettings{Enabled: enabled, RetentionMonths: 1})
	if err != nil {
		t.Fatal(err)
	}
}

// A disabled tenant gets no reports generated and no access (403, for its
// own token and a host naming it), while an enabled one gets both.
// Disabling a tenant later keeps its stored reports, through the retention
// sweep, until they expire: re-enabled, it is served the stored ones.
func TestDisabledTenantKeepsReportsUntilTheyExpire(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	on := e.Tenant("on", true, 1)
	off := e.Tenant("off", false, 1)
	now := time.Now().UTC()
	yesterday := document.NewHour(now, 0).Day.AddDate(0, 0, -1)
	day := yesterday.Format(document.DayLayout)
	for _, id := range []uuid.UUID{on, off} {
		e.Ingest(e.Token(id, viewer.ScopeConversationsWrite), []apptest.Conv{apptest.NewConv("c", yesterday.Add(2*time.Hour))})
	}

	r := e.App.Runner()
	sum, err := r.Run(context.Background(), jobs.RunPayload{RunID: "nightly-" + day, Day: day}, &jobs.LocalExecutor{Runner: r, Parallel: 4})
	if err != nil || sum.Chunks != 24 || sum.Stored != 24 {
		t.Fatalf("nightly run %+v, %v; want the enabled tenant's 24 chunks", sum, err)
	}
	if n := len(objectKeys(t, e, on)); n != 24 {
		t.Fatalf("enabled tenant has %d reports, want 24", n)
	}
	if keys := objectKeys(t, e, off); len(keys) != 0 {
		t.Fatalf("disabled tenant has reports %v", keys)
	}
	for _, host := range []bool{false, true} {
		if code, _ := getReport(t, e, off, day, host); code != http.StatusForbidden {
			t.Fatalf("disabled tenant (host %t): %d, want 403", host, code)
		}
		if code, src := getReport(t, e, on, day, host); code != http.StatusOK || src != "stored" {
			t.Fatalf("enabled tenant (host %t): %d %s, want 200 stored", host, code, src)
		}
	}
	if keys := objectKeys(t, e, off); len(keys) != 0 {
		t.Fatalf("a refused request built reports %v", keys)
	}

	setEnabled(t, e, on, false)
	if code, _ := getReport(t, e, on, day, false); code != http.StatusForbidden {
		t.Fatalf("after disabling: %d, want 403", code)
	}
	if _, err := e.App.Retention().Sweep(context.Background(), now); err != nil {
		t.Fatal(err)
	}
	if n := len(objectKeys(t, e, on)); n != 24 {
		t.Fatalf("after disabling and a sweep the tenant has %d reports, want 24", n)
	}
	setEnabled(t, e, on, true)
	if code, src := getReport(t, e, on, day, false); code != http.StatusOK || src != "stored" {
		t.Fatalf("re-enabled: %d %s, want 200 stored", code, src)
	}

	setEnabled(t, e, on, false)
	sweep, err := e.App.Retention().Sweep(context.Background(), now.AddDate(0, 1, 2))
	// The rows: the 24 built, and the disabled tenant's row of the hour its
	// ingestion wrote into.
	if err != nil || sweep.Objects != 24 || sweep.Chunks != 25 {
		t.Fatalf("sweep once expired: %+v, %v; want 24 reports and 25 rows", sweep, err)
	}
	if keys := objectKeys(t, e, on); len(keys) != 0 {
		t.Fatalf("expired reports kept: %v", keys)
	}
}
