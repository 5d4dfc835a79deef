package store

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/ent"
	"github.com/dailyreports/dailyreports/ent/reportchunk"
)

// ChunkState is what the database records of one tenant's report for one
// hour: the record of truth that runs, live builds and the API read. Its
// phase is read only through its methods, so what a stored, failed or
// building chunk means is decided here alone.
type ChunkState struct {
	Ref ChunkRef
	// DataVersion is the hour's data version: ingestion bumps it for every
	// hour it writes into.
	DataVersion int64
	// RunID and Attempts name the run that last claimed the chunk and how
	// many times it has tried.
	RunID    string
	Attempts int
	// Report is the stored report the row records; nil while none is.
	Report *Stored
	// LastError is why the last build failed, "" when it did not.
	LastError string
	// UpdatedAt is when the row last changed.
	UpdatedAt time.Time
	// Lease is the claim of the build under way (ClaimBuild), nil when no
	// build holds one; it may have lapsed (Lease.Held).
	Lease *Lease

	phase reportchunk.Status
}

// chunkState reads a row.
func chunkState(r *ent.ReportChunk) *ChunkState {
	c := &ChunkState{Ref: ChunkRef{TenantID: r.TenantID, Hour: hourOfRow(r.Day, r.Hour)},
		DataVersion: r.DataVersion, RunID: r.RunID, Attempts: r.Attempts,
		LastError: r.LastError, UpdatedAt: r.UpdatedAt, Lease: leaseOf(r), phase: r.Status}
	if r.BuiltVersion >= 0 && r.Sha256 != "" {
		c.Report = &Stored{BuiltVersion: r.BuiltVersion, ConversationCount: r.ConversationCount,
			MessageCount: r.MessageCount, SizeBytes: r.SizeBytes, SHA256: r.Sha256}
		if r.GeneratedAt != nil {
			c.Report.GeneratedAt = r.GeneratedAt.UTC()
		}
	}
	return c
}

// Fresh reports whether the chunk's stored report was built from the hour's
// current data.
func (c *ChunkState) Fresh() bool {
	return c != nil && c.Report != nil && c.Report.BuiltVersion == c.DataVersion
}

// ReportSize is the size of the recorded report's zip, 0 when none is
// recorded.
func (c *ChunkState) ReportSize() int64 {
	if c == nil || c.Report == nil {
		return 0
	}
	return c.Report.SizeBytes
}

// ReportSHA256 is the SHA-256 of the recorded report's zip, "" when none is
// recorded.
func (c *ChunkState) ReportSHA256() string {
	if c == nil || c.Report == nil {
		return ""
	}
	return c.Report.SHA256
}

// StoredFrom reports whether the chunk records a report stored from version
// or newer data.
func (c *ChunkState) StoredFrom(version int64) bool {
	return c.Stored() && c.Report != nil && c.Report.BuiltVersion >= version
}

// Stored reports whether the chunk's last build stored its report.
func (c *ChunkState) Stored() bool { return c != nil && c.phase == reportchunk.StatusStored }

// Failed reports whether the chunk's last build failed.
func (c *ChunkState) Failed() bool { return c != nil && c.phase == reportchunk.StatusFailed }

// Building reports whether a run's build of the chunk started and has no
// outcome yet.
func (c *ChunkState) Building() bool { return c != nil && c.phase == reportchunk.StatusBuilding }

// Pending reports whether a run claimed the chunk and has not started
// building it.
func (c *ChunkState) Pending() bool { return c != nil && c.phase == reportchunk.StatusPending }

// Phase names where the chunk stands (pending, building, stored, failed), for
// logs and messages.
func (c *ChunkState) Phase() string {
	if c == nil {
		return "none"
	}
	return string(c.phase)
}

// Settled reports whether the chunk needs nothing more of attempt number
// attempt: stored, or failed at that attempt or a later one.
func (c *ChunkState) Settled(attempt int) bool {
	return c.Stored() || (c.Failed() && c.Attempts >= attempt)
}

// Chunk returns the state of one chunk, or nil when it has no row yet.
func (s *Store) Chunk(ctx context.Context, ref ChunkRef) (*ChunkState, error) {
	r, err := s.client.ReportChunk.Query().Where(chunkWhere(ref)...).Only(ctx)
	switch {
	case ent.IsNotFound(err):
		return nil, nil
	case err != nil:
		return nil, dbErr("get chunk", err)
	}
	return chunkState(r), nil
}

// DayChunks returns the states of one tenant's chunks of day (YYYY-MM-DD)
// that have rows, by hour.
func (s *Store) DayChunks(ctx context.Context, tenantID uuid.UUID, day string) ([]*ChunkState, error) {
	rows, err := s.client.ReportChunk.Query().
		Where(reportchunk.TenantID(tenantID), reportchunk.Day(day)).
		Order(ent.Asc(reportchunk.FieldHour)).All(ctx)
	if err != nil {
		return nil, dbErr("list chunks", err)
	}
	return chunkStates(rows), nil
}

func chunkStates(rows []*ent.ReportChunk) []*ChunkState {
	out := make([]*ChunkState, len(rows))
	for i, r := range rows {
		out[i] = chunkState(r)
	}
	return out
}

// ChunksOfDay returns the states of every tenant's chunks of day
// (YYYY-MM-DD) that have rows, by tenant then hour.
func (s *Store) ChunksOfDay(ctx context.Context, day string) ([]*ChunkState, error) {
	rows, err := s.client.ReportChunk.Query().Where(reportchunk.Day(day)).
		Order(ent.Asc(reportchunk.FieldTenantID), ent.Asc(reportchunk.FieldHour)).All(ctx)
	if err != nil {
		return nil, dbErr("list chunks of day", err)
	}
	return chunkStates(rows), nil
}

// FailedChunks returns up to limit chunks whose last build failed, of
// every tenant the viewer can see, newest day first, then by tenant and
// hour; only those of day (YYYY-MM-DD) when it is not "".
func (s *Store) FailedChunks(ctx context.Context, day string, limit int) ([]*ChunkState, error) {
	q := s.client.ReportChunk.Query().Where(reportchunk.StatusEQ(reportchunk.StatusFailed))
	if day != "" {
		q = q.Where(reportchunk.Day(day))
	}
	rows, err := q.Order(ent.Desc(reportchunk.FieldDay), ent.Asc(reportchunk.FieldTenantID), ent.Asc(reportchunk.FieldHour)).
		Limit(limit).All(ctx)
	if err != nil {
		return nil, dbErr("list failed chunks", err)
	}
	return chunkStates(rows), nil
}
