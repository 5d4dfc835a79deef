package webhooks

import (
	"context"
	"slices"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/ent"
	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/auth"
	"github.com/dailyreports/dailyreports/internal/store"
)

// Created is a new webhook with its secret, shown this once.
type Created struct {
	Webhook *ent.Webhook
	Secret  string
}

// Create registers a webhook of tenantID (nil: every tenant) for events;
// only host administrators may. The URL is checked (CheckURL) and the
// secret sealed before it is stored.
func (s *Service) Create(ctx context.Context, tenantID *uuid.UUID, rawURL string, events []Event) (*Created, error) {
	if _, err := auth.RequireHost(ctx); err != nil {
		return nil, err
	}
	u, err := CheckURL(ctx, rawURL, s.AllowPrivate)
	if err != nil {
		return nil, err
	}
	types, err := eventTypes(events)
	if err != nil {
		return nil, err
	}
	id, secret := uuid.New(), NewSecret()
	w, err := s.Store.CreateWebhook(ctx, store.NewWebhook{
		ID: id, TenantID: tenantID, URL: u.String(), Events: types, Secret: s.Sealer.Seal(secret, id),
	})
	if err != nil {
		return nil, err
	}
	s.forgetWebhooks()
	return &Created{Webhook: w, Secret: secret}, nil
}

// eventTypes checks a subscription: at least one event, each once.
func eventTypes(events []Event) ([]string, error) {
	if len(events) == 0 {
		return nil, apperr.New(apperr.Invalid, "events must name at least one event")
	}
	var out []string
	for _, e := range events {
		if !slices.Contains(Subscribable, e) {
			return nil, apperr.New(apperr.Invalid, "unknown event %q", e)
		}
		if !slices.Contains(out, string(e)) {
			out = append(out, string(e))
		}
	}
	return out, nil
}

// List returns the webhooks of tenantID (nil: every webhook), oldest first;
// only host administrators may.
func (s *Service) List(ctx context.Context, tenantID *uuid.UUID) ([]*ent.Webhook, error) {
	if _, err := auth.RequireHost(ctx); err != nil {
		return nil, err
	}
	return s.Store.Webhooks(ctx, tenantID)
}

// Delete removes a webhook and its deliveries; only host administrators may.
func (s *Service) Delete(ctx context.Context, id uuid.UUID) error {
	if _, err := auth.RequireHost(ctx); err != nil {
		return err
	}
	err := s.Store.DeleteWebhook(ctx, id)
	s.forgetWebhooks()
	return err
}

// pageSize bounds a list of deliveries: first defaults to 20, at most 100.
func pageSize(first *int) (int, error) {
	switch {
	case first == nil:
		return 20, nil
	case *first < 0:
		return 0, apperr.New(apperr.Invalid, "first must not be negative")
	}
	return min(*first, 100), nil
}

// Deliveries returns a webhook's latest deliveries, newest first.
func (s *Service) Deliveries(ctx context.Context, webhookID uuid.UUID, first *int) ([]*ent.WebhookDelivery, error) {
	n, err := pageSize(first)
	if err != nil {
		return nil, err
	}
	return s.Store.Deliveries(ctx, webhookID, n)
}

// Attempts returns a delivery's recorded attempts, first first.
func (s *Service) Attempts(ctx context.Context, deliveryID uuid.UUID) ([]*ent.WebhookAttempt, error) {
	return s.Store.Attempts(ctx, deliveryID)
}

// Test sends a webhook.test event to a webhook now, in this process, and
// returns its delivery after the first attempt; a failed attempt is
// retried like any other. Only host administrators may.
func (s *Service) Test(ctx context.Context, id uuid.UUID) (*ent.WebhookDelivery, error) {
	if _, err := auth.RequireHost(ctx); err != nil {
		return nil, err
	}
	w, err := s.Store.Webhook(ctx, id)
	if err != nil {
		return nil, err
	}
	ev := store.NewEvent{ID: eventID(string(EventTest), uuid.NewString()), Type: string(EventTest),
		Payload: s.encode(EventTest, TestData{WebhookID: w.ID})}
	if w.TenantID != nil {
		ev.TenantID = *w.TenantID
	}
	did, err := s.Store.QueueDelivery(ctx, w.ID, ev)
	if err != nil {
		return nil, err
	}
	if err := s.Deliver(ctx, did, 1); err != nil {
		return nil, err
	}
	return s.Store.Delivery(ctx, did)
}

// EventsOf are the events a webhook receives.
func EventsOf(w *ent.Webhook) []Event {
	out := make([]Event, len(w.Events))
	for i, e := range w.Events {
		out[i] = Event(e)
	}
	return out
}
