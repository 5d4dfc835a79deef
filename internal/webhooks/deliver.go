package webhooks

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/store"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// ErrInFlight is returned by Deliver when another worker is making the
// attempt: the caller tries again later, in case that worker is lost.
var ErrInFlight = errors.New("webhooks: the attempt is in flight elsewhere")

// Deliver makes attempt number n of a delivery, once: it claims the attempt
// on the delivery's row (no other worker makes it meanwhile; one lost
// mid-attempt is taken over when its lease runs out), POSTs the signed
// body, records the outcome and schedules the next attempt after the
// configured wait, or settles the delivery as DELIVERED or FAILED.
func (s *Service) Deliver(ctx context.Context, id uuid.UUID, n int) error {
	ctx = viewer.SystemContext(ctx, "webhooks")
	c, inFlight, err := s.Store.ClaimAttempt(ctx, id, n, s.now(), lease)
	switch {
	case err != nil:
		return err
	case inFlight:
		return ErrInFlight
	case c == nil:
		return nil // recorded already, superseded, or settled
	}
	res := s.attempt(ctx, c)
	o := store.Outcome{Status: res.status, Error: res.reason, Duration: res.duration, At: s.now(), Delivered: res.delivered()}
	if !o.Delivered && n <= len(s.RetryDelays) {
		next := o.At.Add(s.RetryDelays[n-1])
		o.Next = &next
	}
	recorded, err := s.Store.RecordAttempt(ctx, id, n, o)
	if err != nil || !recorded {
		return err
	}
	s.count(o)
	s.Log.InfoContext(ctx, "webhook attempt", "delivery", id, "attempt", n, "status", res.status,
		"delivered", o.Delivered, "reason", res.reason, "duration_ms", res.duration.Milliseconds())
	if o.Next != nil && s.Queue != nil {
		if err := s.Queue.EnqueueAttempt(ctx, id, n+1, *o.Next); err != nil {
			s.Log.WarnContext(ctx, "webhook retry not queued; the sweep will", "delivery", id, "err", err)
		}
	}
	return nil
}

// attempt sends the claimed delivery's body, signed with its webhook's
// secret, at most once.
func (s *Service) attempt(ctx context.Context, c *store.Claimed) result {
	secret, err := s.Sealer.Open(c.Webhook.Secret, c.Webhook.ID)
	if err != nil {
		return result{reason: "the secret cannot be opened: WEBHOOK_SECRET_KEY (or AUTH_SIGNING_KEY) changed since the webhook was created"}
	}
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	return post(ctx, s.httpClient(), message{url: c.Webhook.URL, id: c.Delivery.EventID, secret: secret,
		body: []byte(c.Delivery.Payload), at: s.now()})
}

func (s *Service) count(o store.Outcome) {
	if s.Metrics == nil {
		return
	}
	outcome := "retried"
	switch {
	case o.Delivered:
		outcome = "delivered"
	case o.Next == nil:
		outcome = "failed"
	}
	s.Metrics.Deliveries.WithLabelValues(outcome).Inc()
}

// sweepGrace is how long past due an attempt must be before the sweep
// schedules it again: the queue normally runs it on time.
const sweepGrace = 30 * time.Second

// Sweep schedules again the attempts the queue lost: pending deliveries
// whose next attempt is overdue, or whose attempt in flight lost its
// worker. Scheduling an attempt the queue still has changes nothing (its
// task id), and the claim keeps a duplicate from sending twice. It returns
// how many it scheduled.
func (s *Service) Sweep(ctx context.Context) (int, error) {
	if s.Queue == nil {
		return 0, apperr.New(apperr.Unavailable, "no queue to schedule webhook attempts on")
	}
	ctx = viewer.SystemContext(ctx, "webhooks")
	now := s.now()
	due, err := s.Store.DueAttempts(ctx, now, now.Add(-sweepGrace), 500)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, d := range due {
		if err := s.Queue.EnqueueAttempt(ctx, d.ID, d.Attempt, now); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
