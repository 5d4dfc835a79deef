package store

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/ent"
	"github.com/dailyreports/dailyreports/ent/conversation"
	"github.com/dailyreports/dailyreports/ent/message"
	"github.com/dailyreports/dailyreports/ent/predicate"
	"github.com/dailyreports/dailyreports/ent/reportchunk"
	"github.com/dailyreports/dailyreports/internal/report"
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
// report order (StartedAt, then Id; messages by SentAt, then Id). Rows are
// read in keyset pages, never all at once. The conversation passed to each
// is reused: each must not keep it.
func (s *Store) ReadHour(ctx context.Context, tenantID uuid.UUID, h report.Hour, start func(HourInfo) error, each func(*report.Conversation) error) error {
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
func hourPredicates(tenantID uuid.UUID, h report.Hour) []predicate.Conversation {
	return []predicate.Conversation{
		conversation.TenantID(tenantID),
		conversation.StartedAtGTE(h.From()),
		conversation.StartedAtLT(h.To()),
	}
}

func hourInfo(ctx context.Context, tx *ent.Tx, tenantID uuid.UUID, h report.Hour) (HourInfo, error) {
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
	if info.ConversationCount, err = tx.Conversation.Query().Where(hourPredicates(tenantID, h)...).Count(ctx); err != nil {
		return info, dbErr("count conversations", err)
	}
	info.MessageCount, err = tx.Message.Query().Where(message.TenantID(tenantID),
		message.HasConversationWith(hourPredicates(tenantID, h)...)).Count(ctx)
	return info, dbErr("count messages", err)
}

// readPages walks the hour in keyset pages of conversations, each with one
// query for its messages.
func readPages(ctx context.Context, tx *ent.Tx, tenantID uuid.UUID, h report.Hour, each func(*report.Conversation) error) error {
	var after *ent.Conversation
	var c report.Conversation
	for {
		q := tx.Conversation.Query().Where(hourPredicates(tenantID, h)...)
		if after != nil {
			q = q.Where(conversation.Or(
				conversation.StartedAtGT(after.StartedAt),
				conversation.And(conversation.StartedAt(after.StartedAt), conversation.ExternalIDGT(after.ExternalID)),
			))
		}
		page, err := q.Order(ent.Asc(conversation.FieldStartedAt), ent.Asc(conversation.FieldExternalID)).
			Limit(pageSize).All(ctx)
		if err != nil {
			return dbErr("read conversations", err)
		}
		if len(page) == 0 {
			return nil
		}
		msgs, err := pageMessages(ctx, tx, page)
		if err != nil {
			return err
		}
		for _, row := range page {
			fillConversation(&c, row, msgs[row.ID])
			if err := each(&c); err != nil {
				return err
			}
		}
		if len(page) < pageSize {
			return nil
		}
		after = page[len(page)-1]
	}
}

// pageMessages reads the messages of a page of conversations, grouped by
// conversation row id, each group in report order.
func pageMessages(ctx context.Context, tx *ent.Tx, page []*ent.Conversation) (map[int][]*ent.Message, error) {
	ids := make([]int, len(page))
	for i, c := range page {
		ids[i] = c.ID
	}
	rows, err := tx.Message.Query().Where(message.ConversationIDIn(ids...)).
		Order(ent.Asc(message.FieldConversationID), ent.Asc(message.FieldSentAt), ent.Asc(message.FieldExternalID)).
		Select(messageFields...).All(ctx)
	if err != nil {
		return nil, dbErr("read messages", err)
	}
	out := make(map[int][]*ent.Message, len(page))
	for _, m := range rows {
		out[m.ConversationID] = append(out[m.ConversationID], m)
	}
	return out, nil
}

// messageFields are the columns a report needs of a message: the tenant
// column (a UUID to parse on every row) is left out.
var messageFields = []string{message.FieldConversationID, message.FieldExternalID, message.FieldSentAt,
	message.FieldSender, message.FieldText, message.FieldIntent, message.FieldConfidence}

func fillConversation(c *report.Conversation, row *ent.Conversation, msgs []*ent.Message) {
	*c = report.Conversation{
		ID: row.ExternalID, SessionID: row.SessionID, Channel: row.Channel, Language: row.Language,
		ProjectName: row.ProjectName, StartedAt: row.StartedAt.UTC(), EndedAt: utcPtr(row.EndedAt),
		Status: row.Status, Messages: c.Messages[:0],
	}
	for _, m := range msgs {
		c.Messages = append(c.Messages, report.Message{
			ID: m.ExternalID, SentAt: m.SentAt.UTC(), Sender: string(m.Sender), Text: m.Text,
			Intent: m.Intent, Confidence: m.Confidence,
		})
	}
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
