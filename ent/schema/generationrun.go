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
)

// GenerationRun records one run of a day's generation: the nightly run, a
// reconcile, a regeneration or the generate command. The run's key is the
// run id its chunks carry; a run resumed after a crash or a retry updates
// the same row.
type GenerationRun struct {
	ent.Schema
}

// Fields of the GenerationRun.
func (GenerationRun) Fields() []ent.Field {
	return []ent.Field{
		field.UUID("id", uuid.UUID{}).Default(uuid.New).Immutable(),
		field.String("key").NotEmpty().MaxLen(200).Unique().Immutable(),
		field.String("day").MaxLen(10).Immutable(), // YYYY-MM-DD, UTC
		field.Enum("trigger").Values("nightly", "reconcile", "regenerate", "command").Immutable(),
		field.Enum("status").Values("running", "succeeded", "partial", "failed").Default("running"),
		field.Time("started_at").Default(time.Now).Immutable(),
		field.Time("finished_at").Optional().Nillable(),
		field.Int("tenants").Default(0),
		field.Int("chunks").Default(0),
		field.Int("stored").Default(0),
		field.Int("failed").Default(0),
	}
}

// Edges of the GenerationRun.
func (GenerationRun) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("passes", GenerationPass.Type),
	}
}

// Indexes of the GenerationRun.
func (GenerationRun) Indexes() []ent.Index {
	return []ent.Index{index.Fields("started_at"), index.Fields("day", "started_at")}
}

// Policy of the GenerationRun: operations data of every tenant, for host
// administrators and the service only.
func (GenerationRun) Policy() ent.Policy { return hostOnlyPolicy() }

// Annotations of the GenerationRun.
func (GenerationRun) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// GenerationPass is one pass of a run: its attempt number, the chunks it
// built and how many of them it stored or failed.
type GenerationPass struct {
	ent.Schema
}

// Fields of the GenerationPass.
func (GenerationPass) Fields() []ent.Field {
	return []ent.Field{
		field.UUID("run_id", uuid.UUID{}).Immutable(),
		field.Int("attempt").Positive().Immutable(),
		field.Int("chunks").Default(0),
		field.Int("stored").Default(0),
		field.Int("failed").Default(0),
		field.Time("started_at").Default(time.Now),
		field.Time("finished_at").Optional().Nillable(),
	}
}

// Edges of the GenerationPass.
func (GenerationPass) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("run", GenerationRun.Type).Ref("passes").Field("run_id").Unique().Required().Immutable(),
	}
}

// Indexes of the GenerationPass.
func (GenerationPass) Indexes() []ent.Index {
	return []ent.Index{index.Fields("run_id", "attempt").Unique()}
}

// Policy of the GenerationPass: as its run's.
func (GenerationPass) Policy() ent.Policy { return hostOnlyPolicy() }

// Annotations of the GenerationPass.
func (GenerationPass) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
