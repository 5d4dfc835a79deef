package store

import (
	"context"
	"slices"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/ent"
	"github.com/dailyreports/dailyreports/ent/conversation"
	"github.com/dailyreports/dailyreports/ent/reportchunk"
	"github.com/dailyreports/dailyreports/internal/document"
)

// bulkRows bounds the rows of one statement, well under PostgreSQL's 65535
// bind parameters for the widest table.
const bulkRows = 1000

// Ingest upserts a validated batch of one tenant's conversations by (tenant,
// Id), all or nothing, each stored as its report document. A later write of
// a conversation replaces the earlier one; within a batch the last record of
// an Id wins. Every hour the batch writes into — the new hour of each
// conversation and, for a conversation that moved, its old hour — gets its
// data version bumped, which makes a report already stored for that hour
// stale.
func (s *Store) Ingest(ctx context.Context, tenantID uuid.UUID, batch []document.Conversation) error {
	convs := lastByID(batch)
	return s.withTx(ctx, func(tx *ent.Tx) error {
		hours := make(map[document.Hour]struct{})
		for i := range convs {
			hours[document.HourOf(convs[i].StartedAt)] = struct{}{}
		}
		if err := s.lockExisting(ctx, tx, tenantID, convs, hours); err != nil {
			return err
		}
		if err := upsertConversations(ctx, tx, tenantID, convs); err != nil {
			return err
		}
		return bumpHours(ctx, tx, tenantID, hours)
	})
}

// lastByID keeps the last record of each Id, sorted by Id so that concurrent
// batches lock rows in one order.
func lastByID(batch []document.Conversation) []document.Conversation {
	idx := make(map[string]int, len(batch))
	out := make([]document.Conversation, 0, len(batch))
	for _, c := range batch {
		if i, ok := idx[c.ID]; ok {
			out[i] = c
			continue
		}
		idx[c.ID] = len(out)
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b document.Conversation) int {
		switch {
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	})
	return out
}

// lockExisting locks the batch's existing conversations and adds their
// current hours to hours, so a conversation moved to another hour also
// refreshes the hour it left.
func (s *Store) lockExisting(ctx context.Context, tx *ent.Tx, tenantID uuid.UUID, convs []document.Conversation, hours map[document.Hour]struct{}) error {
	for part := range slices.Chunk(convs, bulkRows) {
		ext := make([]string, len(part))
		for i := range part {
			ext[i] = part[i].ID
		}
		q := tx.Conversation.Query().
			Where(conversation.TenantID(tenantID), conversation.ExternalIDIn(ext...)).
			Order(ent.Asc(conversation.FieldExternalID))
		if s.dialect == dialect.Postgres {
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

// upsertConversations writes the conversations as their documents.
func upsertConversations(ctx context.Context, tx *ent.Tx, tenantID uuid.UUID, convs []document.Conversation) error {
	now := time.Now().UTC()
	for part := range slices.Chunk(convs, bulkRows) {
		builders := make([]*ent.ConversationCreate, len(part))
		for i := range part {
			c := inReportForm(&part[i])
			builders[i] = tx.Conversation.Create().SetTenantID(tenantID).SetExternalID(c.ID).
				SetStartedAt(c.StartedAt).SetMessageCount(len(c.Messages)).
				SetDocument(string(document.AppendConversation(nil, &c))).SetUpdatedAt(now)
		}
		err := tx.Conversation.CreateBulk(builders...).
			OnConflictColumns(conversation.FieldTenantID, conversation.FieldExternalID).
			UpdateNewValues().
			Exec(ctx)
		if err != nil {
			return dbErr("upsert conversations", err)
		}
	}
	return nil
}

// inReportForm returns c as a report holds it: times in UTC to the
// microsecond (as PostgreSQL keeps them), messages in report order. c is
// not changed.
func inReportForm(c *document.Conversation) document.Conversation {
	out := *c
	out.StartedAt = microUTC(c.StartedAt)
	if c.EndedAt != nil {
		t := microUTC(*c.EndedAt)
		out.EndedAt = &t
	}
	out.Messages = slices.Clone(c.Messages)
	for i := range out.Messages {
		out.Messages[i].SentAt = microUTC(out.Messages[i].SentAt)
	}
	sortMessages(out.Messages)
	return out
}

func microUTC(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// sortMessages sorts messages in report order: SentAt, then Id in byte
// order; messages equal in both keep their order.
func sortMessages(msgs []document.Message) {
	slices.SortStableFunc(msgs, func(a, b document.Message) int {
		if c := a.SentAt.Compare(b.SentAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}

// bumpHours increments the data version of every hour written into, creating
// the chunk rows of hours that have none yet. Hours are sorted so concurrent
// batches lock chunk rows in one order.
func bumpHours(ctx context.Context, tx *ent.Tx, tenantID uuid.UUID, hours map[document.Hour]struct{}) error {
	list := make([]document.Hour, 0, len(hours))
	for h := range hours {
		list = append(list, h)
	}
	slices.SortFunc(list, func(a, b document.Hour) int { return a.From().Compare(b.From()) })
	for part := range slices.Chunk(list, bulkRows) {
		builders := make([]*ent.ReportChunkCreate, len(part))
		for i, h := range part {
			builders[i] = tx.ReportChunk.Create().SetTenantID(tenantID).
				SetDay(h.DayString()).SetHour(h.Hour).SetDataVersion(1)
		}
		err := tx.ReportChunk.CreateBulk(builders...).
			OnConflictColumns(reportchunk.FieldTenantID, reportchunk.FieldDay, reportchunk.FieldHour).
			Update(func(u *ent.ReportChunkUpsert) { u.AddDataVersion(1) }).
			Exec(ctx)
		if err != nil {
			return dbErr("bump hours", err)
		}
	}
	return nil
}
