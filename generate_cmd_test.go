package main

import (
	"context"
	"database/sql"
	"net/url"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/dailyreports/dailyreports/internal/store"
	"github.com/dailyreports/dailyreports/internal/testenv"
)

// TestGenerateCommandConnections checks that generate opens one database
// connection per core and one more, not one per parallel build: each costs
// PostgreSQL a process start, and a one-shot command pays them all.
func TestGenerateCommandConnections(t *testing.T) {
	vars := cliEnv(t, testenv.SharedMinIO(t))
	ctx := context.Background()
	out, stderr, err := runCmd(ctx, vars, "seed", "--tenants", "1", "--day", "2026-01-02", "--conversations-per-hour", "20")
	if err != nil {
		t.Fatalf("seed: %v %s", err, stderr)
	}
	tenant := strings.Fields(out)[0]
	counter := openSessions(t, vars["DATABASE_URL"])
	before := counter.settled(t)
	out, stderr, err = runCmd(ctx, vars, "generate", "--day", "2026-01-02", "--tenant", tenant)
	if err != nil || !strings.Contains(out, "chunks 24, stored 24, failed 0") {
		t.Fatalf("generate: %v %q %s", err, out, stderr)
	}
	opened := counter.settled(t) - before
	if most := runtime.NumCPU() + 1; opened < 1 || opened > most {
		t.Fatalf("generate opened %d connections, want 1 to %d (cores + 1)", opened, most)
	}
}

// TestGenerateCommandMigratesFirst checks that generate on a database
// without its schema migrates it, on the smallest pool: the migration's lock
// holds one connection while the others are opened beside it.
func TestGenerateCommandMigratesFirst(t *testing.T) {
	vars := cliEnv(t, testenv.SharedMinIO(t))
	vars["DATABASE_MAX_CONNS"] = "2"
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, stderr, err := runCmd(ctx, vars, "generate", "--day", "2026-01-02", "--hour", "3")
	if err != nil || !strings.Contains(out, "chunks 0, stored 0, failed 0") {
		t.Fatalf("generate on a fresh database: %v %q %s", err, out, stderr)
	}
	s, err := store.OpenPostgres(vars["DATABASE_URL"])
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.CheckSchema(ctx); err != nil {
		t.Fatalf("the schema after generate: %v", err)
	}
}

// sessions reads how many sessions a database has had, from a connection
// to another database (it does not count itself).
type sessions struct {
	admin *sql.DB
	name  string
}

func openSessions(t *testing.T, dbURL string) *sessions {
	t.Helper()
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	admin, err := sql.Open("postgres", testenv.PostgresURL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = admin.Close() })
	return &sessions{admin: admin, name: strings.TrimPrefix(u.Path, "/")}
}

// settled waits until no session of the database is left and its count of
// sessions stands still: an ending session leaves pg_stat_activity just
// before it flushes its statistics. It returns the sessions the database has
// had.
func (s *sessions) settled(t *testing.T) int {
	t.Helper()
	ctx := context.Background()
	last := -1
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		var open, n int
		// Each statement is its own transaction: no cached statistics snapshot.
		err := s.admin.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM pg_stat_activity WHERE datname = $1),
			(SELECT sessions FROM pg_stat_database WHERE datname = $1)`, s.name).Scan(&open, &n)
		if err != nil {
			t.Fatal(err)
		}
		if open == 0 && n == last {
			return n
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d sessions of %s still open", open, s.name)
		}
		last = n
		if open > 0 {
			last = -1
		}
	}
}
