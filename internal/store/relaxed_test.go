package store

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/dailyreports/dailyreports/ent"
)

// A relaxed transaction commits without waiting for the flush, and only it:
// the setting does not stay on the pooled connection, and the transaction
// is still one unit.
func TestRelaxedCommitIsLocalToItsTransaction(t *testing.T) {
	s := openPostgres(t)
	s.db.SetMaxOpenConns(1) // the statement after runs on the relaxed transaction's connection
	ctx := sysCtx()
	setting := func(q interface {
		QueryContext(context.Context, string, ...any) (*sql.Rows, error)
	}) string {
		t.Helper()
		rows, err := q.QueryContext(ctx, "SELECT current_setting('synchronous_commit')")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var v string
		for rows.Next() {
			if err := rows.Scan(&v); err != nil {
				t.Fatal(err)
			}
		}
		return v
	}
	var inside string
	if err := s.relaxed(ctx, "test", func(c *ent.Client) error { inside = setting(c); return nil }); err != nil {
		t.Fatal(err)
	}
	if after := setting(s.client); inside != "off" || after != "on" {
		t.Fatalf("synchronous_commit: %q inside the relaxed transaction, %q after it", inside, after)
	}
}

// Two relaxed transactions that lock the same rows in opposite orders
// deadlock; PostgreSQL aborts one, which is run again, and both succeed.
func TestRelaxedRunsAgainAfterADeadlock(t *testing.T) {
	s := openPostgres(t)
	ctx := sysCtx()
	if _, err := s.db.ExecContext(ctx, "CREATE TABLE locks (id int PRIMARY KEY, n int); INSERT INTO locks VALUES (1, 0), (2, 0)"); err != nil {
		t.Fatal(err)
	}
	var attempts atomic.Int32
	both := make(chan struct{})
	var arrived sync.WaitGroup
	arrived.Add(2)
	go func() { arrived.Wait(); close(both) }()
	lock := func(first, second int) error {
		return s.relaxed(ctx, "test", func(c *ent.Client) error {
			again := attempts.Add(1) > 2
			if _, err := c.ExecContext(ctx, "UPDATE locks SET n = n + 1 WHERE id = $1", first); err != nil {
				return err
			}
			if !again { // the first attempts meet holding one row each
				arrived.Done()
				<-both
			}
			_, err := c.ExecContext(ctx, "UPDATE locks SET n = n + 1 WHERE id = $1", second)
			return err
		})
	}
	errs := make(chan error, 2)
	go func() { errs <- lock(1, 2) }()
	go func() { errs <- lock(2, 1) }()
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatalf("a transaction failed: %v", err)
		}
	}
	var n1, n2 int
	if err := s.db.QueryRowContext(ctx, "SELECT (SELECT n FROM locks WHERE id = 1), (SELECT n FROM locks WHERE id = 2)").Scan(&n1, &n2); err != nil {
		t.Fatal(err)
	}
	// Three attempts at least: the two that deadlock, then the aborted one
	// again. That one may take the row its rival waited for and deadlock
	// once more, so more are allowed, up to both transactions' three.
	if a := attempts.Load(); a < 3 || a > 6 || n1 != 2 || n2 != 2 {
		t.Fatalf("%d attempts, rows updated %d and %d times; want 3 to 6 attempts, each row twice", a, n1, n2)
	}
}
