// Package store is the data layer: tenants, conversations and report-chunk
// state, through ent. Every method runs under the viewer in its context, and
// ent's privacy rules confine tenant principals to their own rows.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"github.com/lib/pq"

	"github.com/dailyreports/dailyreports/ent"
	_ "github.com/dailyreports/dailyreports/ent/runtime" // privacy policies and defaults
	"github.com/dailyreports/dailyreports/internal/apperr"
)

// Store holds the ent client and the database handle under it.
type Store struct {
	client  *ent.Client
	db      *sql.DB
	dialect string
	// tenantWrites counts tenant writes through this Store (TenantWrites).
	tenantWrites atomic.Int64
	// log is the logger of migrations (SetLogger).
	log *slog.Logger
}

// DefaultMaxConns is the connection bound of OpenPostgres, the default of
// DATABASE_MAX_CONNS.
const DefaultMaxConns = 16

// OpenPostgres opens a PostgreSQL database from a postgres:// URL with at
// most DefaultMaxConns connections.
func OpenPostgres(url string) (*Store, error) {
	return OpenPostgresDriver(PostgresDriver, url, DefaultMaxConns)
}

// OpenPostgresDriver is OpenPostgres through the database/sql driver
// registered as driver (PostgresDriver, or a wrapper of it that traces
// queries), with at most maxConns connections, all kept open when
// idle.
func OpenPostgresDriver(driver, url string, maxConns int) (*Store, error) {
	db, err := sql.Open(driver, url)
	if err != nil {
		return nil, fmt.Errorf("store: open: %w", err)
	}
	db.SetMaxOpenConns(maxConns)
	db.SetMaxIdleConns(maxConns)
	return New(db, dialect.Postgres), nil
}

// New wraps an open database of the given ent dialect.
func New(db *sql.DB, dialectName string) *Store {
	drv := entsql.OpenDB(dialectName, db)
	s := &Store{client: ent.NewClient(ent.Driver(drv)), db: db, dialect: dialectName}
	s.countTenantWrites()
	return s
}

// Dialect is the ent dialect of the database.
func (s *Store) Dialect() string { return s.dialect }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

// Close closes the database.
func (s *Store) Close() error { return s.client.Close() }

// readTx starts a read-only transaction that sees one snapshot of the data.
func (s *Store) readTx(ctx context.Context) (*ent.Tx, error) {
	opts := &sql.TxOptions{ReadOnly: true}
	if s.dialect == dialect.Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	// On SQLite a read-only transaction begins deferred (writes begin
	// immediate) and is a snapshot already.
	return s.client.BeginTx(ctx, opts)
}

// withTx runs fn in a transaction, committing on success.
func (s *Store) withTx(ctx context.Context, fn func(tx *ent.Tx) error) (err error) {
	tx, err := s.client.Tx(ctx)
	if err != nil {
		return dbErr("begin", err)
	}
	defer func() {
		if v := recover(); v != nil {
			_ = tx.Rollback()
			panic(v)
		}
	}()
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return dbErr("commit", err)
	}
	return nil
}

// dbErr classifies a database error into the error vocabulary: privacy
// denials and missing rows look like missing objects, a database that does
// not answer is unavailable, anything else is internal.
func dbErr(op string, err error) error {
	var ae *apperr.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ae):
		return err
	case ent.IsNotFound(err):
		return apperr.Wrap(err, apperr.NotFound, "not found")
	case isUnavailable(err):
		return &apperr.Error{Code: apperr.Unavailable, Message: "database unavailable",
			RetryAfter: 5 * time.Second, Err: fmt.Errorf("store: %s: %w", op, err)}
	default:
		return fmt.Errorf("store: %s: %w", op, err)
	}
}

// isUnavailable reports whether err means the database could not be
// reached or cannot serve now: connection errors, and PostgreSQL's
// connection-exception, insufficient-resources and operator-intervention
// classes (08, 53, 57).
func isUnavailable(err error) bool {
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		switch pqErr.Code.Class() {
		case "08", "53", "57":
			return true
		}
		return false
	}
	var netErr net.Error
	if errors.As(err, &netErr) || errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNREFUSED) {
		return true
	}
	return strings.Contains(err.Error(), "connection refused")
}

// LimitConns lowers the pool's bound to n connections when it is higher
// (n < 1 leaves it), and returns the bound in effect.
func (s *Store) LimitConns(n int) int {
	most := s.db.Stats().MaxOpenConnections
	if n >= 1 && (most <= 0 || n < most) {
		s.db.SetMaxOpenConns(n)
		s.db.SetMaxIdleConns(n)
		most = n
	}
	return most
}

// Warm opens up to n connections at once, so that work about to run n
// statements in parallel does not wait for each connection on its first
// statement; never more than the pool may hold, since it holds each until
// all are open. Errors are left to that work.
func (s *Store) Warm(ctx context.Context, n int) {
	if most := s.db.Stats().MaxOpenConnections; most > 0 {
		n = min(n, most)
	}
	conns := make([]*sql.Conn, 0, n)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			c, err := s.db.Conn(ctx)
			if err != nil {
				return
			}
			if c.PingContext(ctx) == nil {
				mu.Lock()
				conns = append(conns, c)
				mu.Unlock()
				return
			}
			_ = c.Close()
		})
	}
	wg.Wait()
	for _, c := range conns {
		_ = c.Close() // back to the pool, open
	}
}
