package app

import (
	"context"
	"net/http"
	"slices"

	"github.com/dailyreports/dailyreports/internal/rest"
)

// ProbeHandler returns the HTTP handler of a process without the API role:
// /healthz, /readyz checking what its roles depend on, and /metrics unless
// the operations listener serves it.
func (a *App) ProbeHandler(roles []string) http.Handler {
	mux := a.probes(roles)
	if a.Config.OpsAddr == "" {
		mux.Handle("GET /metrics", a.Metrics.Handler())
	}
	return mux
}

// OpsHandler returns the handler of the operations listener (OPS_ADDR):
// /metrics, /healthz and /readyz, without a token.
func (a *App) OpsHandler(roles []string) http.Handler {
	mux := a.probes(roles)
	mux.Handle("GET /metrics", a.Metrics.Handler())
	return mux
}

// probes returns a mux with /healthz and /readyz for roles.
func (a *App) probes(roles []string) *http.ServeMux {
	api := &rest.API{Metrics: a.Metrics, Log: a.Log, Ready: a.readiness(roles)}
	mux := http.NewServeMux()
	api.ProbeRoutes(mux)
	return mux
}

// readiness returns the checks of /readyz for roles: the API and the
// worker need the database (and its schema current), Redis and object
// storage; the scheduler Redis.
func (a *App) readiness(roles []string) map[string]func(context.Context) error {
	rdb := a.redisClient()
	ready := map[string]func(context.Context) error{
		"redis": func(ctx context.Context) error { return rdb.Ping(ctx).Err() },
	}
	if slices.Contains(roles, "api") || slices.Contains(roles, "worker") {
		ready["database"] = a.databaseReady
		ready["storage"] = a.Blob.Ping
	}
	return ready
}

// untilPrepared answers every request but the probes with 503 until Prepare
// has succeeded, so no request runs on a schema being migrated or older
// than this binary.
func (a *App) untilPrepared(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case a.prepared.Load(), r.URL.Path == "/healthz", r.URL.Path == "/readyz", r.URL.Path == "/metrics":
			next.ServeHTTP(w, r)
			return
		}
		// The problem document of internal/rest, which is not reached yet.
		w.Header().Set("Content-Type", "application/problem+json")
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Retry-After", "5")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(`{"type":"urn:dailyreports:problem:unavailable","title":"Service Unavailable",` +
			`"status":503,"detail":"the service is starting: its database schema is not ready yet"}` + "\n"))
	})
}
