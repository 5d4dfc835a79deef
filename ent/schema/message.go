package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Message is one turn of a conversation. It repeats its conversation's tenant
// so the tenant privacy rule applies to it directly.
type Message struct {
	ent.Schema
}

// Mixin of the Message.
func (Message) Mixin() []ent.Mixin { return []ent.Mixin{TenantMixin{}} }

// Fields of the Message.
func (Message) Fields() []ent.Field {
	return []ent.Field{
		field.Int("conversation_id").Immutable(),
		field.String("external_id").NotEmpty().MaxLen(256).
			Annotations(entsql.Annotation{Collation: "C"}),
		field.Time("sent_at"),
		field.Enum("sender").Values("user", "bot", "agent", "system"),
		field.Text("text"),
		field.String("intent").Optional().Nillable().MaxLen(256),
		field.Float("confidence").Optional().Nillable(),
	}
}

// Edges of the Message.
func (Message) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("conversation", Conversation.Type).Ref("messages").
			Field("conversation_id").Unique().Required().Immutable(),
	}
}

// Indexes of the Message.
func (Message) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("conversation_id", "sent_at", "external_id"),
	}
}

// Annotations of the Message.
func (Message) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
