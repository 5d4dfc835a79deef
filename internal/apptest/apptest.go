// Package apptest runs the whole service for end-to-end tests on real
// PostgreSQL, Redis and MinIO: a fresh database, an exclusive Redis database
// and a bucket of the test's own, assembled by internal/app exactly as the
// binary does. It is imported only by tests.
package apptest

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/dailyreports/dailyreports/internal/app"
	"github.com/dailyreports/dailyreports/internal/config"
	"github.com/dailyreports/dailyreports/internal/logging"
	"github.com/dailyreports/dailyreports/internal/rest"
	"github.com/dailyreports/dailyreports/internal/store"
	"github.com/dailyreports/dailyreports/internal/testenv"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// Env is one running service.
type Env struct {
	T   testing.TB
	App *app.App
	// URL is the base URL of the API role.
	URL   string
	MinIO *testenv.MinIO
	// DatabaseURL is the service's PostgreSQL database.
	DatabaseURL string
}

// Options adjust the environment.
type Options struct {
	// MinIO is the server to use; nil means the package's shared server.
	MinIO *testenv.MinIO
	// Env overrides configuration variables.
	Env map[string]string
	// Now is the service's clock; nil means the system clock.
	Now func() time.Time
	// DatabaseURL is a database the test prepared (testenv.NewDatabase),
	// e.g. loaded with an older release's data; "" means a fresh one.
	DatabaseURL string
}

// SigningKey is the HS256 key of test environments.
const SigningKey = "test-signing-key-0123456789abcdef-0123456789"

// New starts the API role of a fresh service; the worker and scheduler
// roles start on demand (StartWorker).
func New(t testing.TB, opts Options) *Env {
	t.Helper()
	m := opts.MinIO
	if m == nil {
		m = testenv.SharedMinIO(t)
	}
	dbURL := opts.DatabaseURL
	if dbURL == "" {
		dbURL = testenv.NewDatabase(t)
	}
	addr, db := testenv.NewRedis(t)
	vars := map[string]string{
		"DATABASE_URL":     dbURL,
		"REDIS_URL":        fmt.Sprintf("redis://%s/%d", addr, db),
		"S3_ENDPOINT":      m.Endpoint,
		"S3_ACCESS_KEY":    m.AccessKey,
		"S3_SECRET_KEY":    m.SecretKey,
		"S3_BUCKET":        testenv.NewBucket(t, m),
		"AUTH_SIGNING_KEY": SigningKey,
		"LOG_LEVEL":        "warn",
		"SHUTDOWN_TIMEOUT": "5s",
		// Tests fire bursts from one token; the rate limit has its own test.
		"RATE_LIMIT":       "0",
		"RETRY_PASS_DELAY": "50ms",
	}
	a, srv := start(t, vars, opts.Env, opts.Now)
	t.Cleanup(a.Close)
	t.Cleanup(srv.Close)
	return &Env{T: t, App: a, URL: srv.URL, MinIO: m, DatabaseURL: dbURL}
}

// start opens a service configured by vars with env laid over them, on
// clock now (nil: the system clock), prepares it (schema, bucket) and serves
// its API on a test server; the caller closes both.
func start(t testing.TB, vars, env map[string]string, now func() time.Time) (*app.App, *httptest.Server) {
	t.Helper()
	// The test server listens from here on, so its address can be PUBLIC_URL.
	srv := httptest.NewUnstartedServer(nil)
	if u, ok := vars["PUBLIC_URL"]; ok && u == "" {
		vars["PUBLIC_URL"] = "http://" + srv.Listener.Addr().String()
	}
	maps.Copy(vars, env)
	cfg, err := config.FromEnv(func(k string) string { return vars[k] })
	if err != nil {
		srv.Listener.Close()
		t.Fatalf("apptest: config: %v", err)
	}
	a, err := app.Open(cfg, Logger(t))
	if err != nil {
		srv.Listener.Close()
		t.Fatalf("apptest: open: %v", err)
	}
	a.Clock = now
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := a.Prepare(ctx, true); err != nil {
		a.Close()
		srv.Listener.Close()
		t.Fatalf("apptest: prepare: %v", err)
	}
	// The test server runs the API as serve does: behind the HTTP server
	// every listener has (nosniff, minimum body rate).
	srv.Config = rest.NewServer(a.Handler(), rest.DefaultServerOptions())
	srv.Start()
	return a, srv
}

