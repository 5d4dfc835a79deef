package webhooks_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/testenv"
	"github.com/dailyreports/dailyreports/internal/viewer"
	"github.com/dailyreports/dailyreports/jobs"
)

// The day's completion reaches a receiver that verifies every request with
// the standardwebhooks npm package and fails the first two: the third
// attempt, after the configured waits, is accepted; the three carry one
// webhook-id and the same body, every attempt is recorded, and nothing is
// sent again after. Two workers and two schedulers run, and the run is
// queued twice: each attempt still reaches the receiver once. A late
// conversation then makes the stored hour rebuild on a fetch, and its
// report.hour.rebuilt event names the new sha256.
func TestDeliveriesVerifiedByStandardWebhooks(t *testing.T) {
	e := apptest.New(t, apptest.Options{Env: map[string]string{
		"WEBHOOK_ALLOW_PRIVATE": "true", "WEBHOOK_RETRY_DELAYS": "1s,2s,2s,2s,2s",
	}})
	tenant := e.Tenant("acme", true, 1)
	write := e.Token(tenant, viewer.ScopeConversationsWrite)
	e.Ingest(write, []apptest.Conv{apptest.NewConv("c-1", inHour(5, 1))})
	addr := freeAddr(t)
	hookID, secret := newWebhook(t, e, tenant, "http://"+addr+"/hook", "DAY_COMPLETED", "HOUR_REBUILT")
	rcv := testenv.StartReceiver(t, testenv.ReceiverOptions{Secret: secret, FailFirst: 2, Addr: addr})
	for range 2 {
		e.StartWorker()
		stop, err := e.App.StartScheduler()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(stop)
	}
	day := yesterday().Format(document.DayLayout)
	for range 2 {
		enqueueRun(t, e, jobs.RunPayload{RunID: "nightly-" + day, Day: day})
	}

	got := rcv.Wait(t, time.Minute, "the day's completion accepted", func(got []testenv.Received) bool {
		done := ofType(got, "report.day.completed")
		return len(done) > 0 && done[len(done)-1].Status == 200
	})
	done := ofType(got, "report.day.completed")
	checkAttempts(t, done, []int{500, 500, 200})
	gaps := []time.Duration{time.Duration(done[1].At-done[0].At) * time.Millisecond, time.Duration(done[2].At-done[1].At) * time.Millisecond}
	t.Logf("attempts of report.day.completed: waits %v, %v (configured 1s, 2s)", gaps[0], gaps[1])
	if gaps[0] < time.Second || gaps[1] < 2*time.Second || gaps[1] > 8*time.Second {
		t.Errorf("waits between attempts %v, want about 1s then 2s", gaps)
	}
	conformsToDocs(t, "DayEvent", done)
	body := decodeBody(t, done[2])
	if body.Data.TenantID != tenant.String() || body.Data.UtcDay != day || len(body.Data.Hours) != 24 {
		t.Fatalf("body data %+v", body.Data)
	}
	resp := e.Do(http.MethodGet, apptest.ReportPath(day, 5, true), e.Token(tenant, viewer.ScopeReportsRead), nil)
	apptest.Read(t, resp)
	h5 := body.Data.Hours[5]
	if h5.Status != "STORED" || *h5.ConversationCount != 1 || *h5.MessageCount != 2 || *h5.Sha256 != resp.Header.Get("X-Report-Sha256") {
		t.Errorf("hour 5 in the event: %+v, the route's sha256 %s", h5, resp.Header.Get("X-Report-Sha256"))
	}
	if want := e.App.Config.PublicURL + "/api/external/conversations/daily-report/" + day; body.Data.URL != want {
		t.Errorf("manifest link %q, want %q", body.Data.URL, want)
	}
	checkRecorded(t, e, hookID, "report.day.completed", []int{500, 500, 200})

	// Late data: the stored hour goes stale; the fetch rebuilds it.
	e.Ingest(write, []apptest.Conv{apptest.NewConv("c-2", inHour(5, 30))})
	resp = e.Do(http.MethodGet, apptest.ReportPath(day, 5, true), e.Token(tenant, viewer.ScopeReportsRead), nil)
	apptest.Read(t, resp)
	got = rcv.Wait(t, time.Minute, "the hour's rebuild accepted", func(got []testenv.Received) bool {
		r := ofType(got, "report.hour.rebuilt")
		return len(r) > 0 && r[len(r)-1].Status == 200
	})
	rebuilt := ofType(got, "report.hour.rebuilt")
	checkAttempts(t, rebuilt, []int{500, 500, 200})
	conformsToDocs(t, "DayEvent", rebuilt)
	rb := decodeBody(t, rebuilt[2])
	if len(rb.Data.Hours) != 1 || rb.Data.Hours[0].UtcHour != 5 || *rb.Data.Hours[0].ConversationCount != 2 ||
		*rb.Data.Hours[0].Sha256 != resp.Header.Get("X-Report-Sha256") {
		t.Errorf("rebuilt event %+v, the route's sha256 %s", rb.Data, resp.Header.Get("X-Report-Sha256"))
	}

	time.Sleep(3 * time.Second) // anything more would have come by now
	if n := len(ofType(rcv.Received(), "report.day.completed")); n != 3 {
		t.Errorf("report.day.completed reached the receiver %d times, want 3", n)
	}
	m := e.App.Webhooks.Metrics.Deliveries
	if d, r := testutil.ToFloat64(m.WithLabelValues("delivered")), testutil.ToFloat64(m.WithLabelValues("retried")); d != 2 || r != 4 {
		t.Errorf("deliveries metric: delivered %v retried %v, want 2 and 4", d, r)
	}
}

