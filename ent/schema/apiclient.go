package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/ent/privacy"
	"github.com/dailyreports/dailyreports/internal/rule"
)

// ApiClient is an OAuth 2.0 client of the client-credentials grant. It
// belongs to one tenant, or to the host when tenant_id is null, and may be
// granted tokens carrying its scopes. Its secret is stored only as a salted
// hash.
type ApiClient struct {
	ent.Schema
}

// Fields of the ApiClient.
func (ApiClient) Fields() []ent.Field {
	return []ent.Field{
		field.String("client_id").NotEmpty().MaxLen(64).Unique().Immutable(),
		field.String("secret_hash").NotEmpty().Sensitive(),
		field.UUID("tenant_id", uuid.UUID{}).Optional().Nillable().Immutable(),
		field.String("name").NotEmpty().MaxLen(200),
		field.Strings("scopes"),
		field.Bool("revoked").Default(false),
		field.Time("created_at").Default(time.Now).Immutable(),
	}
}

// Edges of the ApiClient.
func (ApiClient) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("tenant", Tenant.Type).Field("tenant_id").Unique().Immutable(),
	}
}

// Policy of the ApiClient: host administrators and the service only. Tenant
// principals never see a client, their own tenant's included.
func (ApiClient) Policy() ent.Policy {
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

// Annotations of the ApiClient.
func (ApiClient) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
