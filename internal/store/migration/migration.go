// Package migration applies the versioned migrations of a database: an Atlas
// directory of SQL files (checked against its atlas.sum), Go data steps
// registered between files, the revisions table, a lock so that several
// processes migrating at once apply each file once, and the adoption of a
// database made before versioned migrations existed.
//
// Each file is applied by Atlas's executor inside one transaction, together
// with its revision row, so a file is applied whole or not at all (both
// PostgreSQL and SQLite have transactional DDL). The revisions table has the
// columns of Atlas's own, atlas_schema_revisions, in the database's default
// schema.
package migration

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"slices"

	"ariga.io/atlas/sql/migrate"
	"entgo.io/ent/dialect"
)

// Sentinel errors, wrapped by the errors of Apply and Check.
var (
	// ErrNewer means the database has migrations this binary does not know:
	// it was migrated by a newer release.
	ErrNewer = errors.New("the database schema is newer than this binary")
	// ErrForeign means the database holds tables but no migration history,
	// and they are not those of the release it would be adopted from.
	ErrForeign = errors.New("the database schema is not one of dailyreports")
	// ErrUnknown means the migration history holds a version the
	// directory does not have (older than its last), or one left half
	// applied by another tool.
	ErrUnknown = errors.New("the database schema is in a state this binary does not know")
	// ErrPending means migrations are still to be applied.
	ErrPending = errors.New("the database schema is not current")
)

// Migrator applies a migration directory to one database.
type Migrator struct {
	// DB is the database; for SQLite, its transactions must begin
	// immediate (take the write lock at BEGIN), as the store's do.
	DB *sql.DB
	// Dialect is the ent dialect: dialect.Postgres or dialect.SQLite.
	Dialect string
	// Dir is the migration directory, atlas.sum included.
	Dir migrate.Dir
	// Steps are the Go data steps.
	Steps []Step
	// Baseline recognises a database made before versioned migrations.
	Baseline *Baseline
	Log      *slog.Logger
}

// Step is a data migration in Go. It runs before the file of version Before
// is applied, each time that file is found pending, so it must be idempotent
// and resumable: it does only what is left to do (rows not yet converted,
// say), in transactions of its own. It runs under the migration lock.
type Step struct {
	Before string
	Name   string
	Run    func(ctx context.Context) error
}

// Applied is one file applied (or adopted) by Apply.
type Applied struct {
	Version string
	Name    string
}

// Apply brings the database to the directory's last version, under the
// migration lock: it adopts a database of the baseline release, refuses a
// newer or an unknown schema, and applies the pending files in order, each
// in its transaction, running the steps registered before them.
// A database already at the last version is recognised first, without the
// lock or a transaction: the common start of a process costs two reads.
func (m *Migrator) Apply(ctx context.Context) ([]Applied, error) {
	files, err := m.files()
	if err != nil {
		return nil, err
	}
	if m.current(ctx, files) {
		return nil, nil
	}
	conn, unlock, err := m.lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if err := m.prepare(ctx, conn, files); err != nil {
		return nil, err
	}
	var done []Applied
	stepped := map[string]bool{}
	for {
		f, err := m.applyNext(ctx, conn, stepped)
		switch {
		case errors.Is(err, migrate.ErrNoPendingFiles):
			return done, nil
		case err != nil:
			return done, err
		case f != nil:
			done = append(done, Applied{Version: f.Version(), Name: f.Name()})
		}
	}
}

// current reports whether the database is known, without a doubt, to be at
// the directory's last version; anything else (no history, pending files,
// an error) takes the locked path, which says what is wrong.
func (m *Migrator) current(ctx context.Context, files []migrate.File) bool {
	applied, err := m.readApplied(ctx)
	if err != nil {
		return false
	}
	st, err := state(applied, files)
	return err == nil && st.Current != "" && len(st.Pending) == 0
}

