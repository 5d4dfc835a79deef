package jobs_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/store"
	"github.com/dailyreports/dailyreports/jobs"
)

// runRecord returns the newest recorded run of day.
func runRecord(t *testing.T, e *apptest.Env) (*store.Run, []*store.RunPass) {
	t.Helper()
	runs, _, err := e.App.Store.Runs(apptest.System(), 10, nil, dayString())
	if err != nil || len(runs) == 0 {
		t.Fatalf("runs of %s: %d, %v", dayString(), len(runs), err)
	}
	passes, err := e.App.Store.RunPasses(apptest.System(), runs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	return runs[0], passes
}

// Every run is recorded with what started it, its passes and its counts: a
// chunk that fails twice is stored by the third pass, one that always fails
// leaves the run PARTIAL.
func TestRunIsRecordedWithItsPasses(t *testing.T) {
	for _, mode := range []string{"queue", "local"} {
		t.Run(mode, func(t *testing.T) {
			e := apptest.New(t, apptest.Options{})
			a, b := e.Tenant("a", true, 3), e.Tenant("b", true, 3)
			e.App.Objects = &apptest.Objects{Objects: e.App.Blob, Fail: failing(key(a, 3), key(b, 22))}
			p := jobs.RunPayload{RunID: "nightly-" + dayString(), Day: dayString(), Trigger: jobs.TriggerNightly}
			if mode == "queue" {
				e.StartWorker()
				enqueueRun(t, e, p)
				waitRecorded(t, e)
			} else {
				r := e.App.Runner()
				if _, err := r.Run(context.Background(), p, &jobs.LocalExecutor{Runner: r, Parallel: 4}); err != nil {
					t.Fatal(err)
				}
			}
			run, passes := runRecord(t, e)
			if run.Key != p.RunID || run.Trigger != store.TriggerNightly || run.Status != store.RunPartial ||
				run.Tenants != 2 || run.Chunks != 48 || run.Stored != 47 || run.Failed != 1 || run.FinishedAt == nil ||
				run.UtcDay.Format("2006-01-02") != dayString() {
				t.Fatalf("run %s", dump(run))
			}
			want := []store.RunPass{{Attempt: 1, Chunks: 48, Stored: 46, Failed: 2}, {Attempt: 2, Chunks: 2, Failed: 2}, {Attempt: 3, Chunks: 2, Stored: 1, Failed: 1}}
			if len(passes) != len(want) {
				t.Fatalf("passes %s", dump(passes))
			}
			for i, w := range want {
				got := passes[i]
				if got.Attempt != w.Attempt || got.Chunks != w.Chunks || got.Stored != w.Stored || got.Failed != w.Failed ||
					got.FinishedAt == nil || got.FinishedAt.Before(got.StartedAt) {
					t.Fatalf("pass %d: %s, want %+v", i+1, dump(got), w)
				}
			}
		})
	}
}

// waitRecorded waits until the day's newest run has finished.
func waitRecorded(t *testing.T, e *apptest.Env) {
	t.Helper()
	waitSettled(t, e, 48, 2*time.Minute)
	for range 200 {
		runs, _, err := e.App.Store.Runs(apptest.System(), 1, nil, dayString())
		if err == nil && len(runs) == 1 && runs[0].FinishedAt != nil {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("the run never finished")
}

// A run whose every chunk fails is FAILED, one that stores them all
// SUCCEEDED; the generate command's run is COMMAND, a regeneration
// REGENERATE; a reconcile that finds nothing to do leaves no record.
func TestRunStatusAndTrigger(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	a := e.Tenant("a", true, 3)
	r := e.App.Runner()
	local := &jobs.LocalExecutor{Runner: r, Parallel: 4}
	run := func(p jobs.RunPayload) *store.Run {
		t.Helper()
		if _, err := r.Run(context.Background(), p, local); err != nil {
			t.Fatal(err)
		}
		got, _ := runRecord(t, e)
		if got.Key != p.RunID {
			t.Fatalf("newest run %q, want %q", got.Key, p.RunID)
		}
		return got
	}
	e.App.Objects = &apptest.Objects{Objects: e.App.Blob, Fail: func(string, int) bool { return true }}
	r = e.App.Runner()
	local.Runner = r
	if got := run(jobs.RunPayload{RunID: "generate-1", Day: dayString(), Hours: []int{4, 5}, Trigger: jobs.TriggerCommand}); got.Status != store.RunFailed ||
		got.Trigger != store.TriggerCommand || got.Stored != 0 || got.Failed != 2 || got.Chunks != 2 {
		t.Fatalf("every chunk failing: %s", dump(got))
	}
	e.App.Objects = e.App.Blob
	r = e.App.Runner()
	local.Runner = r
	if got := run(jobs.RunPayload{RunID: "manual-1", Day: dayString(), Tenants: []uuid.UUID{a}, Hours: []int{4, 5}, Force: true}); got.Status != store.RunSucceeded ||
		got.Trigger != store.TriggerRegenerate || got.Stored != 2 || got.Failed != 0 {
		t.Fatalf("every chunk stored: %s", dump(got))
	}
	if _, err := r.Run(context.Background(), jobs.RunPayload{RunID: "reconcile-x", Day: dayString(), Hours: []int{4, 5}, Trigger: jobs.TriggerReconcile}, local); err != nil {
		t.Fatal(err)
	}
	if got, _ := runRecord(t, e); got.Key != "manual-1" {
		t.Fatalf("a reconcile that claimed nothing was recorded: %s", dump(got))
	}
}
