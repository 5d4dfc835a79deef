package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/hibiken/asynq"
)

// RetentionSchedule is the cron spec (UTC) of the daily retention sweep: an
// hour after the default nightly run (REPORT_SCHEDULE 00:30), early enough
// that a day leaving the retention window at midnight is gone by morning.
const RetentionSchedule = "30 1 * * *"

// retentionTimeout bounds one sweep; the listing stops at each tenant's
// first kept day, so a nightly sweep reads about one page per tenant.
const retentionTimeout = time.Hour

// NewRetentionTask returns the scheduler's retention task. It has no id:
// sweeps are idempotent, so several schedulers firing cost little.
func NewRetentionTask() *asynq.Task {
	return asynq.NewTask(TypeRetention, nil, asynq.Queue(QueueControl), asynq.MaxRetry(3),
		asynq.Timeout(retentionTimeout))
}

// HandleRetention deletes the reports and chunk records of days outside
// every tenant's retention window and syncs the bucket's lifecycle rules.
// A tenant that fails fails the task after the others are swept, so asynq
// retries it.
func (h *Handlers) HandleRetention(ctx context.Context, _ *asynq.Task) error {
	if h.Retention == nil {
		return fmt.Errorf("jobs: retention is not configured: %w", asynq.SkipRetry)
	}
	_, err := h.Retention.Sweep(ctx, h.now())
	return err
}
