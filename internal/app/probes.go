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
// worker need the database, Redis and object storage; the scheduler Redis.
func (a *App) readiness(roles []string) map[string]func(context.Context) error {
	rdb := a.redisClient()
	ready := map[string]func(context.Context) error{
		"redis": func(ctx context.Context) error { return rdb.Ping(ctx).Err() },
	}
	if slices.Contains(roles, "api") || slices.Contains(roles, "worker") {
		ready["database"] = a.Store.Ping
		ready["storage"] = a.Blob.Ping
	}
	return ready
}
