package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"

	"github.com/dailyreports/dailyreports/internal/logging"
	"github.com/dailyreports/dailyreports/internal/reports"
)

// ServerConfig configures the worker role.
type ServerConfig struct {
	Concurrency int
	// ShutdownTimeout is how long in-flight tasks may finish on shutdown
	// before they go back to the queue.
	ShutdownTimeout time.Duration
}

// NewServer returns the asynq server of the worker role. Control tasks
// (plans and runs) and chunk builds have queues of their own. A task that
// returns reports.ErrStopping (its worker is stopping) goes back to the
// queue without counting as a failure.
func NewServer(redis asynq.RedisConnOpt, cfg ServerConfig, log *slog.Logger) *asynq.Server {
	if cfg.ShutdownTimeout <= 0 {
		cfg.ShutdownTimeout = 30 * time.Second
	}
	return asynq.NewServer(redis, asynq.Config{
		Concurrency:     max(cfg.Concurrency, 2),
		Queues:          map[string]int{QueueControl: 2, QueueChunks: 5, QueueWebhooks: 3},
		ShutdownTimeout: cfg.ShutdownTimeout,
		// Webhook retries are scheduled tasks: look for due ones every
		// second, not every five, so their waits are kept.
		DelayedTaskCheckInterval: time.Second,
		// asynq retries only cover lost workers and crashed runs; retry soon.
		// Work a stopping worker gave back is not a failure, and resumes
		// on another worker within a second.
		RetryDelayFunc: func(n int, err error, _ *asynq.Task) time.Duration {
			if errors.Is(err, reports.ErrStopping) {
				return time.Second
			}
			return time.Duration(n) * 2 * time.Second
		},
		IsFailure: func(err error) bool { return !errors.Is(err, reports.ErrStopping) },
		Logger:    asynqLogger{log},
		LogLevel:  asynq.WarnLevel,
		ErrorHandler: asynq.ErrorHandlerFunc(func(ctx context.Context, t *asynq.Task, err error) {
			if errors.Is(err, reports.ErrStopping) {
				log.InfoContext(ctx, "task given back to the queue: the worker is stopping", "type", t.Type())
				return
			}
			log.ErrorContext(ctx, "task failed", "type", t.Type(), "err", err)
		}),
	})
}

// WithTaskID is asynq middleware that puts the task's id and type on every
// record logged with the task's context.
func WithTaskID(next asynq.Handler) asynq.Handler {
	return asynq.HandlerFunc(func(ctx context.Context, t *asynq.Task) error {
		id, _ := asynq.GetTaskID(ctx)
		ctx = logging.With(ctx, slog.String("task_id", id), slog.String("task_type", t.Type()))
		return next.ProcessTask(ctx, t)
	})
}

// NewScheduler returns the scheduler role: the nightly run at spec (UTC),
// the reconcile every reconcileEvery, the retention sweep at
// RetentionSchedule (UTC) and the webhook sweep every WebhookSweepEvery.
func NewScheduler(redis asynq.RedisConnOpt, spec string, reconcileEvery time.Duration, log *slog.Logger) (*asynq.Scheduler, error) {
	s := asynq.NewScheduler(redis, &asynq.SchedulerOpts{
		Location: time.UTC,
		Logger:   asynqLogger{log},
		LogLevel: asynq.WarnLevel,
		PostEnqueueFunc: func(info *asynq.TaskInfo, err error) {
			switch {
			case isDuplicate(err): // another scheduler enqueued it first
				log.Debug("scheduler enqueue: already there", "err", err)
				return
			case err != nil:
				log.Error("scheduler enqueue failed", "err", err)
				return
			}
			log.Info("scheduler enqueued", "type", info.Type, "task_id", info.ID)
		},
	})
	if _, err := s.Register(spec, NewNightlyTask()); err != nil {
		return nil, fmt.Errorf("jobs: schedule %q: %w", spec, err)
	}
	if _, err := s.Register(fmt.Sprintf("@every %s", reconcileEvery), NewReconcileTask()); err != nil {
		return nil, fmt.Errorf("jobs: schedule reconcile: %w", err)
	}
	if _, err := s.Register(RetentionSchedule, NewRetentionTask()); err != nil {
		return nil, fmt.Errorf("jobs: schedule retention: %w", err)
	}
	if _, err := s.Register(fmt.Sprintf("@every %s", WebhookSweepEvery), NewWebhookSweepTask()); err != nil {
		return nil, fmt.Errorf("jobs: schedule webhook sweep: %w", err)
	}
	return s, nil
}

// asynqLogger routes asynq's logs into slog.
type asynqLogger struct{ l *slog.Logger }

func (a asynqLogger) Debug(args ...any) { a.l.Debug(fmt.Sprint(args...), "component", "asynq") }
func (a asynqLogger) Info(args ...any)  { a.l.Info(fmt.Sprint(args...), "component", "asynq") }
func (a asynqLogger) Warn(args ...any)  { a.l.Warn(fmt.Sprint(args...), "component", "asynq") }
func (a asynqLogger) Error(args ...any) { a.l.Error(fmt.Sprint(args...), "component", "asynq") }
func (a asynqLogger) Fatal(args ...any) { a.l.Error(fmt.Sprint(args...), "component", "asynq") }
