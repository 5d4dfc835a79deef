package store

import (
	"context"
	"time"

	entsql "entgo.io/ent/dialect/sql"
	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/ent"
	"github.com/dailyreports/dailyreports/ent/predicate"
	"github.com/dailyreports/dailyreports/ent/reportchunk"
	"github.com/dailyreports/dailyreports/ent/tenant"
	"github.com/dailyreports/dailyreports/internal/document"
)

// ChunkRef names one tenant's report for one hour.
type ChunkRef struct {
	TenantID uuid.UUID
	Hour     document.Hour
}

// Stored describes a report that was uploaded.
type Stored struct {
	BuiltVersion      int64
	ConversationCount int
	MessageCount      int
	SizeBytes         int64
	SHA256            string
	GeneratedAt       time.Time
	// Token is the claim of the build that uploaded it (ClaimBuild),
	// released as the report is recorded; "" for a build without a claim.
	// It is not read back.
	Token string
}

func chunkWhere(ref ChunkRef) []predicate.ReportChunk {
	return []predicate.ReportChunk{
		reportchunk.TenantID(ref.TenantID),
		reportchunk.Day(ref.Hour.DayString()),
		reportchunk.Hour(ref.Hour.Hour),
	}
}

// ensureChunks creates the missing chunk rows of refs.
func ensureChunks(ctx context.Context, c *ent.Client, refs []ChunkRef) error {
	for i := 0; i < len(refs); i += bulkRows {
		part := refs[i:min(i+bulkRows, len(refs))]
		builders := make([]*ent.ReportChunkCreate, len(part))
		for j, r := range part {
			builders[j] = c.ReportChunk.Create().SetTenantID(r.TenantID).
				SetDay(r.Hour.DayString()).SetHour(r.Hour.Hour)
		}
		err := c.ReportChunk.CreateBulk(builders...).
			OnConflictColumns(reportchunk.FieldTenantID, reportchunk.FieldDay, reportchunk.FieldHour).
			Ignore().Exec(ctx)
		if err != nil {
			return dbErr("create chunks", err)
		}
	}
	return nil
}

// MarkBuilding records that attempt number attempt of run runID is building
// the chunk.
func (s *Store) MarkBuilding(ctx context.Context, ref ChunkRef, runID string, attempt int) error {
	return s.updateChunk(ctx, ref, "mark building", func() (int, error) {
		return s.client.ReportChunk.Update().Where(chunkWhere(ref)...).
			SetStatus(reportchunk.StatusBuilding).SetRunID(runID).SetAttempts(attempt).Save(ctx)
	})
}

// StartAttempt records that attempt number attempt of run runID begins to
// build the chunk, if it still has to: the run holds the chunk, no later
// attempt began, this one has no outcome yet (asynq delivers a task at
// least once), and no other build stored the chunk's current data since
// the run claimed it (a live build, say: its record stays, and the run
// counts it). It reports whether the attempt may go on. One statement.
func (s *Store) StartAttempt(ctx context.Context, ref ChunkRef, runID string, attempt int) (bool, error) {
	n, err := s.client.ReportChunk.Update().
		Where(append(chunkWhere(ref), reportchunk.RunID(runID),
			reportchunk.Not(reportchunk.And(reportchunk.StatusEQ(reportchunk.StatusStored), versionsEqual())),
			reportchunk.Or(
				reportchunk.AttemptsLT(attempt),
				reportchunk.And(reportchunk.Attempts(attempt),
					reportchunk.StatusIn(reportchunk.StatusPending, reportchunk.StatusBuilding))))...).
		SetStatus(reportchunk.StatusBuilding).SetAttempts(attempt).Save(ctx)
	return n > 0, dbErr("start attempt", err)
}

// updateChunk runs update, an update of ref's row, and when it changes no
// row creates the row if it is missing and runs update again: a chunk's row
// exists once its first run claimed it, so the common case is one statement.
func (s *Store) updateChunk(ctx context.Context, ref ChunkRef, op string, update func() (int, error)) error {
	n, err := update()
	if err != nil || n > 0 {
		return dbErr(op, err)
	}
	if err := ensureChunks(ctx, s.client, []ChunkRef{ref}); err != nil {
		return err
	}
	_, err = update()
	return dbErr(op, err)
}

// MarkFailed records a failed build of run runID. A chunk stored meanwhile by
// another build keeps its stored state.
func (s *Store) MarkFailed(ctx context.Context, ref ChunkRef, runID, reason string) error {
	if err := ensureChunks(ctx, s.client, []ChunkRef{ref}); err != nil {
		return err
	}
	if len(reason) > 1000 {
		reason = reason[:1000]
	}
	_, err := s.client.ReportChunk.Update().
		Where(append(chunkWhere(ref), reportchunk.RunID(runID), reportchunk.StatusNEQ(reportchunk.StatusStored))...).
		SetStatus(reportchunk.StatusFailed).SetLastError(reason).Save(ctx)
	return dbErr("mark failed", err)
}

