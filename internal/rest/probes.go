package rest

import "net/http"

// ProbeRoutes registers only the health and readiness routes: with
// /metrics, the HTTP surface of a process without the API role, and of the
// operations listener.
func (a *API) ProbeRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /healthz", a.healthz)
	mux.HandleFunc("GET /readyz", a.readyz)
}
