package app

import (
	"context"
	"net/http"
	"slices"

	"github.com/dailyreports/dailyreports/internal/rest"
)

// ProbeHandler returns the HTTP handler of a process without the API role:
// /healthz, /metrics, and /readyz checking what its roles depend on (the
// worker: database, Redis and object storage; the scheduler: Redis).
func (a *App) ProbeHandler(roles []string) http.Handler {
	rdb := a.redisClient()
	ready := map[string]func(context.Context) error{
		"redis": func(ctx context.Context) error { return rdb.Ping(ctx).Err() },
	}
	if slices.Contains(roles, "worker") {
		ready["database"] = a.Store.Ping
		ready["storage"] = a.Blob.Ping
	}
	api := &rest.API{Metrics: a.Metrics, Log: a.Log, Ready: ready}
	mux := http.NewServeMux()
	api.ProbeRoutes(mux)
	return mux
}
