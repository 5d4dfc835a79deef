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
		// revoked_at is when the client was revoked; clients revoked before
		// it was recorded carry their creation time.
		field.Time("revoked_at").Optional().Nillable(),
		field.Time("created_at").Default(time.Now).Immutable(),
		// last_used_at is when the client last got a token, written at
		// most once a minute per client.
		field.Time("last_used_at").Optional().Nillable(),
	}
}

// Edges of the ApiClient.
func (ApiClient) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("tenant", Tenant.Type).Field("tenant_id").Unique().Immutable(),
	}
}

// Indexes of the ApiClient.
func (ApiClient) Indexes() []ent.Index {
	return []ent.Index{index.Fields("tenant_id", "created_at"), index.Fields("created_at")}
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
