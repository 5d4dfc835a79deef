package rest_test

import (
	"bytes"
	"fmt"
	"net/http"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// invalidBatch is an NDJSON batch of about size bytes whose last line is
// invalid, so it is read and decoded in full, then refused.
func invalidBatch(t *testing.T, size int) ([]byte, int) {
	t.Helper()
	var buf bytes.Buffer
	n := 0
	for buf.Len() < size {
		c := apptest.NewConv(fmt.Sprintf("c-%d", n), inHour(5, n%60))
		c.Messages[0].Text = strings.Repeat("lorem ipsum ", 200)
		buf.Write(ndjson(t, c))
		n++
	}
	bad := apptest.NewConv("bad", inHour(5, 0))
	bad.Messages[0].Sender = "robot"
	buf.Write(ndjson(t, bad))
	return buf.Bytes(), n + 1
}

// Twelve large invalid batches at once, against a budget that holds one:
// the rest wait for their share or are refused with 503 and Retry-After,
// every batch is refused cleanly, the budget is never exceeded, and the
// heap stays far below what twelve decoded batches would take.
func TestIngestBudgetBoundsMemory(t *testing.T) {
	// MEMORY_LIMIT 64MiB: a budget of 8 MiB of bodies in flight.
	e := apptest.New(t, apptest.Options{Env: map[string]string{"MEMORY_LIMIT": "64MiB"}})
	write := e.Token(e.Tenant("acme", true, 1), viewer.ScopeConversationsWrite)
	body, lines := invalidBatch(t, 6<<20)

	// A lower GC target keeps the heap close to what is live, which is
	// what the budget bounds.
	defer debug.SetGCPercent(debug.SetGCPercent(25))
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	baseline := ms.HeapAlloc
	var peakHeap uint64
	var peakBudget float64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		for {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			peakHeap = max(peakHeap, ms.HeapAlloc)
			peakBudget = max(peakBudget, testutil.ToFloat64(e.App.Metrics.IngestBytes))
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()

	type answer struct {
		status        int
		retry, detail string
	}
	answers := make([]answer, 12)
	var wg sync.WaitGroup
	for i := range answers {
		wg.Go(func() {
			resp := post(e, write, body, "application/x-ndjson")
			retry := resp.Header.Get("Retry-After")
			p := wantProblem(t, resp, resp.StatusCode)
			answers[i] = answer{resp.StatusCode, retry, p.Detail}
		})
	}
	wg.Wait()
	close(stop)
	<-sampled

	refusedAsInvalid := 0
	for _, a := range answers {
		switch {
		case a.status == http.StatusBadRequest && strings.HasPrefix(a.detail, fmt.Sprintf("line %d: ", lines)):
			refusedAsInvalid++
		case a.status == http.StatusServiceUnavailable && a.retry != "":
		default:
			t.Errorf("answer %+v, want 400 naming line %d, or 503 with Retry-After", a, lines)
		}
	}
	if refusedAsInvalid == 0 {
		t.Error("no batch was read at all")
	}
	if peakBudget > 8<<20 || testutil.ToFloat64(e.App.Metrics.IngestBytes) != 0 {
		t.Errorf("budget held at most %.0f bytes (of 8 MiB), %v at the end", peakBudget, testutil.ToFloat64(e.App.Metrics.IngestBytes))
	}
	// Twelve batches decoded at once would hold over 12 × 6 MiB.
	if grew := int64(peakHeap) - int64(baseline); grew > 24<<20 {
		t.Errorf("heap grew by %d MiB", grew>>20)
	}
	t.Logf("%d of 12 read and refused as invalid, the rest 503; budget peak %.1f MiB; heap grew by at most %.1f MiB",
		refusedAsInvalid, peakBudget/(1<<20), float64(int64(peakHeap)-int64(baseline))/(1<<20))
}
