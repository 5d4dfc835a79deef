package store

import (
	"context"
	"strings"
	"time"

	entsql "entgo.io/ent/dialect/sql"
	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/ent"
	"github.com/dailyreports/dailyreports/ent/generationpass"
	"github.com/dailyreports/dailyreports/ent/generationrun"
	"github.com/dailyreports/dailyreports/ent/predicate"
)

// RunTrigger is what started a generation run.
type RunTrigger string

// The triggers of a run.
const (
	TriggerNightly    RunTrigger = "NIGHTLY"
	TriggerReconcile  RunTrigger = "RECONCILE"
	TriggerRegenerate RunTrigger = "REGENERATE"
	TriggerCommand    RunTrigger = "COMMAND"
)

// RunStatus is where a generation run stands.
type RunStatus string

// The statuses of a run: SUCCEEDED when every chunk it claimed is stored,
// PARTIAL when some are still failed after the retry passes, FAILED when
// none could be stored or the run could not finish.
const (
	RunRunning   RunStatus = "RUNNING"
	RunSucceeded RunStatus = "SUCCEEDED"
	RunPartial   RunStatus = "PARTIAL"
	RunFailed    RunStatus = "FAILED"
)

// Run is the record of one generation run.
type Run struct {
	ID         uuid.UUID
	Key        string
	UtcDay     time.Time
	Trigger    RunTrigger
	Status     RunStatus
	StartedAt  time.Time
	FinishedAt *time.Time
	// Tenants, Chunks: what the run claimed; Stored, Failed: its outcome
	// so far.
	Tenants, Chunks, Stored, Failed int
}

// RunPass is the record of one pass of a run.
type RunPass struct {
	Attempt, Chunks, Stored, Failed int
	StartedAt                       time.Time
	FinishedAt                      *time.Time
}

// RunCounts are a run's or a pass's outcome.
type RunCounts struct{ Stored, Failed int }