// files validates the directory against its atlas.sum and returns its
// files, and checks every step names one of them.
func (m *Migrator) files() ([]migrate.File, error) {
	if err := migrate.Validate(m.Dir); err != nil {
		return nil, fmt.Errorf("migration: %s directory: %w", dialectName(m.Dialect), err)
	}
	files, err := m.Dir.Files()
	if err != nil {
		return nil, fmt.Errorf("migration: read directory: %w", err)
	}
	if len(files) == 0 {
		return nil, errors.New("migration: no migration files")
	}
	for _, s := range m.Steps {
		if !slices.ContainsFunc(files, func(f migrate.File) bool { return f.Version() == s.Before }) {
			return nil, fmt.Errorf("migration: step %q precedes version %s, which has no file", s.Name, s.Before)
		}
	}
	return files, nil
}

// prepare creates the revisions table, adopts a baseline database and
// refuses a newer one, in one transaction.
func (m *Migrator) prepare(ctx context.Context, conn *sql.Conn, files []migrate.File) error {
	return m.inTx(ctx, conn, func(tx *sql.Tx) error {
		revs := m.revisions(tx)
		if err := revs.create(ctx); err != nil {
			return err
		}
		applied, err := revs.ReadRevisions(ctx)
		if err != nil {
			return err
		}
		if len(applied) == 0 {
			return m.adopt(ctx, tx, revs, files)
		}
		_, err = state(applied, files)
		return err
	})
}

// applyNext applies the first pending file in a transaction and returns it;
// when a step precedes that file and has not run yet in this Apply, it runs
// the step instead and returns nil. It returns migrate.ErrNoPendingFiles
// once the database is current.
func (m *Migrator) applyNext(ctx context.Context, conn *sql.Conn, stepped map[string]bool) (migrate.File, error) {
	var (
		next migrate.File
		step *Step
	)
	err := m.inTx(ctx, conn, func(tx *sql.Tx) error {
		ex, err := m.executor(tx)
		if err != nil {
			return err
		}
		pending, err := ex.Pending(ctx)
		if err != nil {
			return err
		}
		next = pending[0]
		if step = m.stepBefore(next.Version()); step != nil && !stepped[next.Version()] {
			return nil // run the step outside this transaction, then come back
		}
		step = nil
		m.Log.InfoContext(ctx, "applying migration", "file", next.Name())
		if err := ex.Execute(ctx, next); err != nil {
			return fmt.Errorf("migration: apply %s: %w", next.Name(), execError(err))
		}
		if m.Dialect == dialect.SQLite {
			return foreignKeyCheck(ctx, tx)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if step != nil {
		stepped[next.Version()] = true
		m.Log.InfoContext(ctx, "running migration step", "step", step.Name, "before", next.Name())
		if err := step.Run(ctx); err != nil {
			return nil, fmt.Errorf("migration: step %q: %w", step.Name, err)
		}
		return nil, nil
	}
	return next, nil
}

// stepBefore returns the step registered before version, or nil.
func (m *Migrator) stepBefore(version string) *Step {
	for i := range m.Steps {
		if m.Steps[i].Before == version {
			return &m.Steps[i]
		}
	}
	return nil
}

// executor returns Atlas's executor over tx, with the revisions in tx. The
// database's cleanliness was checked by prepare (a baseline database is not
// clean, yet migrates), so Atlas is told not to check it again.
func (m *Migrator) executor(tx *sql.Tx) (*migrate.Executor, error) {
	drv, err := openDriver(m.Dialect, tx)
	if err != nil {
		return nil, err
	}
	return migrate.NewExecutor(drv, m.Dir, m.revisions(tx),
		migrate.WithAllowDirty(true), migrate.WithOperatorVersion("dailyreports"))
}

// execError unwraps the statement of a failed file from the errors Atlas
// joins to it (the revision it could not write in an aborted transaction).
func execError(err error) error {
	var se *migrate.StmtExecError
	if errors.As(err, &se) {
		return fmt.Errorf("statement %q: %w", se.Stmt.Text, se.Err)
	}
	return err
}

// dialectName is how messages name the dialects.
func dialectName(d string) string {
	if d == dialect.SQLite {
		return "sqlite"
	}
	return d
}
