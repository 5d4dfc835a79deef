package migration

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"

	"ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/postgres"
	"ariga.io/atlas/sql/sqlite"
	"entgo.io/ent/dialect"
)

// lockKey is the PostgreSQL advisory lock of migrations: a constant of this
// service ("dailyreports migrate"), shared by every process on the database.
const lockKey int64 = 0x6461696c796d6967

// lock takes a dedicated connection for the migration and, on PostgreSQL,
// the session-level advisory lock on it: another process migrating waits
// here until this one is done. SQLite needs no lock of its own: every
// transaction of a migration begins immediate, taking the database's write
// lock, and reads the revisions again under it, so two processes apply each
// file once; a step's batches are transactions that pick only rows still to
// convert. unlock releases the lock and the connection.
func (m *Migrator) lock(ctx context.Context) (*sql.Conn, func(), error) {
	conn, err := m.DB.Conn(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("migration: connect: %w", err)
	}
	if m.Dialect != dialect.Postgres {
		return conn, func() { _ = conn.Close() }, nil
	}
	var got bool
	if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1)", lockKey).Scan(&got); err != nil {
		_ = conn.Close()
		return nil, nil, fmt.Errorf("migration: lock: %w", err)
	}
	if !got {
		m.Log.InfoContext(ctx, "waiting for another process's migration to finish")
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", lockKey); err != nil {
			_ = conn.Close()
			return nil, nil, fmt.Errorf("migration: lock: %w", err)
		}
	}
	return conn, func() {
		var released bool
		err := conn.QueryRowContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", lockKey).Scan(&released)
		if err != nil || !released {
			// The session would keep the lock: drop the connection rather
			// than give it back to the pool.
			m.Log.Warn("migration: unlock failed, closing the connection", "err", err)
			_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		}
		_ = conn.Close()
	}, nil
}

// inTx runs fn in a transaction on conn, committing when it succeeds. On
// SQLite, foreign keys are not enforced during the transaction, since a
// file may rebuild a table others refer to (SQLite's way to change a
// column); applyNext checks them whole after a file.
func (m *Migrator) inTx(ctx context.Context, conn *sql.Conn, fn func(*sql.Tx) error) (err error) {
	if m.Dialect == dialect.SQLite {
		if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = off"); err != nil {
			return fmt.Errorf("migration: foreign keys off: %w", err)
		}
		defer func() {
			if _, ferr := conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA foreign_keys = on"); ferr != nil {
				err = errors.Join(err, fmt.Errorf("migration: foreign keys on: %w", ferr))
				_ = conn.Raw(func(any) error { return driver.ErrBadConn })
			}
		}()
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migration: begin: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migration: commit: %w", err)
	}
	return nil
}

// foreignKeyCheck fails when a row of the SQLite database refers to a
// missing one.
func foreignKeyCheck(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return fmt.Errorf("migration: foreign key check: %w", err)
	}
	defer rows.Close()
	if rows.Next() {
		var table string
		var rowid sql.NullInt64
		var parent string
		var fk int
		if err := rows.Scan(&table, &rowid, &parent, &fk); err != nil {
			return fmt.Errorf("migration: foreign key check: %w", err)
		}
		return fmt.Errorf("migration: foreign key check: row %d of %s refers to a missing row of %s", rowid.Int64, table, parent)
	}
	return rows.Err()
}

// openDriver returns Atlas's driver of the dialect over tx.
func openDriver(d string, tx *sql.Tx) (migrate.Driver, error) {
	var (
		drv migrate.Driver
		err error
	)
	switch d {
	case dialect.Postgres:
		drv, err = postgres.Open(tx)
	case dialect.SQLite:
		drv, err = sqlite.Open(tx)
	default:
		err = fmt.Errorf("unsupported dialect %q", d)
	}
	if err != nil {
		return nil, fmt.Errorf("migration: open %s driver: %w", dialectName(d), err)
	}
	return drv, nil
}
