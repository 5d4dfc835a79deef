// Package migrations holds the versioned migrations of the database, one
// Atlas directory per dialect (postgres/, sqlite/: files named
// <version>_<name>.sql and their atlas.sum), embedded in the binary. `make
// migration NAME=...` writes the next file of both from the ent schema; a
// file, once released, is never edited.
package migrations

import (
	"embed"
	"fmt"
	"io/fs"

	"ariga.io/atlas/sql/migrate"
	"entgo.io/ent/dialect"
)

//go:embed postgres/*.sql postgres/atlas.sum sqlite/*.sql sqlite/atlas.sum
var files embed.FS

// Dir returns the migration directory of an ent dialect (dialect.Postgres
// or dialect.SQLite), atlas.sum included, as an Atlas directory.
func Dir(entDialect string) (migrate.Dir, error) {
	name, ok := map[string]string{dialect.Postgres: "postgres", dialect.SQLite: "sqlite"}[entDialect]
	if !ok {
		return nil, fmt.Errorf("migrations: no migrations for dialect %q", entDialect)
	}
	sub, err := fs.Sub(files, name)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	entries, err := fs.ReadDir(sub, ".")
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	dir := &migrate.MemDir{}
	dir.SetPath(name)
	for _, e := range entries {
		b, err := fs.ReadFile(sub, e.Name())
		if err != nil {
			return nil, fmt.Errorf("migrations: %w", err)
		}
		if err := dir.WriteFile(e.Name(), b); err != nil {
			return nil, fmt.Errorf("migrations: %w", err)
		}
	}
	return dir, nil
}
