package store

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/ent"
	"github.com/dailyreports/dailyreports/ent/conversation"
	"github.com/dailyreports/dailyreports/ent/predicate"
	"github.com/dailyreports/dailyreports/ent/reportchunk"
	"github.com/dailyreports/dailyreports/internal/document"
)

// pageSize is the number of conversations read per keyset page: it bounds the
// memory of a build whatever the size of the hour.
const pageSize = 500

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
// read in keyset pages, never all at once. doc is only valid during the
// call: each must not keep it.
func (s *Store) ReadHour(ctx context.Context, tenantID uuid.UUID, h document.Hour, start func(HourInfo) error, each func(doc string, messages int) error) error {
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
	return readPages(ctx, tx, tenantID, h, each)
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

// readPages walks the hour in keyset pages of conversations.
func readPages(ctx context.Context, tx *ent.Tx, tenantID uuid.UUID, h document.Hour, each func(string, int) error) error {
	var after *ent.Conversation
	for {
		q := tx.Conversation.Query().Where(hourPredicates(tenantID, h)...)
		if after != nil {
			q = q.Where(conversation.Or(
				conversation.StartedAtGT(after.StartedAt),
				conversation.And(conversation.StartedAt(after.StartedAt), conversation.ExternalIDGT(after.ExternalID)),
			))
		}
		page, err := q.Order(ent.Asc(conversation.FieldStartedAt), ent.Asc(conversation.FieldExternalID)).
			Select(conversation.FieldStartedAt, conversation.FieldExternalID, conversation.FieldMessageCount,
				conversation.FieldDocument).
			Limit(pageSize).All(ctx)
		if err != nil {
			return dbErr("read conversations", err)
		}
		for _, row := range page {
			if err := each(row.Document, row.MessageCount); err != nil {
				return err
			}
		}
		if len(page) < pageSize {
			return nil
		}
		after = page[len(page)-1]
	}
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
