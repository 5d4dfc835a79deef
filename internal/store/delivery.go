package store

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/ent"
	"github.com/dailyreports/dailyreports/ent/webhookattempt"
	"github.com/dailyreports/dailyreports/ent/webhookdelivery"
)

// Claimed is a delivery attempt this caller holds: the delivery and its
// webhook.
type Claimed struct {
	Delivery *ent.WebhookDelivery
	Webhook  *ent.Webhook
}

// ClaimAttempt takes attempt number n of a pending delivery for lease: the
// first caller after attempt n-1 was recorded, or any caller once the lease
// of a caller lost making attempt n has run out. It returns nil when the
// attempt is not to be made now — recorded already, superseded, the
// delivery settled or gone — and inFlight when another caller holds a live
// lease on it.
func (s *Store) ClaimAttempt(ctx context.Context, id uuid.UUID, n int, now time.Time, lease time.Duration) (c *Claimed, inFlight bool, err error) {
	next := webhookdelivery.And(webhookdelivery.Attempt(n-1), webhookdelivery.LeaseUntilIsNil())
	lost := webhookdelivery.And(webhookdelivery.Attempt(n), webhookdelivery.LeaseUntilLT(now))
	claimed, err := s.client.WebhookDelivery.Update().
		Where(webhookdelivery.ID(id), webhookdelivery.StatusEQ(webhookdelivery.StatusPENDING), webhookdelivery.Or(next, lost)).
		SetAttempt(n).SetLeaseUntil(now.Add(lease)).Save(ctx)
	if err != nil {
		return nil, false, dbErr("claim delivery", err)
	}
	if claimed == 0 {
		d, err := s.client.WebhookDelivery.Get(ctx, id)
		switch {
		case ent.IsNotFound(err):
			return nil, false, nil
		case err != nil:
			return nil, false, dbErr("get delivery", err)
		}
		live := d.Status == webhookdelivery.StatusPENDING && d.Attempt == n && d.LeaseUntil != nil && !d.LeaseUntil.Before(now)
		return nil, live, nil
	}
	d, err := s.client.WebhookDelivery.Query().Where(webhookdelivery.ID(id)).WithWebhook().Only(ctx)
	if err != nil {
		return nil, false, dbErr("get delivery", err)
	}
	return &Claimed{Delivery: d, Webhook: d.Edges.Webhook}, false, nil
}

// Outcome is the result of one attempt.
type Outcome struct {
	// Status is the receiver's status, 0 when none answered.
	Status int
	// Error says why the attempt failed ("" when delivered).
	Error    string
	Duration time.Duration
	At       time.Time
	// Delivered is set when the receiver accepted the message; otherwise
	// Next is when the next attempt is due, nil when there is none.
	Delivered bool
	Next      *time.Time
}

// RecordAttempt records the outcome of attempt n, which the caller claimed,
// and settles the delivery or schedules its next attempt, in one
// transaction. It reports whether the outcome was recorded: false when the
// claim had been lost meanwhile (another caller took the attempt over).
func (s *Store) RecordAttempt(ctx context.Context, id uuid.UUID, n int, o Outcome) (bool, error) {
	recorded := false
	err := s.withTx(ctx, func(tx *ent.Tx) error {
		u := tx.WebhookDelivery.Update().
			Where(webhookdelivery.ID(id), webhookdelivery.Attempt(n), webhookdelivery.LeaseUntilNotNil(),
				webhookdelivery.StatusEQ(webhookdelivery.StatusPENDING)).
			ClearLeaseUntil().SetAt(o.At)
		if o.Status > 0 {
			u.SetResponseStatus(o.Status)
		} else {
			u.ClearResponseStatus()
		}
		switch {
		case o.Delivered:
			u.SetStatus(webhookdelivery.StatusDELIVERED).ClearNextAttemptAt()
		case o.Next == nil:
			u.SetStatus(webhookdelivery.StatusFAILED).ClearNextAttemptAt()
		default:
			u.SetNextAttemptAt(*o.Next)
		}
		changed, err := u.Save(ctx)
		if err != nil || changed == 0 {
			return dbErr("record attempt", err)
		}
		reason := o.Error
		if len(reason) > 200 {
			reason = reason[:200]
		}
		a := tx.WebhookAttempt.Create().SetDeliveryID(id).SetAttempt(n).SetAt(o.At).
			SetError(reason).SetDurationMs(int(o.Duration.Milliseconds()))
		if o.Status > 0 {
			a.SetResponseStatus(o.Status)
		}
		err = a.OnConflictColumns(webhookattempt.FieldDeliveryID, webhookattempt.FieldAttempt).Ignore().Exec(ctx)
		recorded = err == nil
		return dbErr("record attempt", err)
	})
	return recorded, err
}

// Due is a delivery's next attempt, which the queue may have lost.
type Due struct {
	ID      uuid.UUID
	Attempt int
}

// DueAttempts returns up to limit pending deliveries whose next attempt was
// due before by and has not begun, or whose attempt in flight lost its lease
// before now.
func (s *Store) DueAttempts(ctx context.Context, now, by time.Time, limit int) ([]Due, error) {
	rows, err := s.client.WebhookDelivery.Query().
		Where(webhookdelivery.StatusEQ(webhookdelivery.StatusPENDING), webhookdelivery.Or(
			webhookdelivery.And(webhookdelivery.LeaseUntilIsNil(), webhookdelivery.NextAttemptAtLT(by)),
			webhookdelivery.LeaseUntilLT(now))).
		Order(ent.Asc(webhookdelivery.FieldNextAttemptAt)).Limit(limit).All(ctx)
	if err != nil {
		return nil, dbErr("list due deliveries", err)
	}
	out := make([]Due, len(rows))
	for i, d := range rows {
		out[i] = Due{ID: d.ID, Attempt: d.Attempt + 1}
		if d.LeaseUntil != nil {
			out[i].Attempt = d.Attempt
		}
	}
	return out, nil
}
