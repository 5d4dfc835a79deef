package reports_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/viewer"
	"github.com/dailyreports/dailyreports/jobs"
)

// A stored report is served from memory only while the database names it:
// a rebuild of the same data (a new SHA-256) and new data (a new version)
// are both served at once, never the cached report.
func TestStoredReportCacheFollowsTheDatabase(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	tenant := e.Tenant("acme", true, 1)
	write := e.Token(tenant, viewer.ScopeConversationsWrite)
	read := e.Token(tenant, viewer.ScopeReportsRead)
	day := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -1)
	e.Ingest(write, []apptest.Conv{apptest.NewConv("c-1", day.Add(10*time.Hour+time.Minute))})
	generate := func() {
		t.Helper()
		r := e.App.Runner()
		p := jobs.RunPayload{RunID: fmt.Sprintf("gen-%d", time.Now().UnixNano()), Day: day.Format("2006-01-02"), Hours: []int{10}, Force: true}
		if _, err := r.Run(context.Background(), p, &jobs.LocalExecutor{Runner: r, Parallel: 1}); err != nil {
			t.Fatal(err)
		}
	}
	fetch := func() (source, sum string, convs string) {
		t.Helper()
		resp := e.Do(http.MethodGet, apptest.ReportPath(day.Format("2006-01-02"), 10, true), read, nil)
		apptest.Read(t, resp)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("fetch: %d", resp.StatusCode)
		}
		return resp.Header.Get("X-Report-Source"), resp.Header.Get("X-Report-Sha256"), resp.Header.Get("X-Report-Conversation-Count")
	}
	generate()
	src, first, _ := fetch()
	if src != "stored" {
		t.Fatalf("first fetch: source %s", src)
	}
	if _, again, _ := fetch(); again != first {
		t.Fatalf("second fetch: sha %s, want %s", again, first)
	}
	time.Sleep(1100 * time.Millisecond) // a new GeneratedAt, so a new zip
	generate()
	if src, rebuilt, _ := fetch(); src != "stored" || rebuilt == first {
		t.Fatalf("after a rebuild: source %s, sha %s (the cached one is %s)", src, rebuilt, first)
	}
	e.Ingest(write, []apptest.Conv{apptest.NewConv("c-2", day.Add(10*time.Hour+2*time.Minute))})
	if src, _, n := fetch(); src != "live" || n != "2" {
		t.Fatalf("after new data: source %s, %s conversations", src, n)
	}
}
