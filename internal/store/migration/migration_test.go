package migration

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"ariga.io/atlas/sql/migrate"
	"entgo.io/ent/dialect"
	_ "github.com/lib/pq"
	_ "modernc.org/sqlite"

	"github.com/dailyreports/dailyreports/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// testFiles are a small migration history in SQL both dialects run.
var testFiles = []struct{ name, sql string }{
	{"1_items.sql", "CREATE TABLE items (id integer PRIMARY KEY, name text NOT NULL);\n"},
	{"2_label.sql", "ALTER TABLE items ADD COLUMN label text NULL;\n"},
	{"3_label_required.sql", "CREATE TABLE labelled (id integer PRIMARY KEY);\nINSERT INTO labelled SELECT id FROM items WHERE label IS NOT NULL;\n"},
}

// testDir returns a directory of files (testFiles by default) with their
// atlas.sum.
func testDir(t testing.TB, files ...struct{ name, sql string }) migrate.Dir {
	t.Helper()
	if files == nil {
		files = testFiles
	}
	dir := &migrate.MemDir{}
	for _, f := range files {
		if err := dir.WriteFile(f.name, []byte(f.sql)); err != nil {
			t.Fatal(err)
		}
	}
	sum, err := dir.Checksum()
	if err != nil {
		t.Fatal(err)
	}
	if err := migrate.WriteSumFile(dir, sum); err != nil {
		t.Fatal(err)
	}
	return dir
}

// database is one test database of a dialect; open opens another pool on
// it, as another process would.
type database struct {
	dialect string
	open    func(t testing.TB) *sql.DB
}

// databases returns a fresh database of each dialect.
func databases(t *testing.T) []database {
	pgURL := testenv.NewDatabase(t)
	path := filepath.Join(t.TempDir(), "test.db")
	params := url.Values{"_pragma": {"foreign_keys(1)", "journal_mode(WAL)", "busy_timeout(10000)"}, "_txlock": {"immediate"}}
	dsn := "file:" + path + "?" + params.Encode()
	return []database{
		{dialect.Postgres, func(t testing.TB) *sql.DB { return openDB(t, "postgres", pgURL) }},
		{dialect.SQLite, func(t testing.TB) *sql.DB { return openDB(t, "sqlite", dsn) }},
	}
}

