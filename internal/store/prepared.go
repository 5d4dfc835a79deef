package store

import (
	"bufio"
	"container/list"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"net"
	"time"

	"github.com/lib/pq"
)

// PostgresDriver is the database/sql driver the store opens PostgreSQL
// through: lib/pq with every connection keeping the statements it runs
// prepared (below). Tracing wraps it under another name.
const PostgresDriver = "postgres-prepared"

func init() { sql.Register(PostgresDriver, preparedDriver{}) }

// Statements a connection keeps prepared, and the longest one it keeps.
// ent writes a few dozen distinct statements; one with a long list of
// values (a batch) runs unprepared, as lib/pq runs every statement.
const (
	preparedPerConn = 128
	preparedMaxLen  = 4 << 10
	// readBuffer is what a connection reads from its socket at once. lib/pq
	// reads through 4 KiB, about one conversation's row: one read syscall
	// per row of an hour's conversations.
	readBuffer = 64 << 10
)

// preparedDriver opens lib/pq connections that run each statement with
// arguments as a named prepared statement, prepared on its first run and
// kept (at most preparedPerConn per connection, the least recently used
// closed first). lib/pq alone prepares and describes every such statement
// anew, one round trip, before binding and running it, another: kept, a
// statement takes one round trip and PostgreSQL neither parses nor, once it
// settles on a generic plan, plans it again: a build's bookkeeping makes
// half the round trips.
type preparedDriver struct{}

// Open opens a connection of dsn.
func (d preparedDriver) Open(dsn string) (driver.Conn, error) {
	c, err := d.OpenConnector(dsn)
	if err != nil {
		return nil, err
	}
	return c.Connect(context.Background())
}

// OpenConnector parses dsn once for every connection.
func (d preparedDriver) OpenConnector(dsn string) (driver.Connector, error) {
	c, err := pq.NewConnector(dsn)
	if err != nil {
		return nil, err
	}
	c.Dialer(bufferedDialer{})
	return preparedConnector{base: c}, nil
}

// bufferedDialer dials connections that read from their socket through a
// buffer of readBuffer bytes.
type bufferedDialer struct{ d net.Dialer }

func (b bufferedDialer) Dial(network, address string) (net.Conn, error) {
	return b.DialContext(context.Background(), network, address)
}

func (b bufferedDialer) DialTimeout(network, address string, timeout time.Duration) (net.Conn, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return b.DialContext(ctx, network, address)
}

func (b bufferedDialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	c, err := b.d.DialContext(ctx, network, address)
	if err != nil {
		return nil, err
	}
	return &bufferedConn{Conn: c, r: bufio.NewReaderSize(c, readBuffer)}, nil
}

// bufferedConn is a connection whose reads go through r.
type bufferedConn struct {
	net.Conn
	r *bufio.Reader
}

func (c *bufferedConn) Read(p []byte) (int, error) { return c.r.Read(p) }

type preparedConnector struct{ base *pq.Connector }

func (c preparedConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.base.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return newPreparedConn(conn), nil
}

func (preparedConnector) Driver() driver.Driver { return preparedDriver{} }

// pqConn is what lib/pq's connection implements and preparedConn passes on.
type pqConn interface {
	driver.Conn
	driver.ConnPrepareContext
	driver.ConnBeginTx
	driver.QueryerContext
	driver.ExecerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
	driver.NamedValueChecker
}

// preparedConn is a lib/pq connection with its kept statements. Like any
// driver connection it is used by one goroutine at a time.
type preparedConn struct {
	pqConn
	stmts map[string]*list.Element // of *keptStmt, by query
	lru   list.List                // most recently used first
	// reading is set while rows of the connection are open: lib/pq
	// refuses another statement then, but runs a prepared statement's
	// messages into the middle of the rows, so this connection refuses it.
	reading bool
}

// errReading is lib/pq's answer to a statement sent while rows are open.
var errReading = errors.New("pq: there is already a query being processed")

type keptStmt struct {
	query string
	stmt  driver.Stmt
}

func newPreparedConn(c driver.Conn) driver.Conn {
	pc, ok := c.(pqConn)
	if !ok { // not lib/pq's connection as this code knows it: run it as is
		return c
	}
	return &preparedConn{pqConn: pc, stmts: make(map[string]*list.Element)}
}

