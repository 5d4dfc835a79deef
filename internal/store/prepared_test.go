package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lib/pq"

	"github.com/dailyreports/dailyreports/internal/testenv"
)

// preparedDB opens a fresh database through PostgresDriver with one
// connection, so that every statement of a test runs on the same session.
func preparedDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open(PostgresDriver, testenv.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// preparedCount is the number of statements the session keeps prepared.
func preparedCount(t *testing.T, db *sql.DB) int {
	t.Helper()
	var n int
	if err := db.QueryRow("SELECT count(*) FROM pg_prepared_statements").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestPreparedStatementsAreKeptAndReused checks that a statement with
// arguments is prepared once per connection and then reused, whatever its
// arguments, and that statements without arguments are not prepared.
func TestPreparedStatementsAreKeptAndReused(t *testing.T) {
	db := preparedDB(t)
	if _, err := db.Exec("CREATE TABLE t (id int PRIMARY KEY, v text NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		if _, err := db.Exec("INSERT INTO t (id, v) VALUES ($1, $2)", i, fmt.Sprint("v", i)); err != nil {
			t.Fatal(err)
		}
		var v string
		if err := db.QueryRow("SELECT v FROM t WHERE id = $1", i).Scan(&v); err != nil || v != fmt.Sprint("v", i) {
			t.Fatalf("row %d: %q, %v", i, v, err)
		}
	}
	if n := preparedCount(t, db); n != 2 {
		t.Fatalf("the session keeps %d statements, want 2 (the insert and the select)", n)
	}
	var calls int
	if err := db.QueryRow("SELECT max(generic_plans + custom_plans) FROM pg_prepared_statements").Scan(&calls); err != nil {
		t.Fatal(err)
	}
	if calls != 20 {
		t.Fatalf("a kept statement ran %d times, want 20", calls)
	}
}

// TestLibPQKeepsNoStatement checks the driver of
// DATABASE_PREPARED_STATEMENTS=false, lib/pq's own: a session keeps no
// statement prepared, as a pooler in transaction mode needs.
func TestLibPQKeepsNoStatement(t *testing.T) {
	db, err := sql.Open("postgres", testenv.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	defer db.Close()
	for i := range 3 {
		var n int
		if err := db.QueryRow("SELECT $1::int", i).Scan(&n); err != nil || n != i {
			t.Fatalf("%d, %v", n, err)
		}
	}
	if n := preparedCount(t, db); n != 0 {
		t.Fatalf("lib/pq's session keeps %d statements", n)
	}
}

// TestPreparedStatementsAreBounded checks that a session keeps at most
// preparedPerConn statements, closing the least recently used, and does not
// keep a statement longer than preparedMaxLen.
func TestPreparedStatementsAreBounded(t *testing.T) {
	db := preparedDB(t)
	for i := range preparedPerConn + 40 {
		var n int
		if err := db.QueryRow(fmt.Sprintf("SELECT $1::int + %d", i), 1).Scan(&n); err != nil || n != i+1 {
			t.Fatalf("statement %d: %d, %v", i, n, err)
		}
	}
	if n := preparedCount(t, db); n != preparedPerConn {
		t.Fatalf("the session keeps %d statements, want %d", n, preparedPerConn)
	}
	long := "SELECT $1::int" + strings.Repeat(" ", preparedMaxLen)
	var n int
	if err := db.QueryRow(long, 7).Scan(&n); err != nil || n != 7 {
		t.Fatalf("long statement: %d, %v", n, err)
	}
	var kept bool
	if err := db.QueryRow("SELECT EXISTS (SELECT 1 FROM pg_prepared_statements WHERE length(statement) > $1)", preparedMaxLen).Scan(&kept); err != nil || kept {
		t.Fatalf("a statement longer than %d bytes is kept (%v, %v)", preparedMaxLen, kept, err)
	}
}

// TestPreparedStatementSurvivesSchemaChange checks that a kept statement
// whose result changes with a migration is prepared again instead of
// failing with "cached plan must not change result type".
func TestPreparedStatementSurvivesSchemaChange(t *testing.T) {
	db := preparedDB(t)
	if _, err := db.Exec("CREATE TABLE t (id int PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("INSERT INTO t VALUES (1)"); err != nil {
		t.Fatal(err)
	}
	cols := func() []string {
		rows, err := db.Query("SELECT * FROM t WHERE id = $1", 1)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		c, err := rows.Columns()
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	if c := cols(); len(c) != 1 {
		t.Fatalf("columns %v", c)
	}
	if _, err := db.Exec("ALTER TABLE t ADD COLUMN v text NOT NULL DEFAULT 'x'"); err != nil {
		t.Fatal(err)
	}
	if c := cols(); len(c) != 2 {
		t.Fatalf("columns after the migration %v, want id and v", c)
	}
}

// TestPreparedStatementsKeepErrorsAndTransactions checks what the store
// relies on: PostgreSQL's errors come back as *pq.Error with their code, a
// statement prepared in a transaction that rolled back is still usable, and
// a cancelled statement leaves the connection usable.
func TestPreparedStatementsKeepErrorsAndTransactions(t *testing.T) {
	db := preparedDB(t)
	ctx := context.Background()
	if _, err := db.Exec("CREATE TABLE t (id int PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec("INSERT INTO t VALUES ($1)", 1); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := db.Exec("INSERT INTO t VALUES ($1)", 1); err != nil {
			var pe *pq.Error
			if !errors.As(err, &pe) || pe.Code != "23505" {
				t.Fatalf("second insert: %v, want a unique violation", err)
			}
		}
	}
	var n int
	if err := db.QueryRow("SELECT count(*) FROM t WHERE id >= $1", 0).Scan(&n); err != nil || n != 1 {
		t.Fatalf("rows %d, %v: want the one insert outside the rolled back transaction", n, err)
	}
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if _, err := db.ExecContext(short, "SELECT pg_sleep($1)", 5); err == nil {
		t.Fatal("a statement past its deadline succeeded")
	}
	if err := db.QueryRow("SELECT count(*) FROM t WHERE id >= $1", 0).Scan(&n); err != nil || n != 1 {
		t.Fatalf("after a cancelled statement: %d, %v", n, err)
	}
}

// TestPreparedStatementWhileRowsAreOpen checks that a statement sent on a
// connection whose rows are still open is refused, as lib/pq refuses it,
// instead of running into the middle of the rows, and that the connection
// works once the rows are closed.
func TestPreparedStatementWhileRowsAreOpen(t *testing.T) {
	db := preparedDB(t)
	ctx := context.Background()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback() }()
	rows, err := tx.QueryContext(ctx, "SELECT g FROM generate_series(1, $1::int) g", 10000)
	if err != nil {
		t.Fatal(err)
	}
	if !rows.Next() {
		t.Fatal("no row")
	}
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT $1::int", 1).Scan(&n); err == nil {
		t.Fatal("a statement ran while rows were open")
	}
	if _, err := tx.ExecContext(ctx, "SELECT $1::int", 1); err == nil {
		t.Fatal("a statement ran while rows were open")
	}
	count := 1
	for rows.Next() {
		count++
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil || count != 10000 {
		t.Fatalf("rows %d, %v: want all 10000", count, err)
	}
	if err := tx.QueryRowContext(ctx, "SELECT $1::int", 7).Scan(&n); err != nil || n != 7 {
		t.Fatalf("after the rows: %d, %v", n, err)
	}
}
