package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dailyreports/dailyreports/internal/store/migration"
	"github.com/dailyreports/dailyreports/internal/testenv"
)

// freeAddr returns a loopback address nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// get returns the status and body of GET url (0 when nothing answers).
func get(url string) (int, string) {
	resp, err := http.Get(url)
	if err != nil {
		return 0, ""
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestServeNoMigrateWaitsForTheSchema runs `serve --no-migrate` on an empty
// database: it is unready, its API answers 503, until `migrate` (another
// process) brings the schema to its version; then it serves.
func TestServeNoMigrateWaitsForTheSchema(t *testing.T) {
	vars := cliEnv(t, testenv.SharedMinIO(t))
	vars["HTTP_ADDR"] = freeAddr(t)
	base := "http://" + vars["HTTP_ADDR"]
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, _, err := runCmd(ctx, vars, "serve", "--no-migrate", "--roles", "api")
		done <- err
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	deadline := time.Now().Add(20 * time.Second)
	for {
		status, body := get(base + "/readyz")
		if status == http.StatusServiceUnavailable {
			var checks map[string]string
			if err := json.Unmarshal([]byte(body), &checks); err != nil || checks["database"] != "unavailable" || checks["storage"] != "ok" {
				t.Fatalf("readyz %s", body)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("readyz %d %s, want 503 naming the database", status, body)
		}
		time.Sleep(50 * time.Millisecond)
	}
	status, body := get(base + "/api/external/conversations/daily-report/2026-01-01/1")
	if status != http.StatusServiceUnavailable || !strings.Contains(body, "urn:dailyreports:problem:unavailable") {
		t.Fatalf("API while waiting: %d %s", status, body)
	}
	if _, stderr, err := runCmd(context.Background(), vars, "migrate"); err != nil {
		t.Fatalf("migrate: %v %s", err, stderr)
	}
	deadline = time.Now().Add(30 * time.Second)
	for {
		if status, _ := get(base + "/readyz"); status == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("serve --no-migrate never became ready after migrate")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if status, body := get(base + "/api/external/conversations/daily-report/2026-01-01/1"); status != http.StatusUnauthorized {
		t.Fatalf("API once ready, without a token: %d %s", status, body)
	}
}

// TestCommandsRefuseNewerSchema checks every command that uses the database
// refuses one migrated by a newer binary, saying so, and that serve exits
// rather than wait.
func TestCommandsRefuseNewerSchema(t *testing.T) {
	vars := cliEnv(t, testenv.SharedMinIO(t))
	vars["HTTP_ADDR"] = freeAddr(t)
	ctx := context.Background()
	if _, stderr, err := runCmd(ctx, vars, "migrate"); err != nil {
		t.Fatalf("migrate: %v %s", err, stderr)
	}
	db, err := sql.Open("postgres", vars["DATABASE_URL"])
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`INSERT INTO ` + migration.RevisionsTable + ` (version, description, type, applied, total,
	  executed_at, execution_time, hash, operator_version) VALUES ('20991231000000', 'future', 2, 1, 1, now(), 0, '', 'future')`); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"migrate"},
		{"tenant", "list"},
		{"generate", "--day", "2026-01-01"},
		{"seed", "--tenants", "1", "--day", "2026-01-01"},
		{"serve", "--roles", "api"},
		{"serve", "--no-migrate", "--roles", "api"},
	} {
		cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		_, _, err := runCmd(cctx, vars, args...)
		cancel()
		if err == nil || !strings.Contains(err.Error(), "it is at version 20991231000000, newer than this binary knows") ||
			!strings.Contains(err.Error(), "run a newer dailyreports") {
			t.Errorf("%s: %v", strings.Join(args, " "), err)
		}
	}
}