// QueryContext runs query, prepared when it has arguments.
func (c *preparedConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if c.reading {
		return nil, errReading
	}
	var rows driver.Rows
	var err error
	if !keepable(query, args) {
		rows, err = c.pqConn.QueryContext(ctx, query, args)
	} else {
		rows, err = retryChanged(c, ctx, query, func(s driver.Stmt) (driver.Rows, error) {
			return s.(driver.StmtQueryContext).QueryContext(ctx, args)
		})
	}
	if err != nil {
		return nil, err
	}
	return c.track(rows), nil
}

// ExecContext runs query, prepared when it has arguments.
func (c *preparedConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if c.reading {
		return nil, errReading
	}
	if !keepable(query, args) {
		return c.pqConn.ExecContext(ctx, query, args)
	}
	return retryChanged(c, ctx, query, func(s driver.Stmt) (driver.Result, error) {
		return s.(driver.StmtExecContext).ExecContext(ctx, args)
	})
}

// keepable reports whether a statement is worth keeping prepared: without
// arguments lib/pq runs it in one round trip already.
func keepable(query string, args []driver.NamedValue) bool {
	return len(args) > 0 && len(query) <= preparedMaxLen
}

// retryChanged runs query's kept statement; when PostgreSQL refuses it
// because a schema change altered what it returns (a migration since it was
// prepared), it prepares the statement again and runs it once more. In a
// transaction the refusal has failed the transaction: the statement is
// prepared again by the next one, and the refusal returned.
func retryChanged[T any](c *preparedConn, ctx context.Context, query string, run func(driver.Stmt) (T, error)) (T, error) {
	s, err := c.stmt(ctx, query)
	if err != nil {
		var zero T
		return zero, err
	}
	out, err := run(s)
	if !isPlanChanged(err) {
		return out, err
	}
	c.forget(query)
	again, perr := c.stmt(ctx, query)
	if perr != nil {
		return out, err
	}
	return run(again)
}

// isPlanChanged reports PostgreSQL's "cached plan must not change result
// type" (feature_not_supported): the statement must be prepared again.
func isPlanChanged(err error) bool {
	var pe *pq.Error
	return errors.As(err, &pe) && pe.Code == "0A000" && pe.Message == "cached plan must not change result type"
}

// stmt returns query's kept statement, preparing it on first use and
// closing the least recently used one beyond preparedPerConn.
func (c *preparedConn) stmt(ctx context.Context, query string) (driver.Stmt, error) {
	if e, ok := c.stmts[query]; ok {
		c.lru.MoveToFront(e)
		return e.Value.(*keptStmt).stmt, nil
	}
	s, err := c.pqConn.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.stmts[query] = c.lru.PushFront(&keptStmt{query: query, stmt: s})
	if c.lru.Len() > preparedPerConn {
		c.forget(c.lru.Back().Value.(*keptStmt).query)
	}
	return s, nil
}

// forget closes query's kept statement on the server and drops it.
func (c *preparedConn) forget(query string) {
	e, ok := c.stmts[query]
	if !ok {
		return
	}
	c.lru.Remove(e)
	delete(c.stmts, query)
	_ = e.Value.(*keptStmt).stmt.Close() // a broken connection is discarded with its statements
}

// track marks the connection reading until rows are closed; rows that are
// not lib/pq's as this code knows them are returned as they are.
func (c *preparedConn) track(rows driver.Rows) driver.Rows {
	r, ok := rows.(pqRows)
	if !ok {
		return rows
	}
	c.reading = true
	return &trackedRows{pqRows: r, conn: c}
}

// pqRows is what lib/pq's rows implement and trackedRows passes on.
type pqRows interface {
	driver.Rows
	driver.RowsNextResultSet
	driver.RowsColumnTypeScanType
	driver.RowsColumnTypeDatabaseTypeName
	driver.RowsColumnTypeLength
	driver.RowsColumnTypePrecisionScale
}

// trackedRows are rows that clear their connection's reading once closed
// (database/sql closes rows read to their end).
type trackedRows struct {
	pqRows
	conn *preparedConn
}

func (r *trackedRows) Close() error {
	err := r.pqRows.Close()
	r.conn.reading = false
	return err
}

// Close closes the connection; its statements end with the session.
func (c *preparedConn) Close() error {
	c.stmts = nil
	return c.pqConn.Close()
}