func runOf(r *ent.GenerationRun) *Run {
	day, _ := time.Parse(time.DateOnly, r.Day)
	return &Run{ID: r.ID, Key: r.Key, UtcDay: day, Trigger: RunTrigger(strings.ToUpper(string(r.Trigger))),
		Status: RunStatus(strings.ToUpper(string(r.Status))), StartedAt: r.StartedAt.UTC(), FinishedAt: utcPtr(r.FinishedAt),
		Tenants: r.Tenants, Chunks: r.Chunks, Stored: r.Stored, Failed: r.Failed}
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// StartRun records that the run with key (the run id its chunks carry) has
// claimed chunks of tenants on day (YYYY-MM-DD), and returns its id. A run
// started again under the same key (resumed after a crash, retried) is the
// same record, running again.
func (s *Store) StartRun(ctx context.Context, key, day string, trigger RunTrigger, tenants, chunks int) (uuid.UUID, error) {
	var id uuid.UUID
	err := s.relaxed(ctx, "start run", func(c *ent.Client) error {
		err := c.GenerationRun.Create().SetKey(key).SetDay(day).
			SetTrigger(generationrun.Trigger(strings.ToLower(string(trigger)))).
			SetTenants(tenants).SetChunks(chunks).
			OnConflictColumns(generationrun.FieldKey).
			Update(func(u *ent.GenerationRunUpsert) {
				u.SetStatus(generationrun.StatusRunning).ClearFinishedAt().SetTenants(tenants).SetChunks(chunks)
			}).Exec(ctx)
		if err != nil {
			return dbErr("start run", err)
		}
		id, err = c.GenerationRun.Query().Where(generationrun.Key(key)).OnlyID(ctx)
		return dbErr("start run", err)
	})
	return id, err
}

// StartPass records that pass number attempt of run id began over chunks.
// A pass begun again (its outcomes could not be recorded) is the same
// record.
func (s *Store) StartPass(ctx context.Context, id uuid.UUID, attempt, chunks int) error {
	return s.relaxed(ctx, "start pass", func(c *ent.Client) error {
		err := c.GenerationPass.Create().SetRunID(id).SetAttempt(attempt).SetChunks(chunks).
			OnConflictColumns(generationpass.FieldRunID, generationpass.FieldAttempt).
			Update(func(u *ent.GenerationPassUpsert) { u.SetChunks(chunks).ClearFinishedAt() }).Exec(ctx)
		return dbErr("start pass", err)
	})
}

// FinishPass records the outcome of pass number attempt of run id, and the
// run's outcome so far.
func (s *Store) FinishPass(ctx context.Context, id uuid.UUID, attempt int, pass, run RunCounts) error {
	now := time.Now()
	return s.relaxed(ctx, "finish pass", func(c *ent.Client) error {
		if err := c.GenerationPass.Update().
			Where(generationpass.RunID(id), generationpass.Attempt(attempt)).
			SetStored(pass.Stored).SetFailed(pass.Failed).SetFinishedAt(now).Exec(ctx); err != nil {
			return dbErr("finish pass", err)
		}
		return dbErr("finish pass", c.GenerationRun.UpdateOneID(id).SetStored(run.Stored).SetFailed(run.Failed).Exec(ctx))
	})
}

// FinishRun records how run id ended.
func (s *Store) FinishRun(ctx context.Context, id uuid.UUID, status RunStatus, run RunCounts) error {
	return s.relaxed(ctx, "finish run", func(c *ent.Client) error {
		err := c.GenerationRun.UpdateOneID(id).
			SetStatus(generationrun.Status(strings.ToLower(string(status)))).
			SetStored(run.Stored).SetFailed(run.Failed).SetFinishedAt(time.Now()).Exec(ctx)
		return dbErr("finish run", err)
	})
}

// Runs returns up to first runs, newest first, after the run with id after
// (nil: from the newest), only of day when day is not "", and whether more
// follow.
func (s *Store) Runs(ctx context.Context, first int, after *uuid.UUID, day string) ([]*Run, bool, error) {
	q := s.client.GenerationRun.Query()
	if day != "" {
		q = q.Where(generationrun.Day(day))
	}
	if after != nil {
		q = q.Where(before[predicate.GenerationRun](generationrun.Table, generationrun.FieldStartedAt, generationrun.FieldID, *after))
	}
	rows, err := q.Order(ent.Desc(generationrun.FieldStartedAt), ent.Desc(generationrun.FieldID)).
		Limit(first + 1).All(ctx)
	if err != nil {
		return nil, false, dbErr("list runs", err)
	}
	more := len(rows) > first
	if more {
		rows = rows[:first]
	}
	out := make([]*Run, len(rows))
	for i, r := range rows {
		out[i] = runOf(r)
	}
	return out, more, nil
}

// RunPasses returns the passes of run id, first first.
func (s *Store) RunPasses(ctx context.Context, id uuid.UUID) ([]*RunPass, error) {
	rows, err := s.client.GenerationPass.Query().Where(generationpass.RunID(id)).
		Order(ent.Asc(generationpass.FieldAttempt)).All(ctx)
	if err != nil {
		return nil, dbErr("list passes", err)
	}
	out := make([]*RunPass, len(rows))
	for i, r := range rows {
		out[i] = &RunPass{Attempt: r.Attempt, Chunks: r.Chunks, Stored: r.Stored, Failed: r.Failed,
			StartedAt: r.StartedAt.UTC(), FinishedAt: utcPtr(r.FinishedAt)}
	}
	return out, nil
}

// before matches the rows of table that come after the row whose key column
// is key in the order (at DESC, key DESC): a keyset page that reads the
// cursor row's position from the database, so no time value makes a round
// trip through a cursor.
func before[P ~func(*entsql.Selector)](table, at, keyCol string, key any) P {
	return func(s *entsql.Selector) {
		s.Where(entsql.P(func(b *entsql.Builder) {
			b.Wrap(func(b *entsql.Builder) { b.WriteString(s.C(at)).Comma().WriteString(s.C(keyCol)) })
			b.WriteString(" < ")
			b.Wrap(func(b *entsql.Builder) {
				b.Join(entsql.Select(at, keyCol).From(entsql.Table(table)).Where(entsql.EQ(keyCol, key)))
			})
		}))
	}
}
