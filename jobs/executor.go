package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"time"

	"github.com/hibiken/asynq"
	"golang.org/x/sync/errgroup"

	"github.com/dailyreports/dailyreports/internal/reports"
	"github.com/dailyreports/dailyreports/internal/store"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// LocalExecutor builds a pass's chunks in this process, Parallel at a time;
// the generate command uses it.
type LocalExecutor struct {
	Runner   *Runner
	Parallel int
	// OnChunk, when set, is called after each chunk attempt.
	OnChunk func(ref store.ChunkRef, err error)
}

// RunPass builds refs at attempt and returns when all have finished.
func (e *LocalExecutor) RunPass(ctx context.Context, runID string, refs []store.ChunkRef, attempt int) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(e.Parallel, 1))
	sortRefs(refs)
	for _, ref := range refs {
		g.Go(func() error {
			err := e.Runner.buildChunk(gctx, payloadOf(runID, ref, attempt), "generate", nil)
			if e.OnChunk != nil {
				e.OnChunk(ref, err)
			}
			if gctx.Err() != nil {
				return gctx.Err()
			}
			return nil // failures are recorded; the run's next pass retries them
		})
	}
	return g.Wait()
}

func payloadOf(runID string, ref store.ChunkRef, attempt int) ChunkPayload {
	return ChunkPayload{RunID: runID, TenantID: ref.TenantID, Day: ref.Hour.DayString(), Hour: ref.Hour.Hour, Attempt: attempt}
}

// QueueExecutor runs a pass on the asynq workers: it enqueues one task per
// chunk with a deterministic id and waits for the database to record every
// outcome. Tasks lost from Redis are enqueued again; tasks archived after a
// worker was lost too often are recorded as failed.
type QueueExecutor struct {
	Runner    *Runner
	Client    *asynq.Client
	Inspector *asynq.Inspector
	Log       *slog.Logger
	// Poll is how often the database is checked (0 means 500ms).
	Poll time.Duration
}

// RunPass enqueues refs at attempt and waits until each has an outcome.
func (e *QueueExecutor) RunPass(ctx context.Context, runID string, refs []store.ChunkRef, attempt int) error {
	sortRefs(refs)
	for _, ref := range refs {
		if err := e.enqueue(ctx, payloadOf(runID, ref, attempt)); err != nil {
			return err
		}
	}
	poll := e.Poll
	if poll <= 0 {
		poll = 500 * time.Millisecond
	}
	ctx = viewer.SystemContext(ctx, "job:run")
	tick := time.NewTicker(poll)
	defer tick.Stop()
	for i := 1; ; i++ {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-e.Runner.Stopping:
			return reports.ErrStopping // the run goes back to the queue and resumes from the database
		case <-tick.C:
		}
		open, err := e.open(ctx, runID, refs, attempt)
		if err != nil {
			e.Log.WarnContext(ctx, "run pass: reading state", "run", runID, "err", err)
			continue
		}
		if len(open) == 0 {
			return nil
		}
		e.takeOver(ctx, runID, open, attempt)
		if i%20 == 0 { // every ~10s, look for lost tasks
			e.recover(ctx, runID, open, attempt)
		}
	}
}

// takeOver enqueues the chunks of open whose build lease lapsed (the
// worker building them died) again, as tasks of their own: the lost task
// may stay active in asynq until its recoverer runs, a minute or more
// later. The task's id names the lapsed claim, so one is enqueued per
// lapse; the build that takes the hour's claim over is the only one to
// store it.
func (e *QueueExecutor) takeOver(ctx context.Context, runID string, open map[store.ChunkRef]*store.ChunkState, attempt int) {
	now := time.Now()
	for ref, c := range open {
		if !c.Building() || c.Lease == nil || c.Lease.Held(now) {
			continue
		}
		p := payloadOf(runID, ref, attempt)
		p.Takeover = c.Lease.Owner
		switch fresh, err := e.enqueueOnce(ctx, p); {
		case err != nil:
			e.Log.WarnContext(ctx, "chunk takeover not enqueued", "task", chunkTaskID(p), "err", err)
		case fresh:
			e.Log.WarnContext(ctx, "chunk build lease lapsed; taking the chunk over", "task", chunkTaskID(p))
		}
	}
}

func (e *QueueExecutor) enqueue(ctx context.Context, p ChunkPayload) error {
	_, err := e.enqueueOnce(ctx, p)
	return err
}

// enqueueOnce enqueues the task of p and reports whether it was not there
// already.
func (e *QueueExecutor) enqueueOnce(ctx context.Context, p ChunkPayload) (bool, error) {
	p.Trace = traceCarrier(ctx)
	t, err := NewChunkTask(p)
	if err != nil {
		return false, err
	}
	_, err = e.Client.EnqueueContext(ctx, t)
	switch {
	case isDuplicate(err):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("jobs: enqueue chunk: %w", err)
	}
	return true, nil
}

// open returns the chunks of the pass that have no outcome yet, with their
// state.
func (e *QueueExecutor) open(ctx context.Context, runID string, refs []store.ChunkRef, attempt int) (map[store.ChunkRef]*store.ChunkState, error) {
	if len(refs) == 0 {
		return nil, nil
	}
	state, err := e.Runner.Store.RunState(ctx, runID, refs[0].Hour.DayString())
	if err != nil {
		return nil, err
	}
	open := make(map[store.ChunkRef]*store.ChunkState)
	for _, ref := range refs {
		c := state[ref]
		if c == nil || c.Settled(attempt) {
			continue
		}
		open[ref] = c
	}
	return open, nil
}

// recover finds tasks of open chunks that Redis no longer has (a restart
// without persistence) or that asynq archived (the worker died each time),
// and enqueues them again or records the failure. A chunk a worker marked
// building within the chunk timeout is left to that worker: its build may
// still be running even though Redis forgot the task.
func (e *QueueExecutor) recover(ctx context.Context, runID string, open map[store.ChunkRef]*store.ChunkState, attempt int) {
	for ref, c := range open {
		p := payloadOf(runID, ref, attempt)
		info, err := e.Inspector.GetTaskInfo(QueueChunks, chunkTaskID(p))
		switch {
		case errors.Is(err, asynq.ErrTaskNotFound) || errors.Is(err, asynq.ErrQueueNotFound):
			if c.Building() && time.Since(c.UpdatedAt) < chunkTimeout {
				continue
			}
			e.Log.WarnContext(ctx, "chunk task lost; enqueueing it again", "task", chunkTaskID(p))
			_ = e.enqueue(ctx, p)
		case err != nil:
			return
		case info.State == asynq.TaskStateArchived:
			_ = e.Runner.Store.MarkFailed(viewer.TenantContext(ctx, "job:run", ref.TenantID), ref, runID, reports.FailedWorkerLost)
		case info.State == asynq.TaskStateCompleted:
			// completed without an outcome (it was not ours): count it as failed
			_ = e.Runner.Store.MarkFailed(viewer.TenantContext(ctx, "job:run", ref.TenantID), ref, runID, reports.FailedNoOutcome)
		}
	}
}

// DefaultParallel is the default number of chunks built at once in one
// process: four per core. A build waits on the database and on object
// storage more than it computes, so more builds than cores keep both
// busy; the database's connections (at most 32) bound it.
func DefaultParallel() int { return min(4*runtime.NumCPU(), 16) }

// isDuplicate reports whether an enqueue was refused because the task is
// already there: the deduplication the deterministic ids are for.
func isDuplicate(err error) bool {
	return errors.Is(err, asynq.ErrTaskIDConflict) || errors.Is(err, asynq.ErrDuplicateTask)
}
