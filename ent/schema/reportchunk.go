package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// ReportChunk is the state of one tenant's report for one UTC hour. The
// database, not the queue, is the record of truth for it.
//
// Staleness is versioned: ingestion bumps data_version for every hour it
// writes into, and a build records the data_version it read before reading
// the hour. A stored chunk is fresh while built_version == data_version.
//
// A build claims the row (build_owner, build_version, build_expires_at)
// for the data version it is about to read, so live builds and run builds
// in every process build one hour and data version once.
type ReportChunk struct {
	ent.Schema
}

// Mixin of the ReportChunk.
func (ReportChunk) Mixin() []ent.Mixin { return []ent.Mixin{TenantMixin{}} }

// Fields of the ReportChunk.
func (ReportChunk) Fields() []ent.Field {
	return []ent.Field{
		field.String("day").MaxLen(10).Immutable(), // YYYY-MM-DD, UTC
		field.Int("hour").Range(0, 23).Immutable(),
		field.Enum("status").Values("pending", "building", "stored", "failed").Default("pending"),
		field.Int64("data_version").Default(0),
		field.Int64("built_version").Default(-1),
		field.String("run_id").Default(""),
		field.Int("attempts").Default(0),
		field.Int("conversation_count").Default(0),
		field.Int("message_count").Default(0),
		field.Int64("size_bytes").Default(0),
		field.String("sha256").Default(""),
		field.Time("generated_at").Optional().Nillable(),
		field.String("last_error").Default(""),
		field.Time("updated_at").Default(time.Now).UpdateDefault(time.Now),
		// The build claim: one build per hour and data version across
		// processes. build_owner is the token of the build that holds it
		// ("" for none), build_version the data version it reads, and
		// build_expires_at when its lease lapses unless renewed.
		field.String("build_owner").Default(""),
		field.Int64("build_version").Default(0),
		field.Time("build_expires_at").Optional().Nillable(),
		// build_uploading is set while the build that holds the claim
		// uploads: a build of newer data waits for that upload to end
		// before it takes the claim over, so uploads of one hour never
		// overlap and the newest is the last.
		field.Bool("build_uploading").Default(false),
	}
}

// Indexes of the ReportChunk.
func (ReportChunk) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("tenant_id", "day", "hour").Unique(),
		index.Fields("run_id", "status"),
		index.Fields("day", "status"),
	}
}

// Annotations of the ReportChunk.
func (ReportChunk) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
