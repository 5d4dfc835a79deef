package apptest

import (
	"sync"
	"testing"
)

// NewEmbedded starts the API role of a service on the embedded defaults (no
// DATABASE_URL, REDIS_URL or S3_ENDPOINT): an SQLite file, in-process Redis
// and S3, all kept in dataDir. Starting another on the same dataDir after
// stop is a restart. PUBLIC_URL is the test server's URL unless env sets
// it, so the embedded store's links are served by the test server. stop
// shuts the API down and closes the clients (stop a worker first); it also
// runs when the test ends.
func NewEmbedded(t testing.TB, dataDir string, env map[string]string) (e *Env, stop func()) {
	t.Helper()
	vars := map[string]string{"DATA_DIR": dataDir, "LOG_LEVEL": "warn", "SHUTDOWN_TIMEOUT": "5s", "PUBLIC_URL": ""}
	a, srv := start(t, vars, env, nil)
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
