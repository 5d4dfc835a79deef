package store

import (
	"context"
	"database/sql"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/ent"
	"github.com/dailyreports/dailyreports/ent/tenant"
	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/document"
)

// ingestCopy is Ingest on PostgreSQL: the batch is COPYed into a temporary
// table, then merged into conversations with one INSERT … ON CONFLICT. ent
// runs over the same transaction for the tenant check and the chunk rows, so
// its privacy rules apply to both.
func (s *Store) ingestCopy(ctx context.Context, tenantID uuid.UUID, batch []document.Encoded) (err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return dbErr("begin", err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	client := ent.NewClient(ent.Driver(entsql.NewDriver(dialect.Postgres, entsql.Conn{ExecQuerier: tx})))
	switch ok, err := client.Tenant.Query().Where(tenant.ID(tenantID)).Exist(ctx); {
	case err != nil:
		return dbErr("check tenant", err)
	case !ok:
		return apperr.TenantNotFound()
	}
	if err := copyBatch(ctx, tx, batch); err != nil {
		return err
	}
	hours := make(map[document.Hour]struct{})
	for i := range batch {
		hours[document.HourOf(batch[i].StartedAt)] = struct{}{}
	}
	if err := lockExisting(ctx, client.Conversation, true, tenantID, batch, hours); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO conversations (tenant_id, external_id, started_at, message_count, document, updated_at)
		SELECT $1, external_id, started_at, message_count, document, $2 FROM ingest_batch ORDER BY external_id `+upsertColumns,
		tenantID, time.Now().UTC()); err != nil {
		return dbErr("upsert conversations", err)
	}
	if err := bumpHours(ctx, client.ReportChunk, tenantID, hours); err != nil {
		return err
	}
	return dbErr("commit", tx.Commit())
}

// copyBatch creates the transaction's temporary table and COPYs the batch
// into it.
func copyBatch(ctx context.Context, tx *sql.Tx, batch []document.Encoded) error {
	if _, err := tx.ExecContext(ctx, `CREATE TEMPORARY TABLE ingest_batch (external_id text COLLATE "C",
		started_at timestamptz, message_count bigint, document text) ON COMMIT DROP`); err != nil {
		return dbErr("stage batch", err)
	}
	stmt, err := tx.PrepareContext(ctx, `COPY ingest_batch (external_id, started_at, message_count, document) FROM STDIN`)
	if err != nil {
		return dbErr("stage batch", err)
	}
	for i := range batch {
		e := &batch[i]
		if _, err := stmt.ExecContext(ctx, e.ID, e.StartedAt, e.Messages, string(e.JSON)); err != nil {
			_ = stmt.Close()
			return dbErr("stage batch", err)
		}
	}
	if _, err := stmt.ExecContext(ctx); err != nil {
		_ = stmt.Close()
		return dbErr("stage batch", err)
	}
	return dbErr("stage batch", stmt.Close())
}
