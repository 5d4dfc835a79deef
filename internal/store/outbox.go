package store

import (
	"context"
	"crypto/sha1"
	"database/sql"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/ent"
	"github.com/dailyreports/dailyreports/ent/webhook"
	"github.com/dailyreports/dailyreports/ent/webhookdelivery"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// NewEvent is an event for the webhooks that subscribe to it.
type NewEvent struct {
	// ID names the event (the webhook-id header); raising one id again
	// delivers nothing more.
	ID   string
	Type string
	// TenantID is the tenant the event is about; its webhooks and those of
	// every tenant receive it.
	TenantID uuid.UUID
	// Payload is the body every attempt sends.
	Payload []byte
}

// deliveryNamespace derives delivery ids from (webhook, event).
var deliveryNamespace = uuid.MustParse("4f2b7c1e-9a51-4d0b-8a7e-3c6d5e0f1a29")

// DeliveryID is the id of the delivery of event eventID to webhook
// webhookID: the same whoever writes it.
func DeliveryID(webhookID uuid.UUID, eventID string) uuid.UUID {
	return uuid.NewHash(sha1.New(), deliveryNamespace, append(webhookID[:], eventID...), 5)
}

// QueueEvent writes the outbox rows of ev: one pending delivery for each
// webhook of its tenant, and of every tenant, that subscribes to its type,
// once per (webhook, event). It returns the ids of the deliveries this call
// created, due now.
func (s *Store) QueueEvent(ctx context.Context, ev NewEvent) ([]uuid.UUID, error) {
	var ids []uuid.UUID
	err := s.withTx(ctx, func(tx *ent.Tx) error {
		var err error
		ids, err = queueEvent(ctx, tx.Client(), ev)
		return err
	})
	return ids, err
}

// queueEvent is QueueEvent in a transaction of the caller's. It writes as
// the service: raising an event is the service's act, whoever caused it.
func queueEvent(ctx context.Context, c *ent.Client, ev NewEvent) ([]uuid.UUID, error) {
	ctx = viewer.SystemContext(ctx, "webhooks")
	hooks, err := c.Webhook.Query().
		Where(webhook.Or(webhook.TenantID(ev.TenantID), webhook.TenantIDIsNil())).All(ctx)
	if err != nil {
		return nil, dbErr("list webhooks", err)
	}
	var ids []uuid.UUID
	for _, w := range hooks {
		if !subscribes(w, ev.Type) {
			continue
		}
		id, created, err := insertDelivery(ctx, c, w.ID, ev)
		if err != nil {
			return nil, err
		}
		if created {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// QueueDelivery writes one pending delivery of ev to one webhook (a test
// event), due now, and returns its id.
func (s *Store) QueueDelivery(ctx context.Context, webhookID uuid.UUID, ev NewEvent) (uuid.UUID, error) {
	id, _, err := insertDelivery(ctx, s.client, webhookID, ev)
	return id, err
}

// insertDelivery writes the delivery of ev to webhookID unless it exists.
// created is a hint for enqueueing its first attempt: two writers racing may
// both see it new, and the attempt's task id and claim keep it sent once.
func insertDelivery(ctx context.Context, c *ent.Client, webhookID uuid.UUID, ev NewEvent) (id uuid.UUID, created bool, err error) {
	id = DeliveryID(webhookID, ev.ID)
	switch ok, err := c.WebhookDelivery.Query().Where(webhookdelivery.ID(id)).Exist(ctx); {
	case err != nil:
		return id, false, dbErr("find delivery", err)
	case ok:
		return id, false, nil
	}
	now := time.Now().UTC()
	create := c.WebhookDelivery.Create().SetID(id).SetWebhookID(webhookID).SetEventID(ev.ID).
		SetType(ev.Type).SetPayload(string(ev.Payload)).SetNextAttemptAt(now).SetAt(now).SetCreatedAt(now)
	if ev.TenantID != uuid.Nil {
		create.SetTenantID(ev.TenantID)
	}
	err = create.OnConflictColumns(webhookdelivery.FieldWebhookID, webhookdelivery.FieldEventID).DoNothing().Exec(ctx)
	if errors.Is(err, sql.ErrNoRows) { // PostgreSQL returned no id: another writer's row
		return id, false, nil
	}
	return id, err == nil, dbErr("queue delivery", err)
}
