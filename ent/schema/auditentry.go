package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/ent/privacy"
	"github.com/dailyreports/dailyreports/internal/rule"
)

// AuditEntry records one change of a tenant's report setting: who made it,
// when, and the setting before (null when the tenant was created) and
// after. Entries are written in the transaction of the change and never
// changed afterwards.
type AuditEntry struct {
	ent.Schema
}

// Fields of the AuditEntry.
func (AuditEntry) Fields() []ent.Field {
	return []ent.Field{
		field.UUID("tenant_id", uuid.UUID{}).Immutable(),
		field.String("actor").MaxLen(256).Immutable(),
		field.Time("at").Default(time.Now).Immutable(),
		field.Bool("old_enabled").Optional().Nillable().Immutable(),
		field.Int("old_retention_months").Optional().Nillable().Immutable(),
		field.Bool("new_enabled").Immutable(),
		field.Int("new_retention_months").Immutable(),
	}
}

// Edges of the AuditEntry.
func (AuditEntry) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("tenant", Tenant.Type).Field("tenant_id").Unique().Required().Immutable(),
	}
}

// Indexes of the AuditEntry.
func (AuditEntry) Indexes() []ent.Index {
	return []ent.Index{index.Fields("tenant_id", "at")}
}

// Policy of the AuditEntry: host administrators and the service read the
// log; entries are only ever created, by whoever may change the setting.
func (AuditEntry) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			rule.DenyIfNoViewer(),
			rule.AllowIfSystem(),
			rule.AllowIfHost(),
			privacy.AlwaysDenyRule(),
		},
		Mutation: privacy.MutationPolicy{
			rule.DenyIfNoViewer(),
			privacy.OnMutationOperation(rule.AllowIfSystem(), ent.OpCreate),
			privacy.OnMutationOperation(rule.AllowIfHost(), ent.OpCreate),
			privacy.AlwaysDenyRule(),
		},
	}
}

// Annotations of the AuditEntry.
func (AuditEntry) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
