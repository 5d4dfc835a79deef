package soak

import (
	"fmt"
	"slices"
	"sync"
	"time"
)

// Kinds of requests.
const (
	kindZip    = "rest_zip"      // GET …/{day}/{hour}?compressed=true
	kindJSON   = "rest_json"     // GET …/{day}/{hour}?compressed=false, checked
	kindInline = "graphql_data"  // hourlyReport { data }, checked
	kindDaily  = "graphql_daily" // dailyReport
	kindIngest = "ingest"        // POST /api/external/conversations
)

// kinds lists the kinds in the order figures print them.
var kinds = []string{kindZip, kindJSON, kindInline, kindDaily, kindIngest}

// maxSamples is how many error and stale messages are kept for the report.
const maxSamples = 20

// tally counts what the load generator saw.
type tally struct {
	mu        sync.Mutex
	requests  map[string]int
	errors    map[string]int
	shed      map[string]int
	throttled map[string]int
	stale     int
	checked   int // acknowledged conversations checked in answers
	live      int // answers built live (X-Report-Source: live)
	errSample []string
	stlSample []string
	zipLat    []time.Duration
}

func newTally() *tally {
	return &tally{requests: map[string]int{}, errors: map[string]int{}, shed: map[string]int{}, throttled: map[string]int{}}
}

// sent counts one request of kind.
func (t *tally) sent(kind string) {
	t.mu.Lock()
	t.requests[kind]++
	t.mu.Unlock()
}

// fail counts an error of kind.
func (t *tally) fail(kind, format string, args ...any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.errors[kind]++
	if len(t.errSample) < maxSamples {
		t.errSample = append(t.errSample, kind+": "+fmt.Sprintf(format, args...))
	}
}

// staleAnswer counts an answer older than what was acknowledged.
func (t *tally) staleAnswer(kind string, problems []string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.stale++
	if len(t.stlSample) < maxSamples {
		t.stlSample = append(t.stlSample, fmt.Sprintf("%s: %v", kind, problems[:min(len(problems), 3)]))
	}
}

// checkedConvs counts acknowledged conversations checked in an answer.
func (t *tally) checkedConvs(n int) {
	t.mu.Lock()
	t.checked += n
	t.mu.Unlock()
}

// shedOne counts a request the generator could not send in time: every
// worker was busy.
func (t *tally) shedOne(kind string) {
	t.mu.Lock()
	t.shed[kind]++
	t.mu.Unlock()
}

// throttle counts a 429 of the live-build cap.
func (t *tally) throttle(kind string) {
	t.mu.Lock()
	t.throttled[kind]++
	t.mu.Unlock()
}

// zip records the latency of one zip fetch and whether it was built live.
func (t *tally) zip(d time.Duration, live bool) {
	t.mu.Lock()
	t.zipLat = append(t.zipLat, d)
	if live {
		t.live++
	}
	t.mu.Unlock()
}

// zipPercentile returns the p-th percentile (0–100) of zip latencies.
func (t *tally) zipPercentile(p float64) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.zipLat) == 0 {
		return 0
	}
	s := slices.Clone(t.zipLat)
	slices.Sort(s)
	return s[min(len(s)-1, int(p/100*float64(len(s))))]
}
