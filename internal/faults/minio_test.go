package faults

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/reports"
	"github.com/dailyreports/dailyreports/internal/seed"
	"github.com/dailyreports/dailyreports/internal/store"
	"github.com/dailyreports/dailyreports/internal/viewer"
	"github.com/dailyreports/dailyreports/jobs"
)

// failedAt returns a predicate: failed after exactly n attempts.
func failedAt(n int) func(*store.ChunkState) bool {
	return func(r *store.ChunkState) bool { return r.Failed() && r.Attempts == n }
}

// MinIO down during the first pass and back before the retry pass: every
// chunk fails its first attempt and is stored by its second, once.
func TestMinIODownDuringFirstPass(t *testing.T) {
	t.Parallel()
	const passDelay = 20 * time.Second
	c := newCluster(t, map[string]string{"RETRY_PASS_DELAY": passDelay.String()})
	tenants := c.tenants(2)
	day := daysAgo(5)
	dayS := day.Format(document.DayLayout)
	c.seed(tenants, seed.Options{Day: day, ConversationsPerHour: 3, MessagesPerConversation: 4})
	c.serve("worker", "worker", nil).Ready()

	c.minio.Stop(t)
	c.enqueueRun(jobs.RunPayload{RunID: "blip", Day: dayS})
	c.waitChunks(dayS, "every chunk failed at attempt 1", 2*time.Minute, all(48, failedAt(1)))
	back := time.Now()
	c.minio.Start(t)
	if took := time.Since(back); took > passDelay/2 {
		t.Logf("warning: MinIO took %s to come back; the retry pass starts %s after the first", took, passDelay)
	}
	rows := c.waitChunks(dayS, "every chunk stored at attempt 2", 2*time.Minute, all(48, func(r *store.ChunkState) bool {
		return stored(r) && r.Attempts == 2
	}))
	c.uploadedOnce(rows)
	c.checkObjects(rows)
}

// MinIO down for a whole run: every chunk fails three times and stays
// FAILED, the run ends, fetches are built live (and served though they
// cannot be stored), and once MinIO is back the next reconcile stores every
// chunk, once.
func TestMinIODownForWholeRun(t *testing.T) {
	t.Parallel()
	c := newCluster(t, map[string]string{"RETRY_PASS_DELAY": "300ms", "RECONCILE_INTERVAL": "2s"})
	tenants := c.tenants(2)
	day := yesterday(t)
	dayS := day.Format(document.DayLayout)
	c.seed(tenants, seed.Options{Day: day, ConversationsPerHour: 3, MessagesPerConversation: 4})
	c.serve("worker", "worker", nil).Ready()
	_, api := c.api("api")

	c.minio.Stop(t)
	c.enqueueRun(jobs.RunPayload{RunID: "outage", Day: dayS})
	c.waitChunks(dayS, "every chunk failed after 3 attempts", 2*time.Minute, all(48, failedAt(jobs.MaxAttempts)))
	c.waitTask(jobs.QueueControl, "run:outage", time.Minute)
	rows := c.waitChunks(dayS, "every chunk still failed after 3 attempts", 0, all(48, failedAt(jobs.MaxAttempts)))
	if rows[0].LastError != reports.FailedStorage {
		t.Errorf("last error %q, want %q", rows[0].LastError, reports.FailedStorage)
	}

	tok := c.Token(rows[5].Ref.TenantID, viewer.ScopeReportsRead)
	src, doc := fetch(t, api, tok, rows[5])
	if src != "live" || doc.ConversationCount != 3 {
		t.Errorf("fetch with MinIO down: source %q, %d conversations; want a live build of 3", src, doc.ConversationCount)
	}
	sameDoc(t, "live build with MinIO down", doc, c.cleanDoc(rows[5]))

	c.minio.Start(t)
	c.serve("scheduler", "scheduler", nil).Ready()
	rows = c.waitChunks(dayS, "every chunk stored by a reconcile", 2*time.Minute, all(48, func(r *store.ChunkState) bool {
		return stored(r) && strings.HasPrefix(r.RunID, "reconcile-")
	}))
	c.uploadedOnce(rows)
	c.checkObjects(rows)
	if src, _ := fetch(t, api, tok, rows[5]); src != "stored" {
		t.Errorf("fetch after the reconcile: source %q, want stored", src)
	}
}

// fetch GETs a row's report as JSON from an API process and returns its
// X-Report-Source and document.
func fetch(t *testing.T, api, token string, r *store.ChunkState) (string, apptest.Doc) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, api+apptest.ReportPath(r.Ref.Hour.DayString(), r.Ref.Hour.Hour, false), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("fetch: %v", err)
	}
	body := apptest.Read(t, resp)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("fetch %s: %d %s", key(r), resp.StatusCode, body)
	}
	return resp.Header.Get("X-Report-Source"), apptest.DecodeDoc(t, body)
}
