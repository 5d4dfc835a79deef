package rest_test

import (
	"context"
	"database/sql"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	_ "github.com/lib/pq"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// answer is a response read to the end, for requests sent from goroutines
// (which must not call t.Fatal).
type answer struct {
	status int
	header http.Header
	body   []byte
	err    error
}

// get sends a GET without failing the test, so goroutines can use it.
func get(e *apptest.Env, path, token string) answer {
	req, err := http.NewRequest(http.MethodGet, e.URL+path, nil)
	if err != nil {
		return answer{err: err}
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return answer{err: err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, header: resp.Header, body: body, err: err}
}

// goGet sends a GET in a goroutine; the channel yields its answer.
func goGet(e *apptest.Env, path, token string) <-chan answer {
	ch := make(chan answer, 1)
	go func() { ch <- get(e, path, token) }()
	return ch
}

// lockConversations blocks every read of the conversations table of the
// service's database until the returned func is called (or the test ends),
// so live builds stay in flight.
func lockConversations(t *testing.T, e *apptest.Env) (release func()) {
	t.Helper()
	db, err := sql.Open("postgres", e.App.Config.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := db.BeginTx(context.Background(), nil)
	if err == nil {
		_, err = tx.Exec("LOCK TABLE conversations IN ACCESS EXCLUSIVE MODE")
	}
	if err != nil {
		t.Fatalf("lock conversations: %v", err)
	}
	var once sync.Once
	release = func() { once.Do(func() { _ = tx.Rollback(); _ = db.Close() }) }
	t.Cleanup(release)
	return release
}

// waitGauge waits until the live builds gauge reads want.
func waitGauge(t *testing.T, e *apptest.Env, want float64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for testutil.ToFloat64(e.App.Metrics.LiveBuilds) != want {
		if time.Now().After(deadline) {
			t.Fatalf("live builds in flight: %v, want %v", testutil.ToFloat64(e.App.Metrics.LiveBuilds), want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// pending fails the test if ch already answered: its request must still be
// waiting on the build in flight.
func pending(t *testing.T, what string, ch <-chan answer) {
	t.Helper()
	select {
	case a := <-ch:
		t.Fatalf("%s answered %d while the build was in flight: %s", what, a.status, a.body)
	case <-time.After(300 * time.Millisecond):
	}
}

// done waits for the answer of ch and checks it is a 200.
func done(t *testing.T, what string, ch <-chan answer) answer {
	t.Helper()
	select {
	case a := <-ch:
		if a.err != nil || a.status != 200 {
			t.Fatalf("%s: status %d err %v: %s", what, a.status, a.err, a.body)
		}
		return a
	case <-time.After(30 * time.Second):
		t.Fatalf("%s: no answer", what)
	}
	return answer{}
}

// A tenant at its cap of live builds gets 429 with Retry-After for another
// hour, while a request for the hour being built joins that build and other
// tenants are not limited.
func TestLiveBuildCapAnswers429(t *testing.T) {
	e := apptest.New(t, apptest.Options{Env: map[string]string{"LIVE_BUILDS_PER_TENANT": "1"}})
	busy, calm := e.Tenant("busy", true, 1), e.Tenant("calm", true, 1)
	e.Ingest(e.Token(busy, viewer.ScopeConversationsWrite), []apptest.Conv{
		apptest.NewConv("a", inHour(4, 0)), apptest.NewConv("b", inHour(5, 0)),
	})
	e.Ingest(e.Token(calm, viewer.ScopeConversationsWrite), []apptest.Conv{apptest.NewConv("a", inHour(4, 0))})
	read, readCalm := e.Token(busy, viewer.ScopeReportsRead), e.Token(calm, viewer.ScopeReportsRead)
	day := yesterday().Format("2006-01-02")
	hourA, hourB := apptest.ReportPath(day, 4, true), apptest.ReportPath(day, 5, true)

	release := lockConversations(t, e)
	first := goGet(e, hourA, read)
	waitGauge(t, e, 1)

	select {
	case b := <-goGet(e, hourB, read):
		if b.status != http.StatusTooManyRequests || b.header.Get("Content-Type") != "application/problem+json" {
			t.Fatalf("another hour at the cap: status %d %q: %s", b.status, b.header.Get("Content-Type"), b.body)
		}
		if ra := b.header.Get("Retry-After"); ra == "" || ra == "0" {
			t.Errorf("429 with Retry-After %q", ra)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("another hour at the cap waits instead of being refused")
	}
	second := goGet(e, hourA, read)
	other := goGet(e, hourA, readCalm)
	waitGauge(t, e, 2) // the other tenant's build is in flight too
	pending(t, "a second request for the hour in flight", second)
	pending(t, "the first request", first)

	release()
	a1, a2 := done(t, "first request", first), done(t, "second request", second)
	done(t, "other tenant", other)
	if s := a1.header.Get("X-Report-Sha256"); s == "" || s != a2.header.Get("X-Report-Sha256") {
		t.Errorf("requests sharing a build got %q and %q", s, a2.header.Get("X-Report-Sha256"))
	}
	if n := e.Built("live"); n != 2 {
		t.Errorf("%v live builds, want 2 (one per tenant)", n)
	}
	if a := get(e, hourB, read); a.status != 200 {
		t.Errorf("hour B once the build is done: status %d: %s", a.status, a.body)
	}
}

// A burst of requests for one hour not stored yet costs exactly one live
// build, and every request gets the same report.
func TestBurstSharesOneLiveBuild(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	tenant := e.Tenant("acme", true, 1)
	e.Ingest(e.Token(tenant, viewer.ScopeConversationsWrite), []apptest.Conv{
		apptest.NewConv("a", inHour(20, 0)), apptest.NewConv("b", inHour(20, 59)),
	})
	read := e.Token(tenant, viewer.ScopeReportsRead)
	path := apptest.ReportPath(yesterday().Format("2006-01-02"), 20, true)

	start := make(chan struct{})
	answers := make([]answer, 200)
	var wg sync.WaitGroup
	for i := range answers {
		wg.Go(func() {
			<-start
			answers[i] = get(e, path, read)
		})
	}
	close(start)
	wg.Wait()
	sums := make(map[string]int)
	for i, a := range answers {
		if a.err != nil || a.status != 200 {
			t.Fatalf("request %d: status %d err %v: %s", i, a.status, a.err, a.body)
		}
		sums[a.header.Get("X-Report-Sha256")]++
	}
	if len(sums) != 1 || sums[""] != 0 {
		t.Errorf("X-Report-Sha256 of the answers: %v", sums)
	}
	if n := e.Built("live"); n != 1 {
		t.Errorf("%v live builds, want 1", n)
	}
}

// A request that begins after an ingestion was acknowledged never shares a
// live build that read the hour before it: sharing a build must not serve a
// report older than the data the client was told was ingested.
func TestLiveBuildNotSharedAcrossIngestion(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	gate, uploading := make(chan struct{}), make(chan struct{}, 1)
	var once sync.Once
	open := func() { once.Do(func() { close(gate) }) }
	t.Cleanup(open)
	b := e.App.Reports.Builder
	b.Blob = &apptest.Objects{Objects: b.Blob, Fail: func(_ string, n int) bool {
		if n == 1 { // hold the first build between its read and its upload
			uploading <- struct{}{}
			<-gate
		}
		return false
	}}
	tenant := e.Tenant("acme", true, 1)
	write, read := e.Token(tenant, viewer.ScopeConversationsWrite), e.Token(tenant, viewer.ScopeReportsRead)
	e.Ingest(write, []apptest.Conv{apptest.NewConv("before", inHour(12, 0))})
	path := apptest.ReportPath(yesterday().Format("2006-01-02"), 12, false)

	first := goGet(e, path, read)
	select {
	case <-uploading:
	case <-time.After(30 * time.Second):
		t.Fatal("the first build never reached its upload")
	}
	e.Ingest(write, []apptest.Conv{apptest.NewConv("after", inHour(12, 30))})
	second := goGet(e, path, read)
	time.Sleep(300 * time.Millisecond) // let it join the build in flight, if it does
	open()
	done(t, "first request", first)
	doc := apptest.DecodeDoc(t, done(t, "second request", second).body)
	if doc.ConversationCount != 2 {
		t.Fatalf("request sent after the ingestion was acknowledged got %d conversations, want 2 (before, after)", doc.ConversationCount)
	}
}
