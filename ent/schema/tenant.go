package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/ent/privacy"
	"github.com/dailyreports/dailyreports/internal/rule"
)

// Tenant is one customer of the platform, with its daily-report feature
// setting. Only host administrators create tenants or change the setting.
type Tenant struct {
	ent.Schema
}

// Fields of the Tenant.
func (Tenant) Fields() []ent.Field {
	return []ent.Field{
		field.UUID("id", uuid.UUID{}).Default(uuid.New).Immutable(),
		field.String("name").NotEmpty().MaxLen(200),
		// The feature setting is exposed in GraphQL as reportSettings.
		field.Bool("report_enabled").Default(false).
			Annotations(entgql.Skip(entgql.SkipType)),
		field.Int("retention_months").Default(1).Range(1, 3).
			Annotations(entgql.Skip(entgql.SkipType)),
		field.Time("created_at").Default(time.Now).Immutable().
			Annotations(entgql.OrderField("CREATED_AT")),
	}
}

// Policy of the Tenant: host administrators and the service see and change
// every tenant; a tenant principal sees its own tenant's row only and
// changes none.
func (Tenant) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			rule.DenyIfNoViewer(),
			rule.AllowIfSystem(),
			rule.AllowIfHost(),
			rule.FilterOwnTenantRule(),
			privacy.AlwaysAllowRule(),
		},
		Mutation: privacy.MutationPolicy{
			rule.DenyIfNoViewer(),
			rule.AllowIfSystem(),
			rule.AllowIfHost(),
			privacy.AlwaysDenyRule(),
		},
	}
}

// Annotations of the Tenant.
func (Tenant) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection()}
}
