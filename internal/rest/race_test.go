package rest_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/viewer"
	"github.com/dailyreports/dailyreports/jobs"
)

// While conversations keep arriving in one hour and builds (live and
// generate) race them, no fetch ever misses a conversation whose ingestion
// was acknowledged before the fetch began, and the final stored report has
// every conversation.
func TestIngestionRacingBuildsLosesNothing(t *testing.T) {
	// Each client may need a live build of its own (builds are shared only
	// by requests that saw the same data version): room for all three, so
	// the test is about freshness, not the per-tenant cap.
	e := apptest.New(t, apptest.Options{Env: map[string]string{"LIVE_BUILDS_PER_TENANT": "4"}})
	tenant := e.Tenant("acme", true, 1)
	day := yesterday()
	write := e.Token(tenant, viewer.ScopeConversationsWrite)
	read := e.Token(tenant, viewer.ScopeReportsRead)
	path := apptest.ReportPath(day.Format("2006-01-02"), 10, false)
	const total = 40
	var acked atomic.Int64
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	var wg sync.WaitGroup
	wg.Go(func() { // the platform, one conversation after another
		defer cancel()
		for i := range total {
			e.Ingest(write, []apptest.Conv{apptest.NewConv(fmt.Sprintf("c-%03d", i), day.Add(10*time.Hour+time.Duration(i)*time.Second))})
			acked.Store(int64(i + 1))
		}
	})
	wg.Go(func() { // the nightly job, rebuilding the day again and again
		r := e.App.Runner()
		for i := 0; ctx.Err() == nil; i++ {
			p := jobs.RunPayload{RunID: fmt.Sprintf("race-%d", i), Day: day.Format("2006-01-02"), Hours: []int{10}, Force: true}
			if _, err := r.Run(context.Background(), p, &jobs.LocalExecutor{Runner: r, Parallel: 1}); err != nil {
				t.Errorf("run: %v", err)
				return
			}
		}
	})
	for range 3 { // clients
		wg.Go(func() {
			for ctx.Err() == nil {
				before := int(acked.Load())
				resp := e.Do(http.MethodGet, path, read, nil)
				b := apptest.Read(t, resp)
				if resp.StatusCode != 200 {
					t.Errorf("fetch: %d %s", resp.StatusCode, b)
					return
				}
				doc := apptest.DecodeDoc(t, b)
				have := map[string]bool{}
				for _, c := range doc.Conversations {
					have[c.Id] = true
				}
				for i := range before {
					if id := fmt.Sprintf("c-%03d", i); !have[id] {
						t.Errorf("report (%s) misses %s, acknowledged before the fetch", resp.Header.Get("X-Report-Source"), id)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	resp := e.Do(http.MethodGet, path, read, nil)
	doc := apptest.DecodeDoc(t, apptest.Read(t, resp))
	if doc.ConversationCount != total {
		t.Fatalf("final report has %d conversations, want %d", doc.ConversationCount, total)
	}
}
