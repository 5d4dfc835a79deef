package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/reports"
	"github.com/dailyreports/dailyreports/internal/store"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// Executor runs one pass: it builds the given chunks at the given attempt and
// returns once every one of them has an outcome recorded in the database.
type Executor interface {
	RunPass(ctx context.Context, runID string, refs []store.ChunkRef, attempt int) error
}

// Runner runs a day's generation: the code path shared by the nightly job,
// the reconcile, regeneration and the generate command.
type Runner struct {
	Store   *store.Store
	Builder *reports.Builder
	Log     *slog.Logger
	// PassDelay is the pause before each retry pass, so a dependency that
	// failed a whole pass has time to come back.
	PassDelay time.Duration
	// Events raises the day's webhook events once a run's passes are over
	// (nil: none).
	Events DayEvents
	// Stopping closes when the worker begins to stop: a run waiting for
	// its chunks, and a chunk waiting for another build, give their tasks
	// back to the queue at once (reports.ErrStopping) rather than hold a
	// worker slot through the shutdown's grace; the run resumes from the
	// database. Nil never closes.
	Stopping <-chan struct{}
}

// DayEvents raises the events of days a run finished; *webhooks.Service
// implements it.
type DayEvents interface {
	// DayFinished is called once a run's passes are over, with the tenants
	// it built hours of.
	DayFinished(ctx context.Context, day time.Time, tenants []uuid.UUID) error
}

// Summary is the outcome of a run.
type Summary struct {
	RunID         string
	Chunks        int
	Stored        int
	Failed        []store.ChunkRef
	Conversations int
	Messages      int
	Bytes         int64
	Elapsed       time.Duration
}

// Run claims the chunks of p and builds them in passes: the first pass over
// every chunk of every tenant, then, once that pass has finished everywhere,
// a pass over the chunks that failed, at most MaxAttempts passes in all.
// Chunks still failing stay FAILED for operators and the reconcile. A run
// resumed after a crash picks up at each chunk's recorded attempt.
func (r *Runner) Run(ctx context.Context, p RunPayload, exec Executor) (Summary, error) {
	start := time.Now()
	ctx = viewer.SystemContext(ctx, "job:run")
	day, err := time.Parse(document.DayLayout, p.Day)
	if err != nil {
		return Summary{}, apperr.New(apperr.Invalid, "invalid day %q", p.Day)
	}
	tenants := p.Tenants
	if len(tenants) == 0 {
		if tenants, err = r.Store.EnabledTenants(ctx); err != nil {
			return Summary{}, err
		}
	}
	hours := p.Hours
	if len(hours) == 0 {
		hours = allHours()
	}
	refs, err := r.Store.Claim(ctx, p.RunID, tenants, document.NewHour(day, 0), hours, p.Force, runLease)
	if err != nil {
		return Summary{}, err
	}
	rec := r.startRecord(ctx, p, refs)
	sum, err := r.passes(ctx, p, refs, exec, rec)
	if err == nil {
		sum, err = r.finish(ctx, p.RunID, day, refs, sum)
	}
	sum.Elapsed = time.Since(start)
	rec.finish(ctx, sum, err)
	return sum, err
}

// passes runs the passes of run p over its chunks refs until each is
// stored or has failed MaxAttempts times, recording each in rec.
func (r *Runner) passes(ctx context.Context, p RunPayload, refs []store.ChunkRef, exec Executor, rec *record) (Summary, error) {
	// A pass whose outcomes could not be recorded (database down) is tried
	// again, but not forever.
	for round := 0; ; round++ {
		if round > 3*MaxAttempts {
			return Summary{}, fmt.Errorf("jobs: run %s: chunk outcomes could not be recorded", p.RunID)
		}
		state, err := r.Store.RunState(ctx, p.RunID, p.Day)
		if err != nil {
			return Summary{}, err
		}
		rec.passDone(ctx, state)
		pass, attempt := nextPass(refs, state)
		if len(pass) == 0 || attempt > MaxAttempts {
			return summarize(p.RunID, refs, state), nil
		}
		if attempt > 1 && r.PassDelay > 0 {
			select {
			case <-ctx.Done():
				return Summary{}, ctx.Err()
			case <-r.Stopping:
				return Summary{}, reports.ErrStopping
			case <-time.After(r.PassDelay):
			}
		}
		r.Log.InfoContext(ctx, "run pass", "run", p.RunID, "day", p.Day, "attempt", attempt, "chunks", len(pass))
		rec.startPass(ctx, attempt, pass)
		if err := exec.RunPass(ctx, p.RunID, pass, attempt); err != nil {
			return Summary{}, fmt.Errorf("jobs: run %s pass %d: %w", p.RunID, attempt, err)
		}
	}
}

// nextPass returns the chunks of the next pass and its attempt number: of the
// chunks not stored, those with the lowest next attempt. A failed chunk's next
// attempt follows its last; a queued or building one repeats its attempt.
func nextPass(refs []store.ChunkRef, state map[store.ChunkRef]*store.ChunkState) ([]store.ChunkRef, int) {
	attempt := MaxAttempts + 1
	var pass []store.ChunkRef
	for _, ref := range refs {
		c := state[ref]
		if c == nil || c.Stored() {
			continue
		}
		next := max(c.Attempts, 1)
		if c.Failed() {
			next = c.Attempts + 1
		}
		switch {
		case next < attempt:
			attempt, pass = next, []store.ChunkRef{ref}
		case next == attempt:
			pass = append(pass, ref)
		}
	}
	return pass, attempt
}

// finish raises the events of the run's day. A run whose events could not
// be written fails, and its task runs it again: the run resumes settled,
// and the events' ids keep them raised once.
func (r *Runner) finish(ctx context.Context, runID string, day time.Time, refs []store.ChunkRef, sum Summary) (Summary, error) {
	if r.Events == nil || len(refs) == 0 {
		return sum, nil
	}
	var tenants []uuid.UUID
	seen := make(map[uuid.UUID]bool)
	for _, ref := range refs {
		if !seen[ref.TenantID] {
			seen[ref.TenantID] = true
			tenants = append(tenants, ref.TenantID)
		}
	}
	if err := r.Events.DayFinished(ctx, day, tenants); err != nil {
		return Summary{}, fmt.Errorf("jobs: run %s: day events: %w", runID, err)
	}
	return sum, nil
}

func summarize(runID string, refs []store.ChunkRef, state map[store.ChunkRef]*store.ChunkState) Summary {
	s := Summary{RunID: runID, Chunks: len(refs)}
	for _, ref := range refs {
		c := state[ref]
		if c == nil {
			continue // claimed meanwhile by another run
		}
		if c.Stored() && c.Report != nil {
			s.Stored++
			s.Conversations += c.Report.ConversationCount
			s.Messages += c.Report.MessageCount
			s.Bytes += c.Report.SizeBytes
			continue
		}
		s.Failed = append(s.Failed, ref)
	}
	return s
}

func allHours() []int {
	hours := make([]int, 24)
	for i := range hours {
		hours[i] = i
	}
	return hours
}

// sortRefs orders chunks by tenant, then hour, so work is dispatched in a
// stable order.
func sortRefs(refs []store.ChunkRef) {
	slices.SortFunc(refs, func(a, b store.ChunkRef) int {
		if c := slices.Compare(a.TenantID[:], b.TenantID[:]); c != 0 {
			return c
		}
		return a.Hour.From().Compare(b.Hour.From())
	})
}
