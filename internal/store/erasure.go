package store

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/ent"
	"github.com/dailyreports/dailyreports/ent/conversation"
	"github.com/dailyreports/dailyreports/ent/erasure"
	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// Erased is an erasure whose stored report may still hold the conversation:
// the hour it was in, until MarkErasuresDone.
type Erased struct {
	ID             int
	ConversationID string
	Hour           document.Hour
}

// EraseConversations deletes the tenant's conversations with the given Ids,
// and in the same transaction bumps the data version of each hour they
// were in (so no stored report of those hours is served as fresh any more)
// and writes the audit record of each: the viewer as actor, the tenant, the
// Id, the time and the hour, never the content. Ids the tenant has no
// conversation of are skipped. It returns the erasures still to clean up
// for these Ids: those of this call, and any an earlier call left unfinished.
func (s *Store) EraseConversations(ctx context.Context, tenantID uuid.UUID, ids []string) (erased int, pending []Erased, err error) {
	v, _ := viewer.FromContext(ctx)
	err = s.withTx(ctx, func(tx *ent.Tx) error {
		rows, err := tx.Conversation.Query().
			Where(conversation.TenantID(tenantID), conversation.ExternalIDIn(ids...)).
			Select(conversation.FieldExternalID, conversation.FieldStartedAt).All(ctx)
		if err != nil {
			return dbErr("find conversations", err)
		}
		if len(rows) == 0 {
			return nil
		}
		if _, err := tx.Conversation.Delete().
			Where(conversation.TenantID(tenantID), conversation.ExternalIDIn(ids...)).Exec(ctx); err != nil {
			return dbErr("erase conversations", err)
		}
		hours := make(map[document.Hour]struct{})
		sys := viewer.SystemContext(ctx, "erasure")
		now := time.Now().UTC()
		for _, r := range rows {
			h := document.HourOf(r.StartedAt)
			hours[h] = struct{}{}
			err := tx.Erasure.Create().SetTenantID(tenantID).SetConversationID(r.ExternalID).
				SetActor(actorOf(v)).SetAt(now).SetDay(h.DayString()).SetHour(h.Hour).Exec(sys)
			if err != nil {
				return dbErr("record erasure", err)
			}
		}
		erased = len(rows)
		return bumpHours(ctx, tx.ReportChunk, tenantID, hours)
	})
	if err != nil {
		return 0, nil, err
	}
	pending, err = s.pendingErasures(ctx, tenantID, ids)
	return erased, pending, err
}

// pendingErasures returns the unfinished erasures of the tenant's Ids.
func (s *Store) pendingErasures(ctx context.Context, tenantID uuid.UUID, ids []string) ([]Erased, error) {
	rows, err := s.client.Erasure.Query().
		Where(erasure.TenantID(tenantID), erasure.ConversationIDIn(ids...), erasure.DoneAtIsNil()).
		All(viewer.SystemContext(ctx, "erasure"))
	if err != nil {
		return nil, dbErr("list erasures", err)
	}
	return erasedOf(rows), nil
}

// UnfinishedErasures returns up to limit erasures of any tenant whose
// cleanup has not finished, oldest first.
func (s *Store) UnfinishedErasures(ctx context.Context, limit int) (map[uuid.UUID][]Erased, error) {
	rows, err := s.client.Erasure.Query().Where(erasure.DoneAtIsNil()).
		Order(ent.Asc(erasure.FieldID)).Limit(limit).All(ctx)
	if err != nil {
		return nil, dbErr("list erasures", err)
	}
	out := make(map[uuid.UUID][]Erased)
	for _, r := range rows {
		out[r.TenantID] = append(out[r.TenantID], erasedOf([]*ent.Erasure{r})...)
	}
	return out, nil
}

func erasedOf(rows []*ent.Erasure) []Erased {
	out := make([]Erased, len(rows))
	for i, r := range rows {
		out[i] = Erased{ID: r.ID, ConversationID: r.ConversationID, Hour: hourOfRow(r.Day, r.Hour)}
	}
	return out
}

// MarkErasuresDone records that the cleanup of the erasures ids finished.
func (s *Store) MarkErasuresDone(ctx context.Context, ids []int) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := s.client.Erasure.Update().Where(erasure.IDIn(ids...), erasure.DoneAtIsNil()).
		SetDoneAt(time.Now().UTC()).Save(viewer.SystemContext(ctx, "erasure"))
	return dbErr("finish erasures", err)
}

// Erasures returns the latest limit erasures of a tenant, newest first.
// Only host administrators and the service can read them.
func (s *Store) Erasures(ctx context.Context, tenantID uuid.UUID, limit int) ([]*ent.Erasure, error) {
	rows, err := s.client.Erasure.Query().Where(erasure.TenantID(tenantID)).
		Order(ent.Desc(erasure.FieldAt), ent.Desc(erasure.FieldID)).Limit(limit).All(ctx)
	return rows, dbErr("read erasures", err)
}
