package store

import (
	"context"
	"slices"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/ent"
	"github.com/dailyreports/dailyreports/ent/webhook"
	"github.com/dailyreports/dailyreports/ent/webhookattempt"
	"github.com/dailyreports/dailyreports/ent/webhookdelivery"
	"github.com/dailyreports/dailyreports/internal/apperr"
)

// NewWebhook describes a webhook to create.
type NewWebhook struct {
	ID uuid.UUID
	// TenantID is nil for a webhook of every tenant.
	TenantID *uuid.UUID
	URL      string
	Events   []string
	// Secret is the sealed signing secret.
	Secret []byte
}

// CreateWebhook stores a webhook. Only host administrators and the service
// may; a tenant that does not exist is NotFound.
func (s *Store) CreateWebhook(ctx context.Context, w NewWebhook) (*ent.Webhook, error) {
	if w.TenantID != nil {
		if _, err := s.Tenant(ctx, *w.TenantID); err != nil {
			return nil, err
		}
	}
	row, err := s.client.Webhook.Create().SetID(w.ID).SetNillableTenantID(w.TenantID).
		SetURL(w.URL).SetEvents(w.Events).SetSecret(w.Secret).Save(ctx)
	return row, dbErr("create webhook", err)
}

// Webhook returns the webhook with id, or a NotFound error.
func (s *Store) Webhook(ctx context.Context, id uuid.UUID) (*ent.Webhook, error) {
	row, err := s.client.Webhook.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, apperr.New(apperr.NotFound, "webhook not found")
	}
	return row, dbErr("get webhook", err)
}

// Webhooks returns the webhooks of tenantID (nil: every webhook), oldest
// first.
func (s *Store) Webhooks(ctx context.Context, tenantID *uuid.UUID) ([]*ent.Webhook, error) {
	q := s.client.Webhook.Query()
	if tenantID != nil {
		q = q.Where(webhook.TenantID(*tenantID))
	}
	rows, err := q.Order(ent.Asc(webhook.FieldCreatedAt), ent.Asc(webhook.FieldID)).All(ctx)
	return rows, dbErr("list webhooks", err)
}

// DeleteWebhook deletes a webhook with its deliveries; one that does not
// exist is NotFound.
func (s *Store) DeleteWebhook(ctx context.Context, id uuid.UUID) error {
	n, err := s.client.Webhook.Delete().Where(webhook.ID(id)).Exec(ctx)
	if err != nil {
		return dbErr("delete webhook", err)
	}
	if n == 0 {
		return apperr.New(apperr.NotFound, "webhook not found")
	}
	return nil
}

// Deliveries returns the latest limit deliveries of a webhook, newest first.
func (s *Store) Deliveries(ctx context.Context, webhookID uuid.UUID, limit int) ([]*ent.WebhookDelivery, error) {
	rows, err := s.client.WebhookDelivery.Query().Where(webhookdelivery.WebhookID(webhookID)).
		Order(ent.Desc(webhookdelivery.FieldCreatedAt), ent.Desc(webhookdelivery.FieldID)).Limit(limit).All(ctx)
	return rows, dbErr("list deliveries", err)
}

// Delivery returns the delivery with id, or a NotFound error.
func (s *Store) Delivery(ctx context.Context, id uuid.UUID) (*ent.WebhookDelivery, error) {
	row, err := s.client.WebhookDelivery.Get(ctx, id)
	return row, dbErr("get delivery", err)
}

// Attempts returns the recorded attempts of a delivery, first first.
func (s *Store) Attempts(ctx context.Context, deliveryID uuid.UUID) ([]*ent.WebhookAttempt, error) {
	rows, err := s.client.WebhookAttempt.Query().Where(webhookattempt.DeliveryID(deliveryID)).
		Order(ent.Asc(webhookattempt.FieldAttempt)).All(ctx)
	return rows, dbErr("list attempts", err)
}

// subscribes reports whether a webhook receives events of type typ.
func subscribes(w *ent.Webhook, typ string) bool { return slices.Contains(w.Events, typ) }
