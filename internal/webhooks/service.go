package webhooks

import (
	"context"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/ent"
	"github.com/dailyreports/dailyreports/internal/metrics"
	"github.com/dailyreports/dailyreports/internal/store"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// Queue schedules delivery attempts on the workers; jobs implements it.
type Queue interface {
	// EnqueueAttempt schedules attempt number attempt of a delivery at at.
	// Scheduling one attempt twice schedules it once.
	EnqueueAttempt(ctx context.Context, delivery uuid.UUID, attempt int, at time.Time) error
}

// Service owns webhooks: their registration, the events of reports, and
// delivery. One per process.
type Service struct {
	Store  *store.Store
	Sealer *Sealer
	// Queue schedules attempts; nil leaves them to the sweep.
	Queue Queue
	// PublicURL is the base of links in bodies (no trailing slash).
	PublicURL string
	// RetryDelays are the waits before each retry; a delivery makes
	// len(RetryDelays)+1 attempts at most.
	RetryDelays []time.Duration
	// AllowPrivate lets URLs reach loopback and private addresses.
	AllowPrivate bool
	Metrics      *metrics.Webhooks
	Log          *slog.Logger
	// Now is the clock (nil means time.Now).
	Now func() time.Time

	clientOnce sync.Once
	client     *http.Client
	subs       subscribers
}

// lease is how long an attempt in flight is its worker's: the timeout and
// a margin. A worker lost mid-attempt is presumed so once it passes.
const lease = 3 * Timeout

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

func (s *Service) httpClient() *http.Client {
	s.clientOnce.Do(func() { s.client = newClient(s.AllowPrivate) })
	return s.client
}

// Queued schedules the first attempts of deliveries just written
// (reports.Events). An attempt that cannot be scheduled now is left to the
// sweep: the delivery's row is the record of truth.
func (s *Service) Queued(ctx context.Context, deliveries []uuid.UUID) {
	if s.Queue == nil {
		return
	}
	now := s.now()
	for _, id := range deliveries {
		if err := s.Queue.EnqueueAttempt(ctx, id, 1, now); err != nil {
			s.Log.WarnContext(ctx, "webhook attempt not queued; the sweep will", "delivery", id, "err", err)
		}
	}
}

// DayFinished raises the day's event of every tenant a run built hours of,
// once its passes are over: report.day.completed when all 24 hours are
// STORED, report.day.failed when some are still FAILED. The event's id
// names the day's outcome, so the run's task run again, or another run that
// changed nothing, raises nothing new.
func (s *Service) DayFinished(ctx context.Context, day time.Time, tenants []uuid.UUID) error {
	hooks, err := s.Store.Webhooks(viewer.SystemContext(ctx, "webhooks"), nil)
	if err != nil {
		return err
	}
	for _, t := range tenants {
		if !anyFor(hooks, t) {
			continue
		}
		chunks, err := s.Store.DayChunks(ctx, t, day.Format("2006-01-02"))
		if err != nil {
			return err
		}
		ev := s.dayEvent(t, day, chunks)
		if ev == nil {
			continue
		}
		ids, err := s.Store.QueueEvent(ctx, *ev)
		if err != nil {
			return err
		}
		s.Queued(ctx, ids)
	}
	return nil
}

// anyFor reports whether a webhook receives tenantID's day events.
func anyFor(hooks []*ent.Webhook, tenantID uuid.UUID) bool {
	for _, w := range hooks {
		if (w.TenantID == nil || *w.TenantID == tenantID) &&
			(slices.Contains(w.Events, string(EventDayCompleted)) || slices.Contains(w.Events, string(EventDayFailed))) {
			return true
		}
	}
	return false
}
