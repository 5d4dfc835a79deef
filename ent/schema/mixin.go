package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/mixin"
	"github.com/dailyreports/dailyreports/internal/rule"
	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/ent/privacy"
)

// TenantMixin gives an entity its tenant: an explicit, immutable tenant_id
// edge field, and the privacy policy that confines tenant principals to it.
type TenantMixin struct {
	mixin.Schema
}

// Fields of the TenantMixin.
func (TenantMixin) Fields() []ent.Field {
	return []ent.Field{
		field.UUID("tenant_id", uuid.UUID{}).Immutable(),
	}
}

// Edges of the TenantMixin.
func (TenantMixin) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("tenant", Tenant.Type).Field("tenant_id").Unique().Required().Immutable(),
	}
}

// Policy of the TenantMixin.
func (TenantMixin) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			rule.DenyIfNoViewer(),
			rule.AllowIfSystem(),
			rule.AllowIfHost(),
			rule.FilterTenantRule(),
			privacy.AlwaysAllowRule(),
		},
		Mutation: privacy.MutationPolicy{
			rule.DenyIfNoViewer(),
			rule.AllowIfSystem(),
			rule.AllowIfHost(),
			rule.DenyMismatchedTenant(),
			rule.FilterTenantRule(),
			privacy.AlwaysAllowRule(),
		},
	}
}

// hostOnlyPolicy lets host administrators and the service read and write
// an entity, and no one else: operational records (runs, webhooks, their
// deliveries) that no tenant principal sees.
func hostOnlyPolicy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			rule.DenyIfNoViewer(),
			rule.AllowIfSystem(),
			rule.AllowIfHost(),
			privacy.AlwaysDenyRule(),
		},
		Mutation: privacy.MutationPolicy{
			rule.DenyIfNoViewer(),
			rule.AllowIfSystem(),
			rule.AllowIfHost(),
			privacy.AlwaysDenyRule(),
		},
	}
}
