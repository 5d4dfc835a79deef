package ops_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus/testutil"
	dto "github.com/prometheus/client_model/go"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/viewer"
	"github.com/dailyreports/dailyreports/jobs"
)

func yesterday() time.Time { return time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -1) }

// TestLiveBuildRefusalsCounted checks that both edges count the requests
// the live-build cap refuses, the series the alert on refusals watches.
func TestLiveBuildRefusalsCounted(t *testing.T) {
	e := apptest.New(t, apptest.Options{Env: map[string]string{"LIVE_BUILDS_PER_TENANT": "1"}})
	gate, uploading := make(chan struct{}), make(chan struct{}, 1)
	var once sync.Once
	open := func() { once.Do(func() { close(gate) }) }
	t.Cleanup(open)
	b := e.App.Reports.Builder
	b.Blob = &apptest.Objects{Objects: b.Blob, Fail: func(_ string, n int) bool {
		uploading <- struct{}{}
		<-gate // hold every build at its upload: the first keeps the cap full
		return false
	}}
	tenant := e.Tenant("acme", true, 1)
	day := yesterday()
	e.Ingest(e.Token(tenant, viewer.ScopeConversationsWrite), []apptest.Conv{apptest.NewConv("a", day.Add(4*time.Hour))})
	read := e.Token(tenant, viewer.ScopeReportsRead)
	refused := func() float64 { return testutil.ToFloat64(e.App.Metrics.LiveBuildsRefused) }

	first := make(chan int, 1)
	go func() {
		resp := e.Do(http.MethodGet, apptest.ReportPath(day.Format(time.DateOnly), 4, false), read, nil)
		resp.Body.Close()
		first <- resp.StatusCode
	}()
	select {
	case <-uploading:
	case <-time.After(30 * time.Second):
		t.Fatal("the first build never reached its upload")
	}
	resp := e.Do(http.MethodGet, apptest.ReportPath(day.Format(time.DateOnly), 5, false), read, nil)
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests || refused() != 1 {
		t.Fatalf("REST at the cap: status %d, %v refusals counted; want 429 and 1", resp.StatusCode, refused())
	}
	body, _ := json.Marshal(map[string]any{"query": `{ hourlyReport(utcDay: "` + day.Format(time.DateOnly) + `", utcHour: 6) { data } }`})
	resp = e.Do(http.MethodPost, "/graphql", read, body, "Content-Type", "application/json")
	if b := apptest.Read(t, resp); !bytes.Contains(b, []byte("TOO_MANY_REQUESTS")) || refused() != 2 {
		t.Fatalf("GraphQL at the cap: %s, %v refusals counted; want TOO_MANY_REQUESTS and 2", b, refused())
	}
	open()
	if s := <-first; s != http.StatusOK {
		t.Fatalf("first request: %d", s)
	}
}

// TestNightObserved runs a night whose uploads all fail: once its last
// retry pass is over, its chunks are counted as given up, the night as
// finished (in Redis, where every process reads it), and asynq's queues
// show the work done.
func TestNightObserved(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	e.App.Objects = &apptest.Objects{Objects: e.App.Blob, Fail: func(string, int) bool { return true }}
	e.StartWorker()
	e.Tenant("acme", true, 1)
	m := e.App.Metrics
	if got := gauge(t, e, "dailyreports_nightly_last_finished_day_timestamp_seconds", nil); got != 0 {
		t.Fatalf("last finished night %v before any, want 0", got)
	}
	client := asynq.NewClient(e.App.Redis)
	defer client.Close()
	if _, err := client.Enqueue(jobs.NewNightlyTask()); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for testutil.ToFloat64(m.RunsFinished.WithLabelValues("nightly")) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the night never finished")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if n := testutil.ToFloat64(m.ChunksGivenUp.WithLabelValues("nightly")); n != 24 {
		t.Errorf("%v chunks given up, want 24 (every hour of the day failed three times)", n)
	}
	if got := gauge(t, e, "dailyreports_nightly_last_finished_day_timestamp_seconds", nil); got != float64(yesterday().Unix()) {
		t.Errorf("last finished night %v, want %v (yesterday)", got, yesterday().Unix())
	}
	day, err := e.App.Nightly.LastFinished(context.Background())
	if err != nil || !day.Equal(yesterday()) {
		t.Errorf("recorded night %v (%v), want yesterday", day, err)
	}
	if p := gauge(t, e, "asynq_tasks_processed_total", map[string]string{"queue": jobs.QueueChunks}); p < 72 {
		t.Errorf("%v chunk tasks processed, want at least 72 (24 hours, 3 passes)", p)
	}
}

// gauge returns the value of the series name with labels from the
// service's registry; it fails the test when there is none.
func gauge(t *testing.T, e *apptest.Env, name string, labels map[string]string) float64 {
	t.Helper()
	fams, err := e.App.Metrics.Registry.Gather()
	if err != nil {
		t.Fatalf("gather: %v", err)
	}
	for _, f := range fams {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			if hasLabels(m, labels) {
				if c := m.GetCounter(); c != nil {
					return c.GetValue()
				}
				return m.GetGauge().GetValue()
			}
		}
	}
	t.Fatalf("no series %s%v", name, labels)
	return 0
}

func hasLabels(m *dto.Metric, want map[string]string) bool {
	n := 0
	for _, l := range m.GetLabel() {
		if v, ok := want[l.GetName()]; ok && v == l.GetValue() {
			n++
		}
	}
	return n == len(want)
}
