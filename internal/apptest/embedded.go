package apptest

import (
	"context"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/dailyreports/dailyreports/internal/app"
	"github.com/dailyreports/dailyreports/internal/config"
)

// NewEmbedded starts the API role of a service on the embedded defaults (no
// DATABASE_URL, REDIS_URL or S3_ENDPOINT): an SQLite file, in-process Redis
// and S3, all kept in dataDir. Starting another on the same dataDir after
// stop is a restart. stop shuts the API down and closes the clients (stop a
// worker first); it also runs when the test ends.
func NewEmbedded(t testing.TB, dataDir string, env map[string]string) (e *Env, stop func()) {
	t.Helper()
	vars := map[string]string{"DATA_DIR": dataDir, "LOG_LEVEL": "warn", "SHUTDOWN_TIMEOUT": "5s"}
	for k, v := range env {
		vars[k] = v
	}
	cfg, err := config.FromEnv(func(k string) string { return vars[k] })
	if err != nil {
		t.Fatalf("apptest: config: %v", err)
	}
	a, err := app.Open(cfg, Logger(t))
	if err != nil {
		t.Fatalf("apptest: open: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := a.Prepare(ctx, true); err != nil {
		a.Close()
		t.Fatalf("apptest: prepare: %v", err)
	}
	srv := httptest.NewServer(a.Handler())
	e = &Env{T: t, App: a, URL: srv.URL}
	var once sync.Once
	stop = func() {
		once.Do(func() {
			srv.Close()
			a.Close()
		})
	}
	t.Cleanup(stop)
	return e, stop
}
