package testenv

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/lib/pq"
)

// PostgresURL returns the URL of the PostgreSQL server the tests use: env
// TEST_DATABASE_URL, or the local server as the postgres superuser.
func PostgresURL() string {
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

// NewDatabase creates an empty database with a unique name derived from the
// test's name on the PostgresURL server and returns its URL. The database is
// dropped, forcibly closing any connections left open, when the test ends.
// The test fails at once if PostgreSQL does not answer.
func NewDatabase(tb testing.TB) string {
	tb.Helper()
	base := PostgresURL()
	name := uniqueName("t", tb.Name(), '_', 63)
	dbURL, err := withDatabase(base, name)
	if err != nil {
		tb.Fatalf("testenv: TEST_DATABASE_URL: %v", err)
	}
	if err := adminExec(base, "CREATE DATABASE "+pq.QuoteIdentifier(name)); err != nil {
		tb.Fatalf("testenv: create database %s on %s: %v (is PostgreSQL running? `make test` starts it)", name, redact(base), err)
	}
	tb.Cleanup(func() {
		if err := adminExec(base, "DROP DATABASE IF EXISTS "+pq.QuoteIdentifier(name)+" WITH (FORCE)"); err != nil {
			tb.Errorf("testenv: drop database %s: %v", name, err)
		}
	})
	return dbURL
}

// adminExec runs one statement on the server's own database, outside any
// transaction (CREATE and DROP DATABASE refuse to run inside one). While
// the server has no connection slot free (tests of other packages at their
// peak), it tries again for up to 30 seconds.
func adminExec(serverURL, stmt string) error {
	db, err := sql.Open("postgres", serverURL)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		_, err = db.ExecContext(ctx, stmt)
		var pqErr *pq.Error
		if !errors.As(err, &pqErr) || pqErr.Code != "53300" {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// withDatabase returns serverURL with its database replaced by name.
func withDatabase(serverURL, name string) (string, error) {
	u, err := url.Parse(serverURL)
	if err != nil {
		return "", err
	}
	if u.Scheme != "postgres" && u.Scheme != "postgresql" {
		return "", fmt.Errorf("want a postgres:// URL")
	}
	u.Path = "/" + name
	u.RawPath = ""
	return u.String(), nil
}

// redact hides the password of a URL for messages.
func redact(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}
