// Package rest is the service's plain net/http surface: the Knovvu-compatible
// route that fetches one hour's report, conversation ingestion, health,
// readiness and the documents that describe the API. Handlers parse, call one function of an internal
// package and translate the result; the data layer decides what a tenant may
// see.
package rest

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/dailyreports/dailyreports/internal/auth"
	"github.com/dailyreports/dailyreports/internal/ingest"
	"github.com/dailyreports/dailyreports/internal/metrics"
	"github.com/dailyreports/dailyreports/internal/reports"
	"github.com/dailyreports/dailyreports/internal/store"
)

// API holds the dependencies of the REST handlers.
type API struct {
	Store   *store.Store
	Reports *reports.Service
	Auth    auth.Verifier
	Metrics *metrics.Metrics
	Log     *slog.Logger
	// Ready checks each dependency for /readyz, by name.
	Ready map[string]func(context.Context) error
	// Limits bound ingestion batches.
	Limits ingest.Limits
	// Budget bounds the bodies of the batches in flight; nil means no bound.
	Budget *ingest.Budget
	// RateLimit limits each principal's request rate; nil means no limit.
	RateLimit *RateLimiter
	// Now is the clock (nil means time.Now).
	Now func() time.Time
	// PublicURL is the base URL clients reach the service at: the server
	// of the OpenAPI document and the OAuth issuer.
	PublicURL string
}

func (a *API) now() time.Time {
	if a.Now != nil {
		return a.Now().UTC()
	}
	return time.Now().UTC()
}

// Routes registers the REST routes on mux, behind the shared middleware.
// Other handlers (GraphQL, the token endpoint, /metrics unless it is on
// the operations listener) may be added to mux too.
func (a *API) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/external/conversations/daily-report/{utcDay}/{utcHour}", a.getReport)
	mux.HandleFunc("HEAD /api/external/conversations/daily-report/{utcDay}/{utcHour}", a.getReport)
	mux.HandleFunc("POST /api/external/conversations", a.ingest)
	mux.HandleFunc("GET /healthz", a.healthz)
	mux.HandleFunc("GET /readyz", a.readyz)
	a.describeRoutes(mux)
}

// Handler wraps mux in the middleware every route shares: request ids and
// logs, metrics, panic recovery, authentication, the rate limit, and
// problem details for every error under /api/, those of net/http included.
func (a *API) Handler(mux *http.ServeMux) http.Handler {
	return a.observe(mux, a.recoverPanics(auth.Middleware(a.Auth)(a.limit(problemsOnly(mux)))))
}