func openDB(t testing.TB, driver, dsn string) *sql.DB {
	t.Helper()
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// labelStep fills items.label; it counts its runs.
func labelStep(db *sql.DB, runs *atomic.Int32) Step {
	return Step{Before: "3", Name: "label items", Run: func(ctx context.Context) error {
		runs.Add(1)
		_, err := db.ExecContext(ctx, "UPDATE items SET label = 'x' WHERE label IS NULL")
		return err
	}}
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func versions(t *testing.T, applied []Applied) string {
	t.Helper()
	var v []string
	for _, a := range applied {
		v = append(v, a.Version)
	}
	return strings.Join(v, ",")
}

func TestApplyFreshThenNothing(t *testing.T) {
	for _, d := range databases(t) {
		t.Run(dialectName(d.dialect), func(t *testing.T) {
			db := d.open(t)
			var runs atomic.Int32
			m := &Migrator{DB: db, Dialect: d.dialect, Dir: testDir(t), Log: quiet(), Steps: []Step{labelStep(db, &runs)}}
			ctx := context.Background()
			if err := m.Check(ctx); !errors.Is(err, ErrPending) || !strings.Contains(err.Error(), "no migration history") {
				t.Fatalf("check before: %v", err)
			}
			applied, err := m.Apply(ctx)
			if err != nil || versions(t, applied) != "1,2,3" || runs.Load() != 1 {
				t.Fatalf("apply: %v %v, step ran %d times", applied, err, runs.Load())
			}
			if err := m.Check(ctx); err != nil {
				t.Fatalf("check after: %v", err)
			}
			// A database at the last version is recognised without the
			// lock: a process starting while another holds it goes on.
			_, unlock, err := m.lock(ctx)
			if err != nil {
				t.Fatal(err)
			}
			quick, cancel := context.WithTimeout(ctx, 5*time.Second)
			applied, err = m.Apply(quick)
			cancel()
			unlock()
			if err != nil || len(applied) != 0 || runs.Load() != 1 {
				t.Fatalf("second apply: %v %v, step ran %d times", applied, err, runs.Load())
			}
			st, err := m.Status(ctx)
			if err != nil || st.Current != "3" || st.Latest != "3" || len(st.Pending) != 0 {
				t.Fatalf("status %+v %v", st, err)
			}
		})
	}
}

// TestStepFailureResumes checks a failed step stops before its file, and
// the next Apply runs it again and goes on.
func TestStepFailureResumes(t *testing.T) {
	for _, d := range databases(t) {
		t.Run(dialectName(d.dialect), func(t *testing.T) {
			db := d.open(t)
			ctx := context.Background()
			fail := Step{Before: "3", Name: "crash", Run: func(ctx context.Context) error {
				if _, err := db.ExecContext(ctx, "INSERT INTO items (id, name) VALUES (1, 'a')"); err != nil {
					return err
				}
				return errors.New("killed")
			}}
			m := &Migrator{DB: db, Dialect: d.dialect, Dir: testDir(t), Log: quiet(), Steps: []Step{fail}}
			if _, err := m.Apply(ctx); err == nil || !strings.Contains(err.Error(), `step "crash": killed`) {
				t.Fatalf("apply with a failing step: %v", err)
			}
			st, err := m.Status(ctx)
			if err != nil || st.Current != "2" || strings.Join(st.Pending, ",") != "3" {
				t.Fatalf("after the failure %+v %v", st, err)
			}
			var runs atomic.Int32
			m.Steps = []Step{labelStep(db, &runs)}
			if applied, err := m.Apply(ctx); err != nil || versions(t, applied) != "3" || runs.Load() != 1 {
				t.Fatalf("resume: %v %v", applied, err)
			}
			var n int
			if err := db.QueryRowContext(ctx, "SELECT count(*) FROM labelled").Scan(&n); err != nil || n != 1 {
				t.Fatalf("labelled rows %d %v: the file ran before its step", n, err)
			}
		})
	}
}

// TestFailedFileIsRolledBack checks a file is applied whole or not at all.
func TestFailedFileIsRolledBack(t *testing.T) {
	for _, d := range databases(t) {
		t.Run(dialectName(d.dialect), func(t *testing.T) {
			db := d.open(t)
			ctx := context.Background()
			files := append(testFiles[:1:1], struct{ name, sql string }{"2_broken.sql",
				"CREATE TABLE half (id integer);\nINSERT INTO nowhere VALUES (1);\n"})
			m := &Migrator{DB: db, Dialect: d.dialect, Dir: testDir(t, files...), Log: quiet()}
			_, err := m.Apply(ctx)
			if err == nil || !strings.Contains(err.Error(), "apply 2_broken.sql") || !strings.Contains(err.Error(), "nowhere") {
				t.Fatalf("apply: %v", err)
			}
			tables, err := listTables(ctx, db, d.dialect)
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := tables["half"]; ok {
				t.Fatal("the failed file's first statement stayed applied")
			}
			if st, err := m.Status(ctx); err != nil || st.Current != "1" {
				t.Fatalf("status %+v %v", st, err)
			}
		})
	}
}

// TestConcurrentApply starts four migrations at once, each on its own
// connection pool as four processes would: each file and the step run
// once, and every one of them succeeds.
func TestConcurrentApply(t *testing.T) {
	for _, d := range databases(t) {
		t.Run(dialectName(d.dialect), func(t *testing.T) {
			var runs atomic.Int32
			var wg sync.WaitGroup
			errs := make(chan error, 4)
			total := make(chan int, 4)
			for range 4 {
				db := d.open(t)
				m := &Migrator{DB: db, Dialect: d.dialect, Dir: testDir(t), Log: quiet(), Steps: []Step{labelStep(db, &runs)}}
				wg.Go(func() {
					applied, err := m.Apply(context.Background())
					errs <- err
					total <- len(applied)
				})
			}
			wg.Wait()
			close(errs)
			close(total)
			for err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			n := 0
			for a := range total {
				n += a
			}
			// On PostgreSQL the lock makes the others find nothing to do;
			// on SQLite a process may run a step another ran (it is
			// idempotent), but each file is applied once.
			if n != 3 || (d.dialect == dialect.Postgres && runs.Load() != 1) {
				t.Fatalf("%d files applied, step ran %d times", n, runs.Load())
			}
			m := &Migrator{DB: d.open(t), Dialect: d.dialect, Dir: testDir(t), Log: quiet()}
			if err := m.Check(context.Background()); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestNewerSchemaRefused checks a database migrated by a newer binary is
// neither migrated nor accepted.
func TestNewerSchemaRefused(t *testing.T) {
	for _, d := range databases(t) {
		t.Run(dialectName(d.dialect), func(t *testing.T) {
			db := d.open(t)
			ctx := context.Background()
			newer := &Migrator{DB: db, Dialect: d.dialect, Dir: testDir(t, append(testFiles,
				struct{ name, sql string }{"4_more.sql", "CREATE TABLE more (id integer);\n"})...), Log: quiet()}
			if _, err := newer.Apply(ctx); err != nil {
				t.Fatal(err)
			}
			m := &Migrator{DB: db, Dialect: d.dialect, Dir: testDir(t), Log: quiet()}
			want := "the database schema is newer than this binary: it is at version 4, newer than this binary knows (3): run a newer dailyreports"
			if _, err := m.Apply(ctx); !errors.Is(err, ErrNewer) || !strings.Contains(err.Error(), want) {
				t.Fatalf("apply: %v", err)
			}
			if err := m.Check(ctx); !errors.Is(err, ErrNewer) || !strings.Contains(err.Error(), want) {
				t.Fatalf("check: %v", err)
			}
		})
	}
}

// TestBaselineAdoption checks a database made before versioned migrations
// is adopted when its tables are the baseline's, and refused otherwise.
func TestBaselineAdoption(t *testing.T) {
	baseline := &Baseline{Version: "1", Tables: map[string][]string{"items": {"id", "name"}}}
	for _, d := range databases(t) {
		t.Run(dialectName(d.dialect), func(t *testing.T) {
			db := d.open(t)
			ctx := context.Background()
			m := &Migrator{DB: db, Dialect: d.dialect, Dir: testDir(t), Log: quiet(), Baseline: baseline}
			if _, err := db.ExecContext(ctx, "CREATE TABLE items (id integer PRIMARY KEY, name text, extra text)"); err != nil {
				t.Fatal(err)
			}
			_, err := m.Apply(ctx)
			if !errors.Is(err, ErrForeign) || !strings.Contains(err.Error(), "unknown column items.extra") {
				t.Fatalf("apply on an unknown schema: %v", err)
			}
			if _, err := db.ExecContext(ctx, "ALTER TABLE items DROP COLUMN extra"); err != nil {
				t.Fatal(err)
			}
			if _, err := db.ExecContext(ctx, "INSERT INTO items (id, name) VALUES (7, 'kept')"); err != nil {
				t.Fatal(err)
			}
			applied, err := m.Apply(ctx)
			if err != nil || versions(t, applied) != "2,3" {
				t.Fatalf("adopting apply: %v %v", applied, err)
			}
			revs, err := m.revisions(db).ReadRevisions(ctx)
			if err != nil || len(revs) != 3 || revs[0].Type != migrate.RevisionTypeBaseline || revs[1].Type != migrate.RevisionTypeExecute {
				t.Fatalf("revisions %v %v", revs, err)
			}
			var name string
			if err := db.QueryRowContext(ctx, "SELECT name FROM items WHERE id = 7").Scan(&name); err != nil || name != "kept" {
				t.Fatalf("adopted row: %q %v", name, err)
			}
		})
	}
}

// TestForeignTablesRefused checks a database of some other application is
// not touched.
func TestForeignTablesRefused(t *testing.T) {
	for _, d := range databases(t) {
		t.Run(dialectName(d.dialect), func(t *testing.T) {
			db := d.open(t)
			ctx := context.Background()
			if _, err := db.ExecContext(ctx, "CREATE TABLE invoices (id integer)"); err != nil {
				t.Fatal(err)
			}
			m := &Migrator{DB: db, Dialect: d.dialect, Dir: testDir(t), Log: quiet(),
				Baseline: &Baseline{Version: "1", Tables: map[string][]string{"items": {"id", "name"}}}}
			_, err := m.Apply(ctx)
			if !errors.Is(err, ErrForeign) || !strings.Contains(err.Error(), "no table items, unknown table invoices") {
				t.Fatalf("apply: %v", err)
			}
			tables, _ := listTables(ctx, db, d.dialect)
			if _, ok := tables["items"]; ok {
				t.Fatal("migrated a foreign database")
			}
		})
	}
}

// TestTamperedDirectoryRefused checks a file changed after its sum was
// written is not applied.
func TestTamperedDirectoryRefused(t *testing.T) {
	dir := testDir(t)
	if err := dir.WriteFile("2_label.sql", []byte("DROP TABLE items;\n")); err != nil {
		t.Fatal(err)
	}
	for _, d := range databases(t) {
		m := &Migrator{DB: d.open(t), Dialect: d.dialect, Dir: dir, Log: quiet()}
		if _, err := m.Apply(context.Background()); !errors.Is(err, migrate.ErrChecksumMismatch) {
			t.Fatalf("%s: apply: %v", d.dialect, err)
		}
	}
}

// TestStepMustNameAFile checks a step registered before a version that
// has no file is a programming error caught at once.
func TestStepMustNameAFile(t *testing.T) {
	d := databases(t)[1]
	m := &Migrator{DB: d.open(t), Dialect: d.dialect, Dir: testDir(t), Log: quiet(),
		Steps: []Step{{Before: "9", Name: "orphan", Run: func(context.Context) error { return nil }}}}
	if _, err := m.Apply(context.Background()); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("step %q", "orphan")) {
		t.Fatalf("apply: %v", err)
	}
}

// TestSQLiteForeignKeysCheckedAfterAFile checks that a file, applied with
// SQLite's foreign keys relaxed (to rebuild tables), still cannot leave a
// row pointing nowhere.
func TestSQLiteForeignKeysCheckedAfterAFile(t *testing.T) {
	d := databases(t)[1]
	db := d.open(t)
	files := append(testFiles[:1:1], struct{ name, sql string }{"2_orphan.sql",
		"CREATE TABLE tags (id integer PRIMARY KEY, item_id integer NOT NULL REFERENCES items (id));\nINSERT INTO tags VALUES (1, 42);\n"})
	m := &Migrator{DB: db, Dialect: d.dialect, Dir: testDir(t, files...), Log: quiet()}
	_, err := m.Apply(context.Background())
	if err == nil || !strings.Contains(err.Error(), "row 1 of tags refers to a missing row of items") {
		t.Fatalf("apply: %v", err)
	}
	if st, err := m.Status(context.Background()); err != nil || st.Current != "1" {
		t.Fatalf("status %+v %v", st, err)
	}
	var fk int
	if err := db.QueryRow("PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
		t.Fatalf("foreign keys left %d (%v)", fk, err)
	}
}

// TestUnknownVersionRefused checks a history holding a version the
// directory lacks (another line of development) is refused.
func TestUnknownVersionRefused(t *testing.T) {
	d := databases(t)[0]
	db := d.open(t)
	ctx := context.Background()
	branch := &Migrator{DB: db, Dialect: d.dialect, Dir: testDir(t, testFiles[0],
		struct{ name, sql string }{"2a_branch.sql", "CREATE TABLE branch (id integer);\n"}), Log: quiet()}
	if _, err := branch.Apply(ctx); err != nil {
		t.Fatal(err)
	}
	m := &Migrator{DB: db, Dialect: d.dialect, Dir: testDir(t), Log: quiet()}
	if _, err := m.Apply(ctx); !errors.Is(err, ErrUnknown) || !strings.Contains(err.Error(), "version 2a is applied") {
		t.Fatalf("apply: %v", err)
	}
}
