package store

import (
	"context"
	"database/sql"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dailyreports/dailyreports/internal/testenv"
)

// TestPostgresPoolIsBounded checks that a process never holds more
// PostgreSQL connections than DATABASE_MAX_CONNS however many requests
// wait: several processes share one server's max_connections.
func TestPostgresPoolIsBounded(t *testing.T) {
	dbURL := testenv.NewDatabase(t)
	s, err := OpenPostgresDriver("postgres", dbURL, 3)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	u, _ := url.Parse(dbURL)
	name := strings.TrimPrefix(u.Path, "/")

	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 12)
	for range 12 {
		wg.Go(func() {
			_, err := s.db.ExecContext(ctx, "SELECT pg_sleep(0.2)")
			errs <- err
		})
	}
	// A connection of its own, on the server's database: the pool under
	// test is full.
	admin, err := sql.Open("postgres", testenv.PostgresURL())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	peak := 0
	for range 10 {
		var n int
		if err := admin.QueryRowContext(ctx, "SELECT count(*) FROM pg_stat_activity WHERE datname = $1", name).Scan(&n); err != nil {
			t.Fatal(err)
		}
		peak = max(peak, n)
		time.Sleep(20 * time.Millisecond)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if peak == 0 || peak > 3 {
		t.Fatalf("%d connections to the database at the peak, want 1 to 3", peak)
	}
}

// TestWarmOnASmallPoolReturns checks that warming more connections than
// the pool may open returns, its connections back in the pool: `generate`
// once warmed one connection per parallel build, and with DATABASE_MAX_CONNS
// below that it held every connection while it waited for more, forever.
func TestWarmOnASmallPoolReturns(t *testing.T) {
	s, err := OpenPostgresDriver(PostgresDriver, testenv.NewDatabase(t), 3)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	done := make(chan struct{})
	go func() {
		s.Warm(context.Background(), 8)
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		t.Fatal("Warm(8) on a pool of 3 did not return")
	}
	if st := s.db.Stats(); st.OpenConnections != 3 || st.InUse != 0 {
		t.Fatalf("after Warm: %d open, %d in use; want 3 open, none in use", st.OpenConnections, st.InUse)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Ping(ctx); err != nil {
		t.Fatalf("the pool after Warm: %v", err)
	}
}

// TestLimitConns checks that LimitConns only ever lowers the pool's bound
// and that the pool keeps to it.
func TestLimitConns(t *testing.T) {
	s, err := OpenPostgresDriver(PostgresDriver, testenv.NewDatabase(t), 16)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	for _, c := range []struct{ n, want int }{{3, 3}, {20, 3}, {0, 3}, {2, 2}} {
		if got := s.LimitConns(c.n); got != c.want {
			t.Fatalf("LimitConns(%d) = %d, want %d", c.n, got, c.want)
		}
	}
	s.Warm(context.Background(), 8)
	if st := s.db.Stats(); st.OpenConnections != 2 || st.MaxOpenConnections != 2 {
		t.Fatalf("after Warm(8): %d open of at most %d; want 2 of 2", st.OpenConnections, st.MaxOpenConnections)
	}
}
