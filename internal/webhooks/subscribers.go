package webhooks

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/ent"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// subscribersTTL is how long a process reuses the list of webhooks to
// decide whether an event has receivers. Webhooks registered or deleted
// through this process count at once; through another one within it.
const subscribersTTL = time.Second

// subscribers is the list of webhooks a process last read.
type subscribers struct {
	mu    sync.Mutex
	at    time.Time
	hooks []*ent.Webhook
}

// receives reports whether a webhook receives events of type typ of
// tenantID. When the webhooks cannot be read it answers true: the event is
// then written, and nothing is missed.
func (s *Service) receives(ctx context.Context, tenantID uuid.UUID, typ Event) bool {
	hooks, err := s.knownWebhooks(ctx)
	if err != nil {
		return true
	}
	return slices.ContainsFunc(hooks, func(w *ent.Webhook) bool {
		return (w.TenantID == nil || *w.TenantID == tenantID) && slices.Contains(w.Events, string(typ))
	})
}

// knownWebhooks returns every webhook, read at most every subscribersTTL.
func (s *Service) knownWebhooks(ctx context.Context) ([]*ent.Webhook, error) {
	c := &s.subs
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now()
	if !c.at.IsZero() && now.Sub(c.at) < subscribersTTL {
		return c.hooks, nil
	}
	hooks, err := s.Store.Webhooks(viewer.SystemContext(ctx, "webhooks"), nil)
	if err != nil {
		return nil, err
	}
	c.hooks, c.at = hooks, now
	return hooks, nil
}

// forgetWebhooks makes the next event read the webhooks again, after this
// process changed them.
func (s *Service) forgetWebhooks() {
	s.subs.mu.Lock()
	s.subs.at = time.Time{}
	s.subs.mu.Unlock()
}
