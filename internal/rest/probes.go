package rest

import "net/http"

// ProbeRoutes registers only the health, readiness and metrics routes: the
// HTTP surface of a process without the API role, so worker and scheduler
// processes have health checks and expose their metrics too.
func (a *API) ProbeRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /healthz", a.healthz)
	mux.HandleFunc("GET /readyz", a.readyz)
	mux.Handle("GET /metrics", a.Metrics.Handler())
}
