package migration

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"ariga.io/atlas/sql/migrate"
)

// Status is where a database stands against the directory.
type Status struct {
	// Current is the last version applied ("" when none).
	Current string
	// Latest is the directory's last version: the one this binary needs.
	Latest string
	// Pending are the versions still to apply, in order.
	Pending []string
}

// Status reads where the database stands, changing nothing. It fails with
// ErrNewer when the database has a version newer than the directory's
// last, ErrUnknown when it has another the directory lacks.
func (m *Migrator) Status(ctx context.Context) (Status, error) {
	files, err := m.files()
	if err != nil {
		return Status{}, err
	}
	applied, err := m.readApplied(ctx)
	if err != nil && !errors.Is(err, errNoTable) {
		return Status{}, err
	}
	return state(applied, files)
}

// Check returns nil when the database is at the directory's last version,
// an error wrapping ErrPending that says what is missing, or one wrapping
// ErrNewer.
func (m *Migrator) Check(ctx context.Context) error {
	st, err := m.Status(ctx)
	switch {
	case err != nil:
		return err
	case len(st.Pending) == 0:
		return nil
	case st.Current == "":
		return fmt.Errorf("migration: %w: it has no migration history, this binary needs version %s: "+
			"run `dailyreports migrate`", ErrPending, st.Latest)
	default:
		return fmt.Errorf("migration: %w: it is at version %s, this binary needs %s "+
			"(%d migrations pending): run `dailyreports migrate`", ErrPending, st.Current, st.Latest, len(st.Pending))
	}
}

// state compares the applied revisions with the files. A version applied
// that no file has is refused: newer than the last file, the database was
// migrated by a newer binary; older, by another line of development.
func state(applied []*migrate.Revision, files []migrate.File) (Status, error) {
	st := Status{Latest: files[len(files)-1].Version()}
	done := map[string]bool{}
	for _, r := range applied {
		if r.Applied < r.Total {
			return st, fmt.Errorf("migration: %w: version %s was left half applied (%d of %d statements): "+
				"repair it by hand", ErrUnknown, r.Version, r.Applied, r.Total)
		}
		known := slices.ContainsFunc(files, func(f migrate.File) bool { return f.Version() == r.Version })
		switch {
		case r.Version > st.Latest:
			return st, fmt.Errorf("migration: %w: it is at version %s, newer than this binary knows (%s): "+
				"run a newer dailyreports", ErrNewer, r.Version, st.Latest)
		case !known:
			return st, fmt.Errorf("migration: %w: version %s is applied, which this binary does not have "+
				"(its last is %s)", ErrUnknown, r.Version, st.Latest)
		}
		done[r.Version] = true
		st.Current = r.Version
	}
	for _, f := range files {
		if !done[f.Version()] && f.Version() > st.Current {
			st.Pending = append(st.Pending, f.Version())
		}
	}
	return st, nil
}
