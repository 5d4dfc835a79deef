//go:build ignore

// Command migration writes the next versioned migration, for PostgreSQL and
// for SQLite, from the difference between the migrations already written and
// the ent schema. It replays each directory on a dev database — a temporary
// PostgreSQL database and an in-memory SQLite — and asks ent what is missing.
// Both files get one version, so a Go data step or a version in a message
// names the same change on either dialect.
//
//	go run ./ent/migrate/main.go NAME     # make migration NAME=...
//	go run ./ent/migrate/main.go -hash    # make migration-hash: rewrite atlas.sum after editing an unreleased file
//
// DEV_DATABASE_URL names the PostgreSQL server (default: the local one as
// postgres); the command creates and drops a database of its own there.
// It runs from the repository root.
package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"text/template"
	"time"

	atlas "ariga.io/atlas/sql/migrate"
	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/schema"
	_ "github.com/lib/pq"
	_ "modernc.org/sqlite"

	"github.com/dailyreports/dailyreports/ent/migrate"
)

// root is the directory of the migration directories, one per dialect.
const root = "ent/migrate/migrations"

// dirNames are the directories under root by ent dialect.
var dirNames = map[string]string{dialect.Postgres: "postgres", dialect.SQLite: "sqlite"}

func main() {
	hash := flag.Bool("hash", false, "only rewrite atlas.sum of both directories")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if *hash {
		for _, d := range dirNames {
			if err := rehash(d); err != nil {
				log.Fatalf("migration: %s: %v", d, err)
			}
		}
		return
	}
	name := flag.Arg(0)
	if !regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`).MatchString(name) || flag.NArg() != 1 {
		log.Fatalf("migration: want one name of lowercase letters, digits and _ (make migration NAME=add_things)")
	}
	version := time.Now().UTC().Format("20060102150405")
	if err := diffPostgres(ctx, version, name); err != nil {
		log.Fatalf("migration: postgres: %v", err)
	}
	if err := diffSQLite(ctx, version, name); err != nil {
		log.Fatalf("migration: sqlite: %v", err)
	}
}

// options are ent's diff options for the directory of dialect d: replay the
// directory, write Atlas files named version_name.sql, and let the diff drop
// columns and indexes (ent never drops a table: write that by hand).
func options(d, version string) ([]schema.MigrateOption, error) {
	dir, err := atlas.NewLocalDir(filepath.Join(root, dirNames[d]))
	if err != nil {
		return nil, err
	}
	name := template.Must(template.New("name").Parse(version + "{{ with .Name }}_{{ . }}{{ end }}.sql"))
	format := atlas.TemplateFormatter{{N: name, C: atlas.DefaultFormatter[0].C}}
	return []schema.MigrateOption{
		schema.WithDir(dir),
		schema.WithFormatter(format),
		schema.WithMigrationMode(schema.ModeReplay),
		schema.WithDialect(d),
		schema.WithDropColumn(true),
		schema.WithDropIndex(true),
		schema.WithErrNoPlan(true),
	}, nil
}

// diffPostgres writes the PostgreSQL file, replaying the directory on a
// temporary database.
func diffPostgres(ctx context.Context, version, name string) (err error) {
	server := os.Getenv("DEV_DATABASE_URL")
	if server == "" {
		server = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	}
	admin, err := sql.Open("postgres", server)
	if err != nil {
		return err
	}
	defer admin.Close()
	db := "dailyreports_dev_" + strings.ToLower(rand.Text()[:10])
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+db); err != nil {
		return fmt.Errorf("create dev database: %w", err)
	}
	defer func() {
		if _, derr := admin.ExecContext(context.Background(), "DROP DATABASE "+db+" WITH (FORCE)"); derr != nil {
			err = errors.Join(err, fmt.Errorf("drop dev database: %w", derr))
		}
	}()
	u, err := url.Parse(server)
	if err != nil {
		return err
	}
	u.Path = "/" + db
	opts, err := options(dialect.Postgres, version)
	if err != nil {
		return err
	}
	return report(dialect.Postgres, migrate.NamedDiff(ctx, u.String(), name, opts...))
}

// diffSQLite writes the SQLite file, replaying the directory on an in-memory
// database (one connection, so every statement sees the same database).
func diffSQLite(ctx context.Context, version, name string) error {
	db, err := sql.Open("sqlite", "file:dev?mode=memory&_pragma=foreign_keys(1)")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	opts, err := options(dialect.SQLite, version)
	if err != nil {
		return err
	}
	return report(dialect.SQLite, migrate.NewSchema(entsql.OpenDB(dialect.SQLite, db)).NamedDiff(ctx, name, opts...))
}

// report says what the diff of dialect d did.
func report(d string, err error) error {
	if errors.Is(err, atlas.ErrNoPlan) {
		log.Printf("%s: the migrations already match ent/schema, no file written", dirNames[d])
		return nil
	}
	if err == nil {
		log.Printf("%s: wrote a new file in %s", dirNames[d], filepath.Join(root, dirNames[d]))
	}
	return err
}

// rehash rewrites the atlas.sum of the directory d under root.
func rehash(d string) error {
	dir, err := atlas.NewLocalDir(filepath.Join(root, d))
	if err != nil {
		return err
	}
	sum, err := dir.Checksum()
	if err != nil {
		return err
	}
	return atlas.WriteSumFile(dir, sum)
}
