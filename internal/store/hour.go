package store

import (
	"cmp"
	"context"
	"database/sql"
	"time"

	"entgo.io/ent/dialect"
	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/ent"
	"github.com/dailyreports/dailyreports/ent/conversation"
	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/rule"
)

// HourInfo is what a consistent read of one hour knows before its rows.
type HourInfo struct {
	// DataVersion is the hour's data version when the read began.
	DataVersion       int64
	ConversationCount int
	MessageCount      int
}

// ReadHour reads one tenant's hour from a single snapshot: it calls start
// with the counts and data version, then each with every conversation in
// report order (StartedAt, then Id): its document, as
// document.AppendConversation wrote it, and its number of messages. Rows are
// streamed, never held together. doc is only valid during the call: each
// must not keep it. Its two statements, generation's hot path, are the
// data layer's one hand-written read of tenant rows, so it applies the
// tenant rule itself (rule.ReadsTenant, the decision the privacy rules
// apply).
func (s *Store) ReadHour(ctx context.Context, tenantID uuid.UUID, h document.Hour, start func(HourInfo) error, each func(doc []byte, messages int) error) error {
	if !rule.ReadsTenant(ctx, tenantID) {
		return apperr.TenantNotFound()
	}
	tx, err := s.readTx(ctx)
	if err != nil {
		return dbErr("begin read", err)
	}
	defer func() { _ = tx.Rollback() }()
	info, err := s.hourInfo(ctx, tx, tenantID, h)
	if err != nil {
		return err
	}
	if err := start(info); err != nil {
		return err
	}
	return s.readDocuments(ctx, tx, tenantID, h, each)
}

// hourCounts selects, in one statement, one tenant's hour's data version
// (NULL without a chunk row) and the number of its conversations and of
// their messages.
const hourCounts = `SELECT
	(SELECT data_version FROM report_chunks WHERE tenant_id = $1 AND day = $2 AND hour = $3),
	count(*), coalesce(sum(message_count), 0)
	FROM conversations WHERE tenant_id = $4 AND started_at >= $5 AND started_at < $6`

func (s *Store) hourInfo(ctx context.Context, tx *ent.Tx, tenantID uuid.UUID, h document.Hour) (HourInfo, error) {
	var info HourInfo
	rows, err := tx.QueryContext(ctx, s.bind(hourCounts), tenantID, h.DayString(), h.Hour, tenantID, h.From(), h.To())
	if err != nil {
		return info, dbErr("count conversations", err)
	}
	defer rows.Close()
	if !rows.Next() {
		return info, dbErr("count conversations", cmp.Or(rows.Err(), sql.ErrNoRows))
	}
	var version sql.NullInt64
	if err := rows.Scan(&version, &info.ConversationCount, &info.MessageCount); err != nil {
		return info, dbErr("count conversations", err)
	}
	info.DataVersion = version.Int64
	return info, dbErr("count conversations", rows.Close())
}

// hourDocuments selects one tenant's documents of an hour in report order.
// PostgreSQL sends each document as bytea (convert_to to the database's own
// encoding, UTF-8, copies it as is), which lib/pq hands on in the row's
// buffer, where it would copy text into a new string first.
const (
	hourDocuments = `SELECT document, message_count FROM conversations
	WHERE tenant_id = ? AND started_at >= ? AND started_at < ? ORDER BY started_at, external_id`
	hourDocumentsPostgres = `SELECT convert_to(document, 'UTF8'), message_count FROM conversations
	WHERE tenant_id = $1 AND started_at >= $2 AND started_at < $3 ORDER BY started_at, external_id`
)

// readDocuments streams the hour's documents from the transaction's
// snapshot: one statement, rows read off the connection as they come, each
// document scanned into the driver's buffer and handed on without a copy,
// none kept.
func (s *Store) readDocuments(ctx context.Context, tx *ent.Tx, tenantID uuid.UUID, h document.Hour, each func([]byte, int) error) error {
	q := hourDocuments
	if s.dialect == dialect.Postgres {
		q = hourDocumentsPostgres
	}
	rows, err := tx.QueryContext(ctx, q, tenantID, h.From(), h.To())
	if err != nil {
		return dbErr("read conversations", err)
	}
	defer rows.Close()
	var doc sql.RawBytes
	var n int
	for rows.Next() {
		if err := rows.Scan(&doc, &n); err != nil {
			return dbErr("read conversations", err)
		}
		if err := each(doc, n); err != nil {
			return err
		}
	}
	return dbErr("read conversations", rows.Err())
}

// LatestStart returns when the latest of tenantID's conversations that
// started before t started; ok is false when there is none.
func (s *Store) LatestStart(ctx context.Context, tenantID uuid.UUID, t time.Time) (started time.Time, ok bool, err error) {
	c, err := s.client.Conversation.Query().
		Where(conversation.TenantID(tenantID), conversation.StartedAtLT(t)).
		Order(ent.Desc(conversation.FieldStartedAt)).Select(conversation.FieldStartedAt).First(ctx)
	switch {
	case ent.IsNotFound(err):
		return time.Time{}, false, nil
	case err != nil:
		return time.Time{}, false, dbErr("latest conversation", err)
	}
	return c.StartedAt.UTC(), true, nil
}
