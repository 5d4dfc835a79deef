package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/hibiken/asynq"

	"github.com/dailyreports/dailyreports/internal/webhooks"
)

// Webhook task types and their queue.
const (
	// TypeWebhook makes one attempt of one webhook delivery.
	TypeWebhook = "webhook:deliver"
	// TypeWebhookSweep schedules again the attempts Redis lost; fired
	// every WebhookSweepEvery.
	TypeWebhookSweep = "webhook:sweep"
	// QueueWebhooks carries deliveries, apart from report builds.
	QueueWebhooks = "webhooks"
)

// WebhookSweepEvery is the period of the sweep.
const WebhookSweepEvery = time.Minute

// WebhookPayload names one attempt of one delivery.
type WebhookPayload struct {
	Delivery uuid.UUID `json:"delivery"`
	Attempt  int       `json:"attempt"`
}

// NewWebhookTask returns the task of one attempt, due at at. Its id names
// the delivery and the attempt, so scheduling it twice queues it once;
// without retention, a finished attempt's id is free again for the sweep.
// asynq's own retries only cover a worker lost mid-attempt.
func NewWebhookTask(p WebhookPayload, at time.Time) (*asynq.Task, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("jobs: webhook payload: %w", err)
	}
	return asynq.NewTask(TypeWebhook, b, asynq.Queue(QueueWebhooks),
		asynq.TaskID(fmt.Sprintf("webhook:%s:a%d", p.Delivery, p.Attempt)),
		asynq.MaxRetry(5), asynq.Timeout(2*webhooks.Timeout), asynq.ProcessAt(ceilSecond(at))), nil
}

// ceilSecond rounds t up to a whole second: asynq keeps due times in whole
// seconds, truncated, which would run a retry up to a second early.
func ceilSecond(t time.Time) time.Time {
	if s := t.Truncate(time.Second); !s.Equal(t) {
		return s.Add(time.Second)
	}
	return t
}

// NewWebhookSweepTask returns the scheduler's sweep; several schedulers
// firing at once queue one.
func NewWebhookSweepTask() *asynq.Task {
	return asynq.NewTask(TypeWebhookSweep, nil, asynq.Queue(QueueWebhooks), asynq.MaxRetry(0),
		asynq.Timeout(time.Minute), asynq.Unique(WebhookSweepEvery-5*time.Second))
}

// WebhookQueue schedules delivery attempts on asynq (webhooks.Queue).
type WebhookQueue struct {
	Client *asynq.Client
}

// EnqueueAttempt schedules one attempt; one already queued is not queued
// twice.
func (q *WebhookQueue) EnqueueAttempt(ctx context.Context, delivery uuid.UUID, attempt int, at time.Time) error {
	t, err := NewWebhookTask(WebhookPayload{Delivery: delivery, Attempt: attempt}, at)
	if err != nil {
		return err
	}
	if _, err := q.Client.EnqueueContext(ctx, t); err != nil && !isDuplicate(err) {
		return fmt.Errorf("jobs: enqueue webhook attempt: %w", err)
	}
	return nil
}

// HandleWebhook makes one delivery attempt. An attempt another worker is
// making goes back to the queue, in case that worker is lost.
func (h *Handlers) HandleWebhook(ctx context.Context, t *asynq.Task) error {
	var p WebhookPayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil || p.Attempt < 1 {
		return fmt.Errorf("jobs: webhook payload: %v: %w", err, asynq.SkipRetry)
	}
	return h.Webhooks.Deliver(ctx, p.Delivery, p.Attempt)
}

// HandleWebhookSweep schedules again the attempts the queue lost.
func (h *Handlers) HandleWebhookSweep(ctx context.Context, _ *asynq.Task) error {
	n, err := h.Webhooks.Sweep(ctx)
	if n > 0 {
		h.Runner.Log.InfoContext(ctx, "webhook sweep", "scheduled", n)
	}
	return err
}
