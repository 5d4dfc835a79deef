package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/ent"
	"github.com/dailyreports/dailyreports/ent/conversation"
	"github.com/dailyreports/dailyreports/ent/reportchunk"
	"github.com/dailyreports/dailyreports/ent/tenant"
	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/document"
)

// bulkRows bounds the rows of one statement, well under PostgreSQL's 65535
// bind parameters and SQLite's 32766 for the widest statement.
const bulkRows = 1000

// Ingest upserts a batch of one tenant's conversations, each in its report
// form, by (tenant, Id), all or nothing; the batch holds each Id once,
// sorted by Id (ingest.ReadBatch makes it so). A later write of a
// conversation replaces the earlier one. Every hour the batch writes into —
// the hour of each conversation and, for one that moved, the hour it left —
// gets its data version bumped, which makes a report already stored for
// that hour stale.
//
// On PostgreSQL the batch is COPYed into a temporary table and merged with
// one INSERT … ON CONFLICT (ingestCopy): 1,000 conversations in 32 ms where
// one INSERT … SELECT FROM unnest(…) of four arrays took 55 ms. On SQLite it
// is multi-row INSERTs. These are the data layer's only statements written by
// hand; the tenant they write is one the viewer may see, and the chunk rows
// are bumped through ent in the same transaction, under the privacy rules of
// writes.
func (s *Store) Ingest(ctx context.Context, tenantID uuid.UUID, batch []document.Encoded) error {
	if len(batch) == 0 {
		return nil
	}
	if s.dialect == dialect.Postgres {
		return s.ingestCopy(ctx, tenantID, batch)
	}
	return s.withTx(ctx, func(tx *ent.Tx) error {
		switch ok, err := tx.Tenant.Query().Where(tenant.ID(tenantID)).Exist(ctx); {
		case err != nil:
			return dbErr("check tenant", err)
		case !ok:
			return apperr.TenantNotFound()
		}
		hours := make(map[document.Hour]struct{})
		for i := range batch {
			hours[document.HourOf(batch[i].StartedAt)] = struct{}{}
		}
		if err := lockExisting(ctx, tx.Conversation, false, tenantID, batch, hours); err != nil {
			return err
		}
		if err := s.upsertDocuments(ctx, tx, tenantID, batch); err != nil {
			return err
		}
		return bumpHours(ctx, tx.ReportChunk, tenantID, hours)
	})
}

// lockExisting locks the batch's conversations already stored, in Id
// order (the batch is sorted), and adds the hours they are in now to hours,
// so that a conversation moved to another hour also refreshes the hour it
// left. It reads through ent, under the tenant rule; forUpdate takes row
// locks (PostgreSQL; an SQLite write transaction holds the database).
func lockExisting(ctx context.Context, convs *ent.ConversationClient, forUpdate bool, tenantID uuid.UUID, batch []document.Encoded, hours map[document.Hour]struct{}) error {
	for part := range slices.Chunk(batch, bulkRows) {
		q := convs.Query().Where(conversation.TenantID(tenantID), conversation.ExternalIDIn(ids(part)...)).
			Order(ent.Asc(conversation.FieldExternalID))
		if forUpdate {
			q = q.ForUpdate()
		}
		var rows []struct {
			StartedAt time.Time `json:"started_at"`
		}
		if err := q.Select(conversation.FieldStartedAt).Scan(ctx, &rows); err != nil {
			return dbErr("lock conversations", err)
		}
		for _, r := range rows {
			hours[document.HourOf(r.StartedAt)] = struct{}{}
		}
	}
	return nil
}

// upsertColumns are what a write of a conversation sets.
const upsertColumns = `ON CONFLICT (tenant_id, external_id) DO UPDATE SET started_at = excluded.started_at,
	message_count = excluded.message_count, document = excluded.document, updated_at = excluded.updated_at`

// upsertDocuments writes the batch's conversations as their documents
// (SQLite).
func (s *Store) upsertDocuments(ctx context.Context, tx *ent.Tx, tenantID uuid.UUID, batch []document.Encoded) error {
	now := time.Now().UTC()
	for part := range slices.Chunk(batch, bulkRows) {
		args := make([]any, 0, 6*len(part))
		for i := range part {
			args = append(args, tenantID, part[i].ID, part[i].StartedAt, part[i].Messages, string(part[i].JSON), now)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO conversations (tenant_id, external_id, started_at, message_count, document, updated_at)
			VALUES `+rowPlaceholders(len(part), 6)+` `+upsertColumns, args...)
		if err != nil {
			return dbErr("upsert conversations", err)
		}
	}
	return nil
}

// ids are the Ids of a batch.
func ids(batch []document.Encoded) []string {
	out := make([]string, len(batch))
	for i := range batch {
		out[i] = batch[i].ID
	}
	return out
}

// placeholders is "?, ?, …": n SQLite placeholders.
func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

// rowPlaceholders is "(?, …), (?, …), …": n rows of cols placeholders.
func rowPlaceholders(n, cols int) string {
	row := "(" + placeholders(cols) + ")"
	return strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
}

// bumpHours increments the data version of every hour written into, creating
// the chunk rows of hours that have none yet. Hours are sorted so concurrent
// batches lock chunk rows in one order. It goes through ent, whose privacy
// rules let a principal write its own tenant's rows only.
func bumpHours(ctx context.Context, chunks *ent.ReportChunkClient, tenantID uuid.UUID, hours map[document.Hour]struct{}) error {
	list := make([]document.Hour, 0, len(hours))
	for h := range hours {
		list = append(list, h)
	}
	slices.SortFunc(list, func(a, b document.Hour) int { return a.From().Compare(b.From()) })
	for part := range slices.Chunk(list, bulkRows) {
		builders := make([]*ent.ReportChunkCreate, len(part))
		for i, h := range part {
			builders[i] = chunks.Create().SetTenantID(tenantID).
				SetDay(h.DayString()).SetHour(h.Hour).SetDataVersion(1)
		}
		err := chunks.CreateBulk(builders...).
			OnConflictColumns(reportchunk.FieldTenantID, reportchunk.FieldDay, reportchunk.FieldHour).
			Update(func(u *ent.ReportChunkUpsert) { u.AddDataVersion(1) }).
			Exec(ctx)
		if err != nil {
			return dbErr(fmt.Sprintf("bump %d hours", len(part)), err)
		}
	}
	return nil
}
