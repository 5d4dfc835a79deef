package jobs_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/viewer"
	"github.com/dailyreports/dailyreports/jobs"
)

// The reconcile catches up on a night the scheduler missed (the recent days
// in full) and on older hours that late data made stale.
func TestReconcilePlansMissedDaysAndStaleHours(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	tenant := e.Tenant("a", true, 3)
	write := e.Token(tenant, viewer.ScopeConversationsWrite)
	now := day.AddDate(0, 0, 10).Add(13 * time.Hour) // ten days after day
	r := e.App.Runner()
	local := &jobs.LocalExecutor{Runner: r, Parallel: 2}

	// day is built, then a late conversation makes its hour 8 stale.
	if _, err := r.Run(context.Background(), jobs.RunPayload{RunID: "first", Day: dayString()}, local); err != nil {
		t.Fatal(err)
	}
	e.Ingest(write, []apptest.Conv{apptest.NewConv("late", at(8, 15, 0, 0))})

	rec := &jobs.Reconciler{Store: e.App.Store}
	runs, err := rec.Plan(context.Background(), now)
	if err != nil {
		t.Fatal(err)
	}
	days := map[string]jobs.RunPayload{}
	for _, p := range runs {
		days[p.Day] = p
	}
	for _, d := range []string{now.AddDate(0, 0, -1).Format(document.DayLayout), now.AddDate(0, 0, -2).Format(document.DayLayout)} {
		if p, ok := days[d]; !ok || len(p.Tenants) != 0 {
			t.Fatalf("recent day %s not planned in full: %+v", d, runs)
		}
	}
	p, ok := days[dayString()]
	if !ok || len(p.Tenants) != 1 || p.Tenants[0] != tenant {
		t.Fatalf("stale day not planned for its tenant: %+v", runs)
	}
	// Running the plan rebuilds the stale hour only.
	sum, err := r.Run(context.Background(), p, local)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Chunks != 1 || sum.Stored != 1 || sum.Conversations != 1 {
		t.Fatalf("reconcile run %+v, want the one stale hour rebuilt", sum)
	}
	if doc := storedDoc(t, e, tenant, 8); doc.ConversationCount != 1 || doc.Conversations[0].Id != "late" {
		t.Fatalf("rebuilt hour %+v", doc)
	}
	// A second plan in a later slot finds nothing stale on that day.
	runs, err = rec.Plan(context.Background(), now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range runs {
		if p.Day == dayString() {
			t.Fatalf("day planned again after it was reconciled: %+v", p)
		}
	}
}

// The nightly task plans the previous UTC day, and the workers build it.
func TestNightlyTaskBuildsPreviousDay(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	tenant := e.Tenant("a", true, 3)
	e.Ingest(e.Token(tenant, viewer.ScopeConversationsWrite), []apptest.Conv{apptest.NewConv("c", at(2, 0, 0, 0))})
	h := &jobs.Handlers{
		Executor: &jobs.QueueExecutor{Client: asynqClient(t, e)},
		Now:      func() time.Time { return day.AddDate(0, 0, 1).Add(30 * time.Minute) },
	}
	if err := h.HandleNightly(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	e.StartWorker()
	rows := waitSettled(t, e, 24, time.Minute)
	for _, c := range rows {
		if !c.Stored() || c.RunID != "nightly-"+dayString() {
			t.Fatalf("hour %d: %s run %q", c.Ref.Hour.Hour, c.Phase(), c.RunID)
		}
	}
	if doc := storedDoc(t, e, tenant, 2); doc.ConversationCount != 1 {
		t.Fatalf("hour 2 has %d conversations", doc.ConversationCount)
	}
}

// A day already outside a tenant's retention is not rebuilt by the reconcile,
// even when late data makes it stale: the retention sweep owns it.
func TestReconcileSkipsExpiredDays(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	short, long := e.Tenant("short", true, 1), e.Tenant("long", true, 3)
	for _, tenant := range []uuid.UUID{short, long} {
		e.Ingest(e.Token(tenant, viewer.ScopeConversationsWrite), []apptest.Conv{apptest.NewConv("late", at(8, 0, 0, 0))})
	}
	now := day.AddDate(0, 2, 0) // two months after day: expired for short, kept for long
	runs, err := (&jobs.Reconciler{Store: e.App.Store}).Plan(context.Background(), now)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range runs {
		if p.Day == dayString() {
			if len(p.Tenants) != 1 || p.Tenants[0] != long {
				t.Fatalf("expired day planned for %v, want only the 3-month tenant", p.Tenants)
			}
			return
		}
	}
	t.Fatal("stale day of the 3-month tenant not planned")
}
