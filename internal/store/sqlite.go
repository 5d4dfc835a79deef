package store

import (
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	"entgo.io/ent/dialect"
	_ "modernc.org/sqlite" // the pure-Go SQLite driver, registered as "sqlite"
)

// sqliteParams are the connection settings of the embedded database:
// foreign keys enforced (ent's migration requires it), WAL so readers never
// block the writer, a busy timeout instead of immediate "database is locked"
// errors, write transactions that take the write lock when they begin (a
// deferred one that reads first could not upgrade), and times written in UTC
// in one sortable format, so comparing them as text compares instants.
var sqliteParams = url.Values{
	"_pragma": {
		"foreign_keys(1)",
		"journal_mode(WAL)",
		"busy_timeout(10000)",
		"synchronous(NORMAL)",
	},
	"_txlock":      {"immediate"},
	"_time_format": {"sqlite"},
	"_timezone":    {"UTC"},
}

// OpenSQLite opens (creating it if needed) the SQLite database file at path,
// the embedded default when no DATABASE_URL is set.
//
// The schema's collation "C" (byte order for Id) needs nothing here: ent's
// SQLite migration creates the columns with SQLite's default collation,
// BINARY, which compares UTF-8 text byte by byte, so ordering by Id is the
// same as on PostgreSQL, and the file stays readable by any SQLite tool.
func OpenSQLite(path string) (*Store, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("store: sqlite path: %w", err)
	}
	// Conversations are private: the file (and SQLite's -wal and -shm files,
	// which copy its mode) is readable by its owner only.
	f, err := os.OpenFile(abs, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("store: create sqlite file: %w", err)
	}
	_ = f.Close()
	dsn := (&url.URL{Scheme: "file", OmitHost: true, Path: abs, RawQuery: sqliteParams.Encode()}).String()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open sqlite: %w", err)
	}
	// One writer at a time is SQLite's rule; a few connections let reads
	// run beside it.
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(8)
	db.SetConnMaxIdleTime(0)
	return New(db, dialect.SQLite), nil
}
