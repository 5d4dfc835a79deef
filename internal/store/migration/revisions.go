package migration

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"ariga.io/atlas/sql/migrate"
	"entgo.io/ent/dialect"
)

// RevisionsTable is the table of applied migrations, with the columns of
// Atlas's revisions table, so the atlas CLI can read it too.
const RevisionsTable = "atlas_schema_revisions"

// revisionsDDL creates the revisions table, by dialect.
var revisionsDDL = map[string]string{
	dialect.Postgres: `CREATE TABLE IF NOT EXISTS ` + RevisionsTable + ` (
  version character varying NOT NULL PRIMARY KEY, description character varying NOT NULL,
  type bigint NOT NULL DEFAULT 2, applied bigint NOT NULL DEFAULT 0, total bigint NOT NULL DEFAULT 0,
  executed_at timestamptz NOT NULL, execution_time bigint NOT NULL, error text NULL, error_stmt text NULL,
  hash character varying NOT NULL, partial_hashes jsonb NULL, operator_version character varying NOT NULL)`,
	dialect.SQLite: `CREATE TABLE IF NOT EXISTS ` + RevisionsTable + ` (
  version text NOT NULL PRIMARY KEY, description text NOT NULL,
  type integer NOT NULL DEFAULT 2, applied integer NOT NULL DEFAULT 0, total integer NOT NULL DEFAULT 0,
  executed_at datetime NOT NULL, execution_time integer NOT NULL, error text NULL, error_stmt text NULL,
  hash text NOT NULL, partial_hashes json NULL, operator_version text NOT NULL)`,
}

const revisionColumns = "version, description, type, applied, total, executed_at, execution_time, " +
	"error, error_stmt, hash, partial_hashes, operator_version"

// querier is what the revisions need of a connection: a transaction, or
// the database for a read.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// revisions reads and writes the revisions table; it implements Atlas's
// migrate.RevisionReadWriter.
type revisions struct {
	q       querier
	dialect string
}

var _ migrate.RevisionReadWriter = (*revisions)(nil)

func (m *Migrator) revisions(q querier) *revisions { return &revisions{q: q, dialect: m.Dialect} }

// create creates the table if it does not exist.
func (r *revisions) create(ctx context.Context) error {
	if _, err := r.q.ExecContext(ctx, revisionsDDL[r.dialect]); err != nil {
		return fmt.Errorf("migration: create revisions table: %w", err)
	}
	return nil
}

// exists reports whether the table exists, without creating it.
func (r *revisions) exists(ctx context.Context) (bool, error) {
	tables, err := listTables(ctx, r.q, r.dialect)
	if err != nil {
		return false, err
	}
	_, ok := tables[RevisionsTable]
	return ok, nil
}

// Ident names the table for Atlas's cleanliness check: the default schema
// of the connection.
func (r *revisions) Ident() *migrate.TableIdent {
	ident := &migrate.TableIdent{Name: RevisionsTable, Schema: "main"}
	if r.dialect == dialect.Postgres {
		ident.Schema = "public"
		_ = r.q.QueryRowContext(context.Background(), "SELECT current_schema()").Scan(&ident.Schema)
	}
	return ident
}

// ReadRevisions returns every revision, by version.
func (r *revisions) ReadRevisions(ctx context.Context) ([]*migrate.Revision, error) {
	rows, err := r.q.QueryContext(ctx, "SELECT "+revisionColumns+" FROM "+RevisionsTable+" ORDER BY version")
	if err != nil {
		return nil, fmt.Errorf("migration: read revisions: %w", err)
	}
	defer rows.Close()
	var out []*migrate.Revision
	for rows.Next() {
		rev, err := scanRevision(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, rev)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("migration: read revisions: %w", err)
	}
	return out, nil
}

// ReadRevision returns the revision of version, or migrate.ErrRevisionNotExist.
func (r *revisions) ReadRevision(ctx context.Context, version string) (*migrate.Revision, error) {
	rows, err := r.q.QueryContext(ctx, r.bind("SELECT "+revisionColumns+" FROM "+RevisionsTable+" WHERE version = ?"), version)
	if err != nil {
		return nil, fmt.Errorf("migration: read revision: %w", err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("migration: read revision: %w", err)
		}
		return nil, migrate.ErrRevisionNotExist
	}
	return scanRevision(rows)
}

// WriteRevision inserts or replaces rev.
func (r *revisions) WriteRevision(ctx context.Context, rev *migrate.Revision) error {
	var partial any
	if len(rev.PartialHashes) > 0 {
		b, err := json.Marshal(rev.PartialHashes)
		if err != nil {
			return err
		}
		partial = string(b)
	}
	q := "INSERT INTO " + RevisionsTable + " (" + revisionColumns + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) " +
		"ON CONFLICT (version) DO UPDATE SET description = excluded.description, type = excluded.type, " +
		"applied = excluded.applied, total = excluded.total, executed_at = excluded.executed_at, " +
		"execution_time = excluded.execution_time, error = excluded.error, error_stmt = excluded.error_stmt, " +
		"hash = excluded.hash, partial_hashes = excluded.partial_hashes, operator_version = excluded.operator_version"
	_, err := r.q.ExecContext(ctx, r.bind(q), rev.Version, rev.Description, int64(rev.Type), rev.Applied, rev.Total,
		rev.ExecutedAt.UTC(), int64(rev.ExecutionTime), nullString(rev.Error), nullString(rev.ErrorStmt),
		rev.Hash, partial, rev.OperatorVersion)
	if err != nil {
		return fmt.Errorf("migration: write revision %s: %w", rev.Version, err)
	}
	return nil
}

// DeleteRevision deletes the revision of version.
func (r *revisions) DeleteRevision(ctx context.Context, version string) error {
	if _, err := r.q.ExecContext(ctx, r.bind("DELETE FROM "+RevisionsTable+" WHERE version = ?"), version); err != nil {
		return fmt.Errorf("migration: delete revision %s: %w", version, err)
	}
	return nil
}

func scanRevision(rows *sql.Rows) (*migrate.Revision, error) {
	var (
		rev              migrate.Revision
		typ, elapsed     int64
		errText, errStmt sql.NullString
		partial          []byte
	)
	err := rows.Scan(&rev.Version, &rev.Description, &typ, &rev.Applied, &rev.Total, &rev.ExecutedAt,
		&elapsed, &errText, &errStmt, &rev.Hash, &partial, &rev.OperatorVersion)
	if err != nil {
		return nil, fmt.Errorf("migration: scan revision: %w", err)
	}
	rev.Type, rev.ExecutionTime = migrate.RevisionType(typ), time.Duration(elapsed)
	rev.Error, rev.ErrorStmt = errText.String, errStmt.String
	if len(partial) > 0 {
		if err := json.Unmarshal(partial, &rev.PartialHashes); err != nil {
			return nil, fmt.Errorf("migration: revision %s: partial hashes: %w", rev.Version, err)
		}
	}
	return &rev, nil
}

// bind turns the ? placeholders of q into PostgreSQL's $n.
func (r *revisions) bind(q string) string {
	if r.dialect != dialect.Postgres {
		return q
	}
	var b strings.Builder
	n := 0
	for _, c := range q {
		if c == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// errNoTable is returned by readApplied when the revisions table does not
// exist yet.
var errNoTable = errors.New("no revisions table")

// readApplied reads the revisions without creating the table.
func (m *Migrator) readApplied(ctx context.Context) ([]*migrate.Revision, error) {
	r := m.revisions(m.DB)
	ok, err := r.exists(ctx)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errNoTable
	}
	return r.ReadRevisions(ctx)
}
