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

// Erasure is the audit record of one erased conversation: who erased which
// Id of which tenant, and when; never its content. It also names the hour
// the conversation was in, so that the cleanup of that hour's stored report
// (its object versions deleted, the hour rebuilt) can be finished later when
// object storage was down; done_at is set once it is.
type Erasure struct {
	ent.Schema
}

// Fields of the Erasure.
func (Erasure) Fields() []ent.Field {
	return []ent.Field{
		field.UUID("tenant_id", uuid.UUID{}).Immutable(),
		field.String("conversation_id").NotEmpty().MaxLen(256).Immutable(),
		field.String("actor").MaxLen(256).Immutable(),
		field.Time("at").Default(time.Now).Immutable(),
		field.String("day").MaxLen(10).Immutable(), // YYYY-MM-DD, UTC
		field.Int("hour").Range(0, 23).Immutable(),
		field.Time("done_at").Optional().Nillable(),
	}
}

// Edges of the Erasure.
func (Erasure) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("tenant", Tenant.Type).Field("tenant_id").Unique().Required().Immutable().
			Annotations(entsql.OnDelete(entsql.Cascade)),
	}
}

// Indexes of the Erasure.
func (Erasure) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("tenant_id", "at"),
		index.Fields("tenant_id", "conversation_id"),
		index.Fields("done_at"),
	}
}

// Policy of the Erasure: host administrators and the service only; the
// data layer writes entries as the service, naming the principal as actor.
func (Erasure) Policy() ent.Policy { return hostOnlyPolicy() }

// Annotations of the Erasure.
func (Erasure) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
