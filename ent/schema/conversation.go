package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Conversation is one virtual-agent conversation of a tenant, stored as its
// report form: the JSON object it is inside a report's "Conversations" array.
// It belongs to the UTC hour in which it started.
type Conversation struct {
	ent.Schema
}

// Mixin of the Conversation.
func (Conversation) Mixin() []ent.Mixin { return []ent.Mixin{TenantMixin{}} }

// Fields of the Conversation.
func (Conversation) Fields() []ent.Field {
	return []ent.Field{
		// external_id is the platform's "Id", unique per tenant. Byte order
		// (collation C) makes the report's tie-break on Id portable.
		field.String("external_id").NotEmpty().MaxLen(256).
			Annotations(entsql.Annotation{Collation: "C"}),
		field.Time("started_at"),
		field.Time("updated_at").Default(time.Now).UpdateDefault(time.Now),
		// message_count is the number of messages in document.
		field.Int("message_count").NonNegative(),
		// document is the conversation encoded as in a report
		// (report.AppendConversation), messages in report order.
		field.Text("document").NotEmpty(),
	}
}

// Indexes of the Conversation.
func (Conversation) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("tenant_id", "external_id").Unique(),
		index.Fields("tenant_id", "started_at", "external_id"),
	}
}

// Annotations of the Conversation.
func (Conversation) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
