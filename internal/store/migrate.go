package store

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/dailyreports/dailyreports/ent/migrate/migrations"
	"github.com/dailyreports/dailyreports/internal/store/migration"
)

// The versions the store's code refers to.
const (
	// versionRelease1 is the schema of the release before versioned
	// migrations, which ent's automatic migration made.
	versionRelease1 = "20261201193540"
	// versionDocumentsFinish drops the columns and the messages table that
	// conversation documents replace; the data step encodeConversations
	// precedes it.
	versionDocumentsFinish = "20261201193951"
)

// release1Tables are the tables and columns of the release-1 schema, by
// which a database that release made is recognised and adopted.
var release1Tables = map[string][]string{
	"api_clients":   {"id", "client_id", "secret_hash", "name", "scopes", "revoked", "created_at", "tenant_id"},
	"audit_entries": {"id", "actor", "at", "old_enabled", "old_retention_months", "new_enabled", "new_retention_months", "tenant_id"},
	"conversations": {"id", "external_id", "session_id", "channel", "language", "project_name", "started_at",
		"ended_at", "status", "updated_at", "tenant_id"},
	"messages": {"id", "external_id", "sent_at", "sender", "text", "intent", "confidence", "conversation_id", "tenant_id"},
	"report_chunks": {"id", "day", "hour", "status", "data_version", "built_version", "run_id", "attempts",
		"conversation_count", "message_count", "size_bytes", "sha256", "generated_at", "last_error", "updated_at", "tenant_id"},
	"tenants": {"id", "name", "report_enabled", "retention_months", "created_at"},
}

// SetLogger sets the logger of migrations (by default none).
func (s *Store) SetLogger(log *slog.Logger) { s.log = log }

// Migrate applies the pending migrations of the embedded directory of the
// store's dialect, under the migration lock, adopting a database of release
// 1. It refuses a database migrated by a newer binary (an error wrapping
// migration.ErrNewer) or holding unknown tables (migration.ErrForeign).
func (s *Store) Migrate(ctx context.Context) error {
	m, err := s.migrator()
	if err != nil {
		return err
	}
	applied, err := m.Apply(ctx)
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	if len(applied) > 0 {
		s.logger().InfoContext(ctx, "database migrated", "applied", len(applied), "version", applied[len(applied)-1].Version)
	}
	return nil
}

// CheckSchema returns nil when the database is at the version this binary
// needs, else why not: an error wrapping migration.ErrPending (run
// migrate) or migration.ErrNewer (run a newer binary).
func (s *Store) CheckSchema(ctx context.Context) error {
	m, err := s.migrator()
	if err != nil {
		return err
	}
	if err := m.Check(ctx); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return nil
}

// SchemaStatus says where the database stands against the migrations.
func (s *Store) SchemaStatus(ctx context.Context) (migration.Status, error) {
	m, err := s.migrator()
	if err != nil {
		return migration.Status{}, err
	}
	return m.Status(ctx)
}

func (s *Store) migrator() (*migration.Migrator, error) {
	dir, err := migrations.Dir(s.dialect)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	return &migration.Migrator{
		DB: s.db, Dialect: s.dialect, Dir: dir, Log: s.logger(),
		Baseline: &migration.Baseline{Version: versionRelease1, Tables: release1Tables},
		Steps: []migration.Step{{
			Before: versionDocumentsFinish,
			Name:   "encode conversations as report documents",
			Run:    s.encodeConversations,
		}},
	}, nil
}

func (s *Store) logger() *slog.Logger {
	if s.log != nil {
		return s.log
	}
	return slog.New(slog.DiscardHandler)
}
