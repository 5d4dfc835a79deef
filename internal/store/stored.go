package store

import (
	"context"

	"entgo.io/ent/dialect"
	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/ent"
	"github.com/dailyreports/dailyreports/ent/predicate"
	"github.com/dailyreports/dailyreports/ent/reportchunk"
)

// Marked is what MarkStored recorded.
type Marked struct {
	// Superseded is set when the chunk records a report built from newer
	// data than this one: nothing was recorded, and the upload before the
	// call may have overwritten that newer report.
	Superseded bool
	// Replaced is the SHA-256 of the stored report this one replaced with
	// other bytes; "" when none was stored or the bytes are the same.
	Replaced string
	// Deliveries are the webhook deliveries of the rebuilt event written.
	Deliveries []uuid.UUID
}

// MarkStored records an uploaded report. A report built from older data than
// the one already recorded does not overwrite it (Superseded). When it
// replaces a stored report with other bytes, the rebuilt event (if any) is
// written to the webhook outbox in the same transaction, so no crash can
// record one without the other. The build's claim (st.Token) is released
// with the record; a claim another build took over is left to it. The
// common cases — no event to raise, a chunk with no report yet, or the same
// bytes, by the build that holds the claim — are one statement.
func (s *Store) MarkStored(ctx context.Context, ref ChunkRef, st Stored, rebuilt *NewEvent) (Marked, error) {
	only := []predicate.ReportChunk{reportchunk.BuiltVersionLTE(st.BuiltVersion)}
	if rebuilt != nil { // whether it replaces other bytes matters
		only = append(only, reportchunk.Sha256In("", st.SHA256))
	}
	if st.Token != "" {
		only = append(only, reportchunk.BuildOwner(st.Token))
	}
	n, err := s.setStored(ctx, s.client, ref, st, true, only...)
	if err != nil || n > 0 {
		return Marked{}, dbErr("mark stored", err)
	}
	var m Marked
	err = s.withTx(ctx, func(tx *ent.Tx) error {
		if err := ensureChunks(ctx, tx.Client(), []ChunkRef{ref}); err != nil {
			return err
		}
		q := tx.ReportChunk.Query().Where(chunkWhere(ref)...)
		if s.dialect == dialect.Postgres {
			q = q.ForUpdate()
		}
		row, err := q.Only(ctx)
		if err != nil {
			return dbErr("mark stored", err)
		}
		if row.BuiltVersion > st.BuiltVersion {
			m.Superseded = true
			return nil
		}
		if _, err := s.setStored(ctx, tx.Client(), ref, st, st.Token != "" && row.BuildOwner == st.Token); err != nil {
			return dbErr("mark stored", err)
		}
		if row.Sha256 == "" || row.Sha256 == st.SHA256 {
			return nil
		}
		m.Replaced = row.Sha256
		if rebuilt != nil {
			m.Deliveries, err = queueEvent(ctx, tx.Client(), *rebuilt)
		}
		return err
	})
	return m, err
}

// setStored records st on ref's row where the predicates hold, releasing
// the claim of st.Token when release is set.
func (s *Store) setStored(ctx context.Context, c *ent.Client, ref ChunkRef, st Stored, release bool, where ...predicate.ReportChunk) (int, error) {
	u := c.ReportChunk.Update().Where(append(chunkWhere(ref), where...)...).
		SetStatus(reportchunk.StatusStored).SetBuiltVersion(st.BuiltVersion).
		SetConversationCount(st.ConversationCount).SetMessageCount(st.MessageCount).
		SetSizeBytes(st.SizeBytes).SetSha256(st.SHA256).SetGeneratedAt(st.GeneratedAt).
		SetLastError("")
	if release && st.Token != "" {
		u = u.SetBuildOwner("").ClearBuildExpiresAt().SetBuildUploading(false)
	}
	return u.Save(ctx)
}