// checkAttempts checks the requests of one event: one webhook-id, every
// signature verified by the library, the same body, the given answers.
func checkAttempts(t *testing.T, got []testenv.Received, statuses []int) {
	t.Helper()
	if len(got) != len(statuses) {
		t.Fatalf("%d requests, want %d: %+v", len(got), len(statuses), got)
	}
	for i, r := range got {
		if !r.Verified || r.ID != got[0].ID || r.Status != statuses[i] || string(r.Body) != string(got[0].Body) {
			t.Errorf("request %d: %+v (first id %s)", i+1, r, got[0].ID)
		}
	}
}

// checkRecorded checks, through GraphQL, the one delivery of typ to a
// webhook and its recorded attempts, once the last is recorded (the
// receiver answers before the worker records).
func checkRecorded(t *testing.T, e *apptest.Env, hookID, typ string, statuses []int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for e.SQL(`SELECT count(*) FROM webhook_deliveries WHERE type = $1 AND status = 'PENDING'`, typ)[0] != "0" && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	var out struct {
		Webhooks []struct {
			ID         string
			Deliveries []struct {
				Type, Status   string
				Attempt        int
				ResponseStatus *int
				Attempts       []struct {
					Attempt        int
					ResponseStatus *int
					Error          string
				}
			}
		}
	}
	e.MustGraphQL(t, hostToken(e), `{ webhooks { id deliveries(first: 5) { type status attempt responseStatus attempts { attempt responseStatus error } } } }`, nil, &out)
	if len(out.Webhooks) != 1 || out.Webhooks[0].ID != hookID {
		t.Fatalf("webhooks %+v", out.Webhooks)
	}
	for _, d := range out.Webhooks[0].Deliveries {
		if d.Type != typ {
			continue
		}
		if d.Status != "DELIVERED" || d.Attempt != len(statuses) || *d.ResponseStatus != statuses[len(statuses)-1] || len(d.Attempts) != len(statuses) {
			t.Fatalf("delivery %+v", d)
		}
		for i, a := range d.Attempts {
			if a.Attempt != i+1 || *a.ResponseStatus != statuses[i] || (statuses[i] == 200) != (a.Error == "") {
				t.Errorf("attempt %d recorded as %+v", i+1, a)
			}
		}
		return
	}
	t.Fatalf("no delivery of %s: %+v", typ, out.Webhooks[0].Deliveries)
}