// Logger returns a logger for tests: warnings and errors on stderr, more
// with APPTEST_LOG=debug.
func Logger(t testing.TB) *slog.Logger {
	level := slog.LevelWarn
	if os.Getenv("APPTEST_LOG") == "debug" {
		level = slog.LevelDebug
	}
	return logging.New(os.Stderr, level)
}

// StartWorker starts a worker role of the service; it stops with the test.
func (e *Env) StartWorker() (stop func()) {
	e.T.Helper()
	stop, err := e.App.StartWorker()
	if err != nil {
		e.T.Fatalf("apptest: worker: %v", err)
	}
	e.T.Cleanup(stop)
	return stop
}

// System returns a context acting as the service itself.
func System() context.Context { return viewer.SystemContext(context.Background(), "test") }

// Tenant creates a tenant with reports enabled and a retention of months.
func (e *Env) Tenant(name string, enabled bool, months int) uuid.UUID {
	e.T.Helper()
	t, err := e.App.Store.CreateTenant(System(), name, store.TenantSettings{Enabled: enabled, RetentionMonths: months})
	if err != nil {
		e.T.Fatalf("apptest: create tenant: %v", err)
	}
	return t.ID
}

// Token issues a token for tenant (uuid.Nil for a host token) with scopes.
func (e *Env) Token(tenant uuid.UUID, scopes ...string) string {
	e.T.Helper()
	tok, _, err := e.App.Signer.Issue("test", tenant, scopes, time.Hour)
	if err != nil {
		e.T.Fatalf("apptest: token: %v", err)
	}
	return tok
}

// Do sends a request with an optional bearer token and headers.
func (e *Env) Do(method, path, token string, body []byte, headers ...string) *http.Response {
	e.T.Helper()
	req, err := http.NewRequest(method, e.URL+path, bytes.NewReader(body))
	if err != nil {
		e.T.Fatalf("apptest: request: %v", err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.T.Fatalf("apptest: %s %s: %v", method, path, err)
	}
	return resp
}

// Read reads and closes a response body.
func Read(t testing.TB, resp *http.Response) []byte {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("apptest: read body: %v", err)
	}
	return b
}

// Ingest posts conversations (any JSON-encodable values) for the tenant of
// token and fails the test unless they are accepted.
func (e *Env) Ingest(token string, convs any) {
	e.T.Helper()
	body, err := json.Marshal(convs)
	if err != nil {
		e.T.Fatalf("apptest: encode: %v", err)
	}
	resp := e.Do(http.MethodPost, "/api/external/conversations", token, body, "Content-Type", "application/json")
	if b := Read(e.T, resp); resp.StatusCode != http.StatusOK {
		e.T.Fatalf("apptest: ingest: %d %s", resp.StatusCode, strings.TrimSpace(string(b)))
	}
}

// ReportPath is the REST path of one hour's report.
func ReportPath(day string, hour int, compressed bool) string {
	return fmt.Sprintf("/api/external/conversations/daily-report/%s/%d?compressed=%t", day, hour, compressed)
}

// Built returns how many chunks the service built and stored from source
// (job, live, generate).
func (e *Env) Built(source string) float64 {
	return testutil.ToFloat64(e.App.Metrics.ChunksBuilt.WithLabelValues(source))
}

// SQL runs a statement on the service's database as a bystander would, for
// tests that look at or change rows the service offers no operation for
// (tenant deletion, counts), and returns the first column of each row.
func (e *Env) SQL(query string, args ...any) []string {
	e.T.Helper()
	db, err := sql.Open("postgres", e.DatabaseURL)
	if err != nil {
		e.T.Fatalf("apptest: open database: %v", err)
	}
	defer db.Close()
	rows, err := db.Query(query, args...)
	if err != nil {
		e.T.Fatalf("apptest: %s: %v", query, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v sql.NullString
		if err := rows.Scan(&v); err != nil {
			e.T.Fatalf("apptest: %s: %v", query, err)
		}
		out = append(out, v.String)
	}
	if err := rows.Err(); err != nil {
		e.T.Fatalf("apptest: %s: %v", query, err)
	}
	return out
}
