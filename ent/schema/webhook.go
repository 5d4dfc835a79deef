package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
	"github.com/google/uuid"
)

// Webhook is an endpoint a host administrator registered to be told when
// reports are ready: one tenant's events, or every tenant's when tenant_id
// is null. Its signing secret is stored encrypted (AES-GCM), never in clear.
type Webhook struct {
	ent.Schema
}

// Fields of the Webhook.
func (Webhook) Fields() []ent.Field {
	return []ent.Field{
		field.UUID("id", uuid.UUID{}).Default(uuid.New).Immutable(),
		field.UUID("tenant_id", uuid.UUID{}).Optional().Nillable().Immutable(),
		field.String("url").NotEmpty().MaxLen(2048).Immutable(),
		// events are the event types it receives, e.g. report.day.completed.
		field.Strings("events").Immutable(),
		// secret is the signing secret sealed with the service's webhook key.
		field.Bytes("secret").NotEmpty().Sensitive().Immutable(),
		field.Time("created_at").Default(time.Now).Immutable(),
	}
}

// Edges of the Webhook.
func (Webhook) Edges() []ent.Edge {
	return []ent.Edge{
		// A tenant's webhooks go with it: never left to receive every tenant's events.
		edge.To("tenant", Tenant.Type).Field("tenant_id").Unique().Immutable().
			Annotations(entsql.OnDelete(entsql.Cascade)),
		edge.To("deliveries", WebhookDelivery.Type).
			Annotations(entsql.OnDelete(entsql.Cascade)),
	}
}

// Policy of the Webhook: host administrators and the service only.
func (Webhook) Policy() ent.Policy { return hostOnlyPolicy() }

// Annotations of the Webhook.
func (Webhook) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// WebhookDelivery is one event to one webhook: the outbox row and the record
// of truth of its delivery. One row per (webhook, event), so an event raised
// twice is delivered once; the body is fixed when the row is written, so
// every attempt sends the same bytes.
type WebhookDelivery struct {
	ent.Schema
}

// Fields of the WebhookDelivery.
func (WebhookDelivery) Fields() []ent.Field {
	return []ent.Field{
		// id is derived from the webhook and the event, so racing writers
		// agree on it.
		field.UUID("id", uuid.UUID{}).Immutable(),
		field.UUID("webhook_id", uuid.UUID{}).Immutable(),
		// event_id is the webhook-id header: the same for every attempt.
		field.String("event_id").NotEmpty().MaxLen(64).Immutable(),
		field.String("type").NotEmpty().MaxLen(64).Immutable(),
		field.UUID("tenant_id", uuid.UUID{}).Optional().Nillable().Immutable(),
		field.Text("payload").NotEmpty().Immutable(),
		// status values are as GraphQL names them.
		field.Enum("status").Values("PENDING", "DELIVERED", "FAILED").Default("PENDING"),
		// attempt is the number of the latest attempt begun (0: none yet).
		field.Int("attempt").Default(0),
		// next_attempt_at is when the next attempt is due (pending only).
		field.Time("next_attempt_at").Optional().Nillable(),
		// lease_until is when the worker making the latest attempt is
		// presumed lost, so another may make it again.
		field.Time("lease_until").Optional().Nillable(),
		field.Int("response_status").Optional().Nillable(),
		field.Time("created_at").Default(time.Now).Immutable(),
		// at is when the latest attempt ended, or the row was written.
		field.Time("at").Default(time.Now),
	}
}

// Edges of the WebhookDelivery.
func (WebhookDelivery) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("webhook", Webhook.Type).Ref("deliveries").Field("webhook_id").Unique().Required().Immutable(),
		edge.To("attempts", WebhookAttempt.Type).Annotations(entsql.OnDelete(entsql.Cascade)),
	}
}

// Indexes of the WebhookDelivery.
func (WebhookDelivery) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("webhook_id", "event_id").Unique(),
		index.Fields("webhook_id", "created_at"),
		index.Fields("status", "next_attempt_at"),
	}
}

// Policy of the WebhookDelivery: host administrators and the service only.
func (WebhookDelivery) Policy() ent.Policy { return hostOnlyPolicy() }

// Annotations of the WebhookDelivery.
func (WebhookDelivery) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// WebhookAttempt records one attempt of a delivery: when it ended, the
// receiver's status (null when none answered) and why it failed.
type WebhookAttempt struct {
	ent.Schema
}

// Fields of the WebhookAttempt.
func (WebhookAttempt) Fields() []ent.Field {
	return []ent.Field{
		field.UUID("delivery_id", uuid.UUID{}).Immutable(),
		field.Int("attempt").Positive().Immutable(),
		field.Time("at").Default(time.Now).Immutable(),
		field.Int("response_status").Optional().Nillable().Immutable(),
		// error says why the attempt failed, in the service's words ("" when
		// it succeeded); never the receiver's answer.
		field.String("error").MaxLen(200).Default("").Immutable(),
		field.Int("duration_ms").NonNegative().Immutable(),
	}
}

// Edges of the WebhookAttempt.
func (WebhookAttempt) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("delivery", WebhookDelivery.Type).Ref("attempts").Field("delivery_id").Unique().Required().Immutable(),
	}
}

// Indexes of the WebhookAttempt.
func (WebhookAttempt) Indexes() []ent.Index {
	return []ent.Index{index.Fields("delivery_id", "attempt").Unique()}
}

// Policy of the WebhookAttempt: host administrators and the service only.
func (WebhookAttempt) Policy() ent.Policy { return hostOnlyPolicy() }

// Annotations of the WebhookAttempt.
func (WebhookAttempt) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
