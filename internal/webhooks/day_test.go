package webhooks_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/testenv"
	"github.com/dailyreports/dailyreports/internal/viewer"
	"github.com/dailyreports/dailyreports/jobs"
)

// A day whose hour 7 cannot be stored is reported failed, with that hour
// FAILED among the 24; another run that finds the day as it was (a
// reconcile retrying the hour) tells nothing new; once the hour is stored,
// the day is reported complete.
func TestDayEventsTellEachOutcomeOnce(t *testing.T) {
	e := apptest.New(t, apptest.Options{Env: map[string]string{"WEBHOOK_ALLOW_PRIVATE": "true"}})
	tenant := e.Tenant("acme", true, 1)
	e.Ingest(e.Token(tenant, viewer.ScopeConversationsWrite), []apptest.Conv{apptest.NewConv("c-1", inHour(7, 1))})
	addr := freeAddr(t)
	_, secret := newWebhook(t, e, tenant, "http://"+addr+"/hook", "DAY_COMPLETED", "DAY_FAILED")
	rcv := testenv.StartReceiver(t, testenv.ReceiverOptions{Secret: secret, Addr: addr})
	e.StartWorker()
	failing := true
	e.App.Objects = &apptest.Objects{Objects: e.App.Blob, Fail: func(key string, _ int) bool {
		return failing && strings.HasSuffix(key, "-07.zip")
	}}
	day := yesterday().Format(document.DayLayout)
	run := func(id string) {
		t.Helper()
		r := e.App.Runner()
		if _, err := r.Run(context.Background(), jobs.RunPayload{RunID: id, Day: day}, &jobs.LocalExecutor{Runner: r, Parallel: 2}); err != nil {
			t.Fatal(err)
		}
	}
	run("nightly-" + day)
	got := rcv.Wait(t, 30*time.Second, "the day failed", func(got []testenv.Received) bool { return len(ofType(got, "report.day.failed")) == 1 })
	body := decodeBody(t, ofType(got, "report.day.failed")[0])
	if len(body.Data.Hours) != 24 || body.Data.Hours[7].Status != "FAILED" || body.Data.Hours[7].Sha256 != nil || body.Data.Hours[6].Status != "STORED" {
		t.Errorf("day.failed hours: %+v", body.Data.Hours)
	}
	conformsToDocs(t, "DayEvent", got)
	run("reconcile-" + day + "-a")
	failing = false
	run("reconcile-" + day + "-b")
	got = rcv.Wait(t, 30*time.Second, "the day completed", func(got []testenv.Received) bool { return len(ofType(got, "report.day.completed")) == 1 })
	time.Sleep(time.Second)
	got = rcv.Received()
	if f, c := len(ofType(got, "report.day.failed")), len(ofType(got, "report.day.completed")); f != 1 || c != 1 {
		t.Errorf("received %d day.failed and %d day.completed, want 1 and 1", f, c)
	}
	if h := decodeBody(t, ofType(got, "report.day.completed")[0]).Data.Hours[7]; h.Status != "STORED" || *h.ConversationCount != 1 {
		t.Errorf("hour 7 in day.completed: %+v", h)
	}
}