// Claim puts the given hours of tenants' day into run runID and returns the
// chunks the run owns. It skips chunks that are stored and fresh (unless
// force) and chunks that another run is building or has queued within lease.
// Claiming again with the same run id returns the same chunks, so planners
// that race with one run id agree.
func (s *Store) Claim(ctx context.Context, runID string, tenants []uuid.UUID, day document.Hour, hours []int, force bool, lease time.Duration) ([]ChunkRef, error) {
	var refs []ChunkRef
	for _, t := range tenants {
		for _, h := range hours {
			refs = append(refs, ChunkRef{TenantID: t, Hour: document.NewHour(day.Day, h)})
		}
	}
	dayStr := day.DayString()
	err := s.relaxed(ctx, "claim chunks", func(c *ent.Client) error { return claim(ctx, c, runID, refs, tenants, dayStr, hours, force, lease) })
	if err != nil {
		return nil, err
	}
	return s.RunChunks(ctx, runID, dayStr)
}

// claim creates the missing rows of refs and puts those that may be claimed
// into run runID.
func claim(ctx context.Context, c *ent.Client, runID string, refs []ChunkRef, tenants []uuid.UUID, dayStr string, hours []int, force bool, lease time.Duration) error {
	if err := ensureChunks(ctx, c, refs); err != nil {
		return err
	}
	leased := time.Now().Add(-lease)
	for i := 0; i < len(tenants); i += bulkRows {
		part := tenants[i:min(i+bulkRows, len(tenants))]
		preds := []predicate.ReportChunk{
			reportchunk.TenantIDIn(part...), reportchunk.Day(dayStr), reportchunk.HourIn(hours...),
			reportchunk.RunIDNEQ(runID),
			reportchunk.Not(reportchunk.And(
				reportchunk.RunIDNEQ(""),
				reportchunk.StatusIn(reportchunk.StatusPending, reportchunk.StatusBuilding),
				reportchunk.UpdatedAtGT(leased))),
		}
		if !force {
			preds = append(preds, reportchunk.Not(reportchunk.And(
				reportchunk.StatusEQ(reportchunk.StatusStored), versionsEqual())))
		}
		_, err := c.ReportChunk.Update().Where(preds...).
			SetStatus(reportchunk.StatusPending).SetRunID(runID).SetAttempts(0).Save(ctx)
		if err != nil {
			return dbErr("claim chunks", err)
		}
	}
	return nil
}

// versionsEqual matches chunks whose stored report was built from their
// current data.
func versionsEqual() predicate.ReportChunk {
	return func(s *entsql.Selector) {
		s.Where(entsql.ColumnsEQ(s.C(reportchunk.FieldBuiltVersion), s.C(reportchunk.FieldDataVersion)))
	}
}

// RunChunks returns the chunks of day that belong to run runID.
func (s *Store) RunChunks(ctx context.Context, runID, day string) ([]ChunkRef, error) {
	rows, err := s.client.ReportChunk.Query().
		Where(reportchunk.RunID(runID), reportchunk.Day(day)).
		Order(ent.Asc(reportchunk.FieldTenantID), ent.Asc(reportchunk.FieldHour)).All(ctx)
	if err != nil {
		return nil, dbErr("list run chunks", err)
	}
	refs := make([]ChunkRef, 0, len(rows))
	for _, r := range rows {
		refs = append(refs, ChunkRef{TenantID: r.TenantID, Hour: hourOfRow(r.Day, r.Hour)})
	}
	return refs, nil
}

// RunState returns the states of the chunks of run runID on day, keyed by
// chunk.
func (s *Store) RunState(ctx context.Context, runID, day string) (map[ChunkRef]*ChunkState, error) {
	rows, err := s.client.ReportChunk.Query().
		Where(reportchunk.RunID(runID), reportchunk.Day(day)).All(ctx)
	if err != nil {
		return nil, dbErr("read run state", err)
	}
	out := make(map[ChunkRef]*ChunkState, len(rows))
	for _, c := range chunkStates(rows) {
		out[c.Ref] = c
	}
	return out, nil
}

// hourOfRow is the hour a chunk row names. Days are written by this package
// as YYYY-MM-DD, so a malformed one cannot occur; it would read as the zero
// day.
func hourOfRow(day string, hour int) document.Hour {
	d, _ := time.Parse(document.DayLayout, day)
	return document.NewHour(d, hour)
}

// Unfresh returns, by day, the enabled tenants that have chunks on days in
// [from, to) (YYYY-MM-DD) that are not stored and fresh: stale after late
// data, failed, or never built.
func (s *Store) Unfresh(ctx context.Context, from, to string) (map[string][]uuid.UUID, error) {
	var rows []struct {
		Day      string    `json:"day"`
		TenantID uuid.UUID `json:"tenant_id"`
	}
	err := s.client.ReportChunk.Query().
		Where(reportchunk.DayGTE(from), reportchunk.DayLT(to),
			reportchunk.Not(reportchunk.And(reportchunk.StatusEQ(reportchunk.StatusStored), versionsEqual())),
			reportchunk.HasTenantWith(tenant.ReportEnabled(true))).
		Unique(true).Select(reportchunk.FieldDay, reportchunk.FieldTenantID).Scan(ctx, &rows)
	if err != nil {
		return nil, dbErr("list unfresh chunks", err)
	}
	out := make(map[string][]uuid.UUID)
	for _, r := range rows {
		out[r.Day] = append(out[r.Day], r.TenantID)
	}
	return out, nil
}
