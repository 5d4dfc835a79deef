package store

import (
	"context"
	"database/sql"
	"time"

	"entgo.io/ent/dialect"
	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/ent"
	"github.com/dailyreports/dailyreports/ent/conversation"
	"github.com/dailyreports/dailyreports/ent/predicate"
	"github.com/dailyreports/dailyreports/ent/reportchunk"
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
// must not keep it. Its documents' statement is the data layer's one
// hand-written read of tenant rows, so it applies the tenant rule itself
// (rule.ReadsTenant, the decision the privacy rules apply), before any
// statement runs.
func (s *Store) ReadHour(ctx context.Context, tenantID uuid.UUID, h document.Hour, start func(HourInfo) error, each func(doc []byte, messages int) error) error {
	if !rule.ReadsTenant(ctx, tenantID) {
		return apperr.TenantNotFound()
	}
	tx, err := s.readTx(ctx)
	if err != nil {
		return dbErr("begin read", err)
	}
	defer func() { _ = tx.Rollback() }()
	info, err := hourInfo(ctx, tx, tenantID, h)
	if err != nil {
		return err
	}
	if err := start(info); err != nil {
		return err
	}
	return s.readDocuments(ctx, tx, tenantID, h, each)
}

// hourPredicates select one tenant's conversations that started in h.
func hourPredicates(tenantID uuid.UUID, h document.Hour) []predicate.Conversation {
	return []predicate.Conversation{
		conversation.TenantID(tenantID),
		conversation.StartedAtGTE(h.From()),
		conversation.StartedAtLT(h.To()),
	}
}

func hourInfo(ctx context.Context, tx *ent.Tx, tenantID uuid.UUID, h document.Hour) (HourInfo, error) {
	var info HourInfo
	chunk, err := tx.ReportChunk.Query().Where(reportchunk.TenantID(tenantID),
		reportchunk.Day(h.DayString()), reportchunk.Hour(h.Hour)).Only(ctx)
	switch {
	case ent.IsNotFound(err):
	case err != nil:
		return info, dbErr("read chunk version", err)
	default:
		info.DataVersion = chunk.DataVersion
	}
	var counts []struct {
		Count int  `json:"count"`
		Sum   *int `json:"sum"`
	}
	err = tx.Conversation.Query().Where(hourPredicates(tenantID, h)...).
		Aggregate(ent.Count(), ent.Sum(conversation.FieldMessageCount)).Scan(ctx, &counts)
	if err != nil {
		return info, dbErr("count conversations", err)
	}
	if len(counts) == 1 {
		info.ConversationCount = counts[0].Count
		if counts[0].Sum != nil {
			info.MessageCount = *counts[0].Sum
		}
	}
	return info, nil
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
// none kept. ReadHour has applied the tenant rule.
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
