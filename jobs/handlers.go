package jobs

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/hibiken/asynq"

	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/retention"
	"github.com/dailyreports/dailyreports/internal/webhooks"
)

// Handlers are the asynq handlers of the report tasks.
type Handlers struct {
	Runner   *Runner
	Executor *QueueExecutor
	// Reconcile plans the catch-up runs.
	Reconcile *Reconciler
	// Retention sweeps expired reports and syncs the lifecycle rules.
	Retention *retention.Service
	// Observer records finished runs for operators; nil records nothing.
	Observer *RunObserver
	// Webhooks delivers webhook events.
	Webhooks *webhooks.Service
	// Erasures finishes erasures an outage interrupted (nil: none).
	Erasures interface {
		FinishUnfinished(ctx context.Context) error
	}
	// Now is the clock (nil means time.Now).
	Now func() time.Time
}

// Mux returns the task router of the worker role.
func (h *Handlers) Mux() *asynq.ServeMux {
	mux := asynq.NewServeMux()
	mux.HandleFunc(TypeNightly, h.HandleNightly)
	mux.HandleFunc(TypeReconcile, h.HandleReconcile)
	mux.HandleFunc(TypeRun, h.HandleRun)
	mux.HandleFunc(TypeChunk, h.HandleChunk)
	mux.HandleFunc(TypeRetention, h.HandleRetention)
	mux.HandleFunc(TypeWebhook, h.HandleWebhook)
	mux.HandleFunc(TypeWebhookSweep, h.HandleWebhookSweep)
	return mux
}

func (h *Handlers) now() time.Time {
	if h.Now != nil {
		return h.Now().UTC()
	}
	return time.Now().UTC()
}

// HandleNightly enqueues the run of the previous UTC day. Its run id is the
// day's, so several schedulers firing produce one run.
func (h *Handlers) HandleNightly(ctx context.Context, _ *asynq.Task) error {
	day := h.now().AddDate(0, 0, -1).Format(document.DayLayout)
	return h.Executor.EnqueueRun(ctx, RunPayload{RunID: "nightly-" + day, Day: day, Trigger: TriggerNightly})
}

// HandleReconcile enqueues the runs that catch up on missing, stale and
// failed chunks, and finishes erasures an outage interrupted.
func (h *Handlers) HandleReconcile(ctx context.Context, _ *asynq.Task) error {
	if h.Erasures != nil {
		if err := h.Erasures.FinishUnfinished(ctx); err != nil {
			h.Runner.Log.WarnContext(ctx, "reconcile: erasures not finished", "err", err)
		}
	}
	runs, err := h.Reconcile.Plan(ctx, h.now())
	if err != nil {
		return err
	}
	for _, p := range runs {
		if err := h.Executor.EnqueueRun(ctx, p); err != nil {
			return err
		}
	}
	return nil
}

// HandleRun runs one day in passes on the workers.
func (h *Handlers) HandleRun(ctx context.Context, t *asynq.Task) error {
	var p RunPayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil {
		return fmt.Errorf("jobs: run payload: %v: %w", err, asynq.SkipRetry)
	}
	sum, err := h.Runner.Run(ctx, p, h.Executor)
	if err != nil {
		return err
	}
	h.Observer.finished(ctx, p, sum)
	h.Runner.Log.InfoContext(ctx, "run finished", "run", sum.RunID, "chunks", sum.Chunks,
		"stored", sum.Stored, "failed", len(sum.Failed), "elapsed", sum.Elapsed.String())
	return nil
}

// HandleChunk builds one chunk attempt.
func (h *Handlers) HandleChunk(ctx context.Context, t *asynq.Task) error {
	var p ChunkPayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil {
		return fmt.Errorf("jobs: chunk payload: %v: %w", err, asynq.SkipRetry)
	}
	return h.Runner.buildChunk(ctx, p, "job", h.Runner.Stopping)
}

// EnqueueRun enqueues the task of one run; a run already queued is not
// enqueued twice.
func (e *QueueExecutor) EnqueueRun(ctx context.Context, p RunPayload) error {
	p.Trace = traceCarrier(ctx)
	t, err := NewRunTask(p)
	if err != nil {
		return err
	}
	if _, err := e.Client.EnqueueContext(ctx, t); err != nil && !isDuplicate(err) {
		return fmt.Errorf("jobs: enqueue run: %w", err)
	}
	return nil
}

// Regenerate queues a forced rebuild of hours of tenantID's day as a run of
// its own (reports.Queue).
func (e *QueueExecutor) Regenerate(ctx context.Context, tenantID uuid.UUID, day document.Hour, hours []int) error {
	return e.EnqueueRun(ctx, RunPayload{
		RunID: "manual-" + day.DayString() + "-" + strings.ToLower(rand.Text()[:12]),
		Day:   day.DayString(), Tenants: []uuid.UUID{tenantID}, Hours: hours, Force: true, Trigger: TriggerRegenerate,
	})
}
