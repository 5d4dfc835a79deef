package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/dailyreports/dailyreports/internal/metrics"
)

// RunObserver records what operators watch of the runs the workers finish:
// runs by kind, chunks given up after the last retry pass, and the day of
// the last nightly run that finished every pass (for the alert on a night
// not finished in time).
type RunObserver struct {
	Metrics *metrics.Metrics
	Nightly *NightlyLog
	Log     *slog.Logger
}

// finished records the run p, which finished every pass with s.
func (o *RunObserver) finished(ctx context.Context, p RunPayload, s Summary) {
	if o == nil {
		return
	}
	kind := metrics.RunKind(p.RunID)
	o.Metrics.RunsFinished.WithLabelValues(kind).Inc()
	o.Metrics.ChunksGivenUp.WithLabelValues(kind).Add(float64(len(s.Failed)))
	if kind != "nightly" || o.Nightly == nil {
		return
	}
	if err := o.Nightly.Finished(ctx, p.Day); err != nil {
		o.Log.WarnContext(ctx, "recording the finished night", "day", p.Day, "err", err)
	}
}

// nightlyKey is the Redis key holding the day of the last finished nightly
// run, beside asynq's own keys.
const nightlyKey = "dailyreports:nightly:finished_day"

// NightlyLog keeps, in Redis, the day (YYYY-MM-DD) of the last nightly run
// that finished every pass: every process reads the same value, and it
// outlives restarts as long as Redis keeps its data.
type NightlyLog struct {
	Redis redis.UniversalClient
}

// Finished records that the nightly run of day finished; an earlier day
// (a late retry of an older night) does not move it back.
func (n *NightlyLog) Finished(ctx context.Context, day string) error {
	last, err := n.Redis.Get(ctx, nightlyKey).Result()
	if err != nil && !errors.Is(err, redis.Nil) {
		return fmt.Errorf("jobs: nightly log: %w", err)
	}
	if strings.Compare(day, last) <= 0 {
		return nil
	}
	if err := n.Redis.Set(ctx, nightlyKey, day, 0).Err(); err != nil {
		return fmt.Errorf("jobs: nightly log: %w", err)
	}
	return nil
}

// LastFinished returns the start (00:00 UTC) of the day of the last
// finished nightly run, or the zero time when none was recorded.
func (n *NightlyLog) LastFinished(ctx context.Context) (time.Time, error) {
	day, err := n.Redis.Get(ctx, nightlyKey).Result()
	if errors.Is(err, redis.Nil) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("jobs: nightly log: %w", err)
	}
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return time.Time{}, nil // not ours to read: as if none
	}
	return t, nil
}
