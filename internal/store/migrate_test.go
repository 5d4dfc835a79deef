package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	atlas "ariga.io/atlas/sql/migrate"
	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/schema"

	entmigrate "github.com/dailyreports/dailyreports/ent/migrate"
	"github.com/dailyreports/dailyreports/ent/migrate/migrations"
	"github.com/dailyreports/dailyreports/internal/store/migration"
	"github.com/dailyreports/dailyreports/internal/testenv"
)

// openPostgres opens a fresh PostgreSQL database, not migrated.
func openPostgres(t *testing.T) *Store {
	t.Helper()
	s, err := OpenPostgres(testenv.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// freshStores returns a fresh, unmigrated store of each dialect.
func freshStores(t *testing.T) map[string]*Store {
	t.Helper()
	lite, err := OpenSQLite(filepath.Join(t.TempDir(), "db.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = lite.Close() })
	return map[string]*Store{"postgres": openPostgres(t), "sqlite": lite}
}

// TestMigrationsMatchEntSchema replays the migrations on a fresh database
// of each dialect and asks ent for the difference with ent/schema: there
// must be none. It fails when ent/schema changes without a migration (make
// migration NAME=...).
func TestMigrationsMatchEntSchema(t *testing.T) {
	for name, s := range freshStores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			if err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			if diff := entDiff(t, s); diff != "" {
				t.Fatalf("ent/schema differs from the migrations (run `make migration NAME=...`):\n%s", diff)
			}
			tables, err := tableNames(ctx, s)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, tb := range entmigrate.Tables {
				want = append(want, tb.Name)
			}
			want = append(want, migration.RevisionsTable)
			slices.Sort(want)
			if !slices.Equal(tables, want) {
				t.Fatalf("tables %v, want ent's %v", tables, want)
			}
		})
	}
}

// entDiff returns the statements ent would add to bring the database to
// ent/schema ("" when none). ent's diff never drops a table: the table
// list is compared apart.
func entDiff(t *testing.T, s *Store) string {
	t.Helper()
	dir := &atlas.MemDir{}
	m, err := schema.NewMigrate(entsql.OpenDB(s.dialect, s.db), schema.WithDir(dir),
		schema.WithDropColumn(true), schema.WithDropIndex(true), schema.WithErrNoPlan(true))
	if err != nil {
		t.Fatal(err)
	}
	err = m.NamedDiff(context.Background(), "pending", entmigrate.Tables...)
	if errors.Is(err, atlas.ErrNoPlan) {
		return ""
	}
	if err != nil {
		t.Fatal(err)
	}
	files, _ := dir.Files()
	var out []string
	for _, f := range files {
		out = append(out, string(f.Bytes()))
	}
	return strings.Join(out, "\n")
}

// tableNames lists the tables of the store's database.
func tableNames(ctx context.Context, s *Store) ([]string, error) {
	q := "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
	if s.dialect == dialect.SQLite {
		q = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
	}
	rows, err := s.db.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	slices.Sort(out)
	return out, rows.Err()
}

// TestInitialMigrationIsRelease1 checks migration 1 makes exactly the
// schema the release made with ent's automatic migration (the fixture's
// pg_dump): every column with its type, default, nullability and
// collation, every index and constraint; and that the tables adoption
// recognises are those.
func TestInitialMigrationIsRelease1(t *testing.T) {
	ctx := context.Background()
	release := openPostgres(t)
	loadSQL(t, release, filepath.Join("testdata", "upgrade-release1", "schema.sql"))
	replayed := openPostgres(t)
	dir, err := migrations.Dir(dialect.Postgres)
	if err != nil {
		t.Fatal(err)
	}
	files, _ := dir.Files()
	if files[0].Version() != versionRelease1 {
		t.Fatalf("first migration %s, want %s", files[0].Name(), versionRelease1)
	}
	if _, err := replayed.db.ExecContext(ctx, string(files[0].Bytes())); err != nil {
		t.Fatal(err)
	}
	want, got := catalog(t, release), catalog(t, replayed)
	if !slices.Equal(got, want) {
		t.Fatalf("migration 1 differs from the release's schema:\n got %q\nwant %q", got, want)
	}
	cols, err := columnsOf(ctx, release.db)
	if err != nil {
		t.Fatal(err)
	}
	for _, tbl := range slices.Sorted(maps.Keys(release1Tables)) {
		if !slices.Equal(slices.Sorted(slices.Values(release1Tables[tbl])), cols[tbl]) {
			t.Errorf("release1Tables[%s] = %v, the release has %v", tbl, release1Tables[tbl], cols[tbl])
		}
	}
	if len(cols) != len(release1Tables) {
		t.Errorf("release has tables %v", slices.Sorted(maps.Keys(cols)))
	}
}

// catalog describes a PostgreSQL schema: its columns, constraints and
// indexes, sorted.
func catalog(t *testing.T, s *Store) []string {
	t.Helper()
	var out []string
	for _, q := range []string{
		`SELECT table_name || '.' || column_name || ' ' || data_type || ' null=' || is_nullable ||
		  ' default=' || coalesce(column_default, '') || ' collation=' || coalesce(collation_name, '') ||
		  ' identity=' || is_identity || coalesce(identity_generation, '')
		 FROM information_schema.columns WHERE table_schema = 'public'`,
		`SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
		 FROM pg_constraint WHERE connamespace = 'public'::regnamespace`,
		`SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'`,
	} {
		rows, err := s.db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			out = append(out, line)
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
	}
	slices.Sort(out)
	return out
}

// columnsOf returns the sorted columns of each table of the public schema.
func columnsOf(ctx context.Context, db *sql.DB) (map[string][]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT table_name, column_name FROM information_schema.columns
	  WHERE table_schema = 'public' ORDER BY table_name, column_name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var tbl, col string
		if err := rows.Scan(&tbl, &col); err != nil {
			return nil, err
		}
		out[tbl] = append(out[tbl], col)
	}
	return out, rows.Err()
}

// loadSQL runs a pg_dump file on the store's database, on a connection of
// its own (the dump empties search_path), without psql's meta-commands.
func loadSQL(t testing.TB, s *Store, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(string(b), "\n") {
		if !strings.HasPrefix(l, `\`) {
			lines = append(lines, l)
		}
	}
	conn, err := s.db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Raw(func(any) error { return driver.ErrBadConn }) }()
	if _, err := conn.ExecContext(context.Background(), strings.Join(lines, "\n")); err != nil {
		t.Fatalf("load %s: %v", path, err)
	}
}
