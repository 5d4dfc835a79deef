package migration

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strings"

	"ariga.io/atlas/sql/migrate"
	"entgo.io/ent/dialect"
)

// Baseline describes the database a release made before versioned
// migrations: its tables and their columns, which the directory's file of
// Version creates exactly. A database holding those tables and no revisions
// is adopted: Version is recorded as applied without running it.
type Baseline struct {
	Version string
	Tables  map[string][]string
}

// adopt decides what a database without revisions is: empty (every file is
// pending), the baseline release's (its version is recorded as a baseline
// revision), or something else, refused with ErrForeign.
func (m *Migrator) adopt(ctx context.Context, tx *sql.Tx, revs *revisions, files []migrate.File) error {
	tables, err := listColumns(ctx, tx, m.Dialect)
	if err != nil {
		return err
	}
	delete(tables, RevisionsTable)
	if len(tables) == 0 {
		return nil
	}
	if m.Baseline == nil {
		return fmt.Errorf("migration: %w: it has tables (%s) but no migration history",
			ErrForeign, strings.Join(slices.Sorted(maps.Keys(tables)), ", "))
	}
	if diff := m.Baseline.differences(tables); diff != "" {
		return fmt.Errorf("migration: %w: it has tables but no migration history, and they are not those of "+
			"a dailyreports release (%s): migrate an empty database or one made by dailyreports", ErrForeign, diff)
	}
	i := slices.IndexFunc(files, func(f migrate.File) bool { return f.Version() == m.Baseline.Version })
	if i < 0 {
		return fmt.Errorf("migration: baseline version %s has no file", m.Baseline.Version)
	}
	m.Log.InfoContext(ctx, "adopting a database made before versioned migrations", "baseline", files[i].Name())
	return revs.WriteRevision(ctx, &migrate.Revision{
		Version: files[i].Version(), Description: files[i].Desc(), Type: migrate.RevisionTypeBaseline,
		OperatorVersion: "dailyreports",
	})
}

// differences describes how tables differ from the baseline's, or is "".
func (b *Baseline) differences(tables map[string][]string) string {
	var out []string
	for _, name := range slices.Sorted(maps.Keys(b.Tables)) {
		got, ok := tables[name]
		if !ok {
			out = append(out, "no table "+name)
			continue
		}
		for _, c := range b.Tables[name] {
			if !slices.Contains(got, c) {
				out = append(out, fmt.Sprintf("no column %s.%s", name, c))
			}
		}
		for _, c := range got {
			if !slices.Contains(b.Tables[name], c) {
				out = append(out, fmt.Sprintf("unknown column %s.%s", name, c))
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(tables)) {
		if _, ok := b.Tables[name]; !ok {
			out = append(out, "unknown table "+name)
		}
	}
	if len(out) > 5 {
		out = append(out[:5], fmt.Sprintf("and %d more", len(out)-5))
	}
	return strings.Join(out, ", ")
}

// tablesQuery lists the tables of the connection's default schema.
var tablesQuery = map[string]string{
	dialect.Postgres: `SELECT table_name FROM information_schema.tables
  WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
	dialect.SQLite: `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`,
}

// columnsQuery lists the columns of the tables of the default schema.
var columnsQuery = map[string]string{
	dialect.Postgres: `SELECT c.table_name, c.column_name FROM information_schema.columns c
  JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
  WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'`,
	dialect.SQLite: `SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
  WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`,
}

// listTables returns the set of tables of the default schema.
func listTables(ctx context.Context, q querier, d string) (map[string]struct{}, error) {
	rows, err := q.QueryContext(ctx, tablesQuery[d])
	if err != nil {
		return nil, fmt.Errorf("migration: list tables: %w", err)
	}
	defer rows.Close()
	out := map[string]struct{}{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, fmt.Errorf("migration: list tables: %w", err)
		}
		out[name] = struct{}{}
	}
	return out, rows.Err()
}

// listColumns returns the columns of every table of the default schema.
func listColumns(ctx context.Context, q querier, d string) (map[string][]string, error) {
	rows, err := q.QueryContext(ctx, columnsQuery[d])
	if err != nil {
		return nil, fmt.Errorf("migration: list columns: %w", err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var table, column string
		if err := rows.Scan(&table, &column); err != nil {
			return nil, fmt.Errorf("migration: list columns: %w", err)
		}
		out[table] = append(out[table], column)
	}
	return out, rows.Err()
}
