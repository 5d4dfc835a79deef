package jobs

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/store"
)

// Triggers of a run, as RunPayload.Trigger names them.
const (
	TriggerNightly    = "nightly"
	TriggerReconcile  = "reconcile"
	TriggerRegenerate = "regenerate"
	TriggerCommand    = "command"
)

// triggerOf is what started run p: its Trigger, or for payloads enqueued
// without one, what its id says.
func triggerOf(p RunPayload) store.RunTrigger {
	t := p.Trigger
	if t == "" {
		t, _, _ = strings.Cut(p.RunID, "-")
	}
	switch t {
	case TriggerNightly:
		return store.TriggerNightly
	case TriggerReconcile:
		return store.TriggerReconcile
	case TriggerRegenerate, "manual":
		return store.TriggerRegenerate
	}
	return store.TriggerCommand
}

// record is the database record of one run as it goes: started once the
// run has claimed its chunks, a pass at a time, finished at the end. A
// failure to write the record is logged and does not stop the run; the
// record of a run that is not recorded (nil) ignores every call.
type record struct {
	store *store.Store
	log   *slog.Logger
	id    uuid.UUID
	// key and day are the run's id and day.
	key, day string
	refs     []store.ChunkRef
	// pass and attempt are the pass under way, nil when none is.
	pass    []store.ChunkRef
	attempt int
}

// startRecord records run p's start with the chunks it claimed. A
// reconcile that claimed nothing is not recorded: it runs every few minutes
// and finds nothing to do most of the time.
func (r *Runner) startRecord(ctx context.Context, p RunPayload, refs []store.ChunkRef) *record {
	trigger := triggerOf(p)
	if len(refs) == 0 && trigger == store.TriggerReconcile {
		return nil
	}
	tenants := make(map[uuid.UUID]bool)
	for _, ref := range refs {
		tenants[ref.TenantID] = true
	}
	id, err := r.Store.StartRun(ctx, p.RunID, p.Day, trigger, len(tenants), len(refs))
	if err != nil {
		r.Log.WarnContext(ctx, "run record: start", "run", p.RunID, "err", err)
		return nil
	}
	return &record{store: r.Store, log: r.Log, id: id, key: p.RunID, day: p.Day, refs: refs}
}

// startPass records that pass number attempt began over pass.
func (rec *record) startPass(ctx context.Context, attempt int, pass []store.ChunkRef) {
	if rec == nil {
		return
	}
	rec.pass, rec.attempt = pass, attempt
	rec.warn(ctx, "start pass", rec.store.StartPass(ctx, rec.id, attempt, len(pass)))
}

// passDone records the outcome of the pass under way, if any, from state.
func (rec *record) passDone(ctx context.Context, state map[store.ChunkRef]*store.ChunkState) {
	if rec == nil || rec.pass == nil {
		return
	}
	pass := outcome(rec.pass, state, rec.attempt)
	rec.warn(ctx, "finish pass", rec.store.FinishPass(ctx, rec.id, rec.attempt, pass, outcome(rec.refs, state, 1)))
	rec.pass = nil
}

// finish records how the run ended: sum, or err when it could not finish.
// It is written even when ctx has ended (a shutdown), so no run is left
// RUNNING by a process that stopped; the run resumed later runs again.
func (rec *record) finish(ctx context.Context, sum Summary, err error) {
	if rec == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	counts := store.RunCounts{Stored: sum.Stored, Failed: len(sum.Failed)}
	status := store.RunSucceeded
	switch {
	case err != nil:
		status = store.RunFailed
		if state, serr := rec.store.RunState(ctx, rec.key, rec.day); serr == nil {
			counts = outcome(rec.refs, state, 1)
		}
	case counts.Failed > 0 && counts.Stored == 0:
		status = store.RunFailed
	case counts.Failed > 0:
		status = store.RunPartial
	}
	rec.warn(ctx, "finish", rec.store.FinishRun(ctx, rec.id, status, counts))
}

func (rec *record) warn(ctx context.Context, op string, err error) {
	if err != nil {
		rec.log.WarnContext(ctx, "run record: "+op, "run_record", rec.id, "err", err)
	}
}

// outcome counts the chunks of refs stored, and those failed at attempt
// or later.
func outcome(refs []store.ChunkRef, state map[store.ChunkRef]*store.ChunkState, attempt int) store.RunCounts {
	var n store.RunCounts
	for _, ref := range refs {
		c := state[ref]
		switch {
		case c.Stored():
			n.Stored++
		case c.Failed() && c.Attempts >= attempt:
			n.Failed++
		}
	}
	return n
}
