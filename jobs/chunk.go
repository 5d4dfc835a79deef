package jobs

import (
	"context"
	"errors"
	"time"

	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/reports"
	"github.com/dailyreports/dailyreports/internal/store"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// buildChunk runs one attempt of one chunk and records its outcome. It is
// idempotent: an attempt already recorded, or a chunk taken over by another
// run, is left alone, since asynq delivers at least once. It returns an
// error only when the work should go back to the queue (cancellation) or
// when the outcome could not be recorded. A build that waits for another
// build of the hour (a live one) gives the task back when stopping closes.
func (r *Runner) buildChunk(ctx context.Context, p ChunkPayload, source string, stopping <-chan struct{}) error {
	day, err := time.Parse(document.DayLayout, p.Day)
	if err != nil {
		return err
	}
	ref := store.ChunkRef{TenantID: p.TenantID, Hour: document.NewHour(day, p.Hour)}
	ctx = viewer.TenantContext(ctx, "job:chunk", p.TenantID)
	ours, err := r.Store.StartAttempt(ctx, ref, p.RunID, p.Attempt)
	if err != nil || !ours {
		return err // not ours any more, or this attempt already has an outcome
	}
	log := r.Log.With("run", p.RunID, "tenant", p.TenantID, "hour", ref.Hour.String(), "attempt", p.Attempt)
	meta, err := r.Builder.BuildAndStore(ctx, ref, source, reports.StoreOptions{Stopping: stopping})
	if errors.Is(err, reports.ErrStopping) {
		return err // the task goes back to the queue
	}
	if err == nil {
		log.DebugContext(ctx, "chunk stored", "conversations", meta.ConversationCount, "bytes", meta.Size)
		return nil
	}
	if ctx.Err() != nil {
		return ctx.Err() // shutting down: the task goes back to the queue
	}
	log.WarnContext(ctx, "chunk failed", "reason", reports.Reason(ctx, err), "err", err)
	return r.Store.MarkFailed(ctx, ref, p.RunID, reports.Failure(ctx, err))
}
