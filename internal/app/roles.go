package app

import (
	"context"
	"fmt"
	"net/http"
	"sync"

	"github.com/hibiken/asynq"

	"github.com/dailyreports/dailyreports/graph"
	"github.com/dailyreports/dailyreports/internal/admin"
	"github.com/dailyreports/dailyreports/internal/auth"
	"github.com/dailyreports/dailyreports/internal/console"
	"github.com/dailyreports/dailyreports/internal/embedded"
	"github.com/dailyreports/dailyreports/internal/ingest"
	"github.com/dailyreports/dailyreports/internal/oauth"
	"github.com/dailyreports/dailyreports/internal/ops"
	"github.com/dailyreports/dailyreports/internal/rest"
	"github.com/dailyreports/dailyreports/internal/retention"
	"github.com/dailyreports/dailyreports/internal/runs"
	"github.com/dailyreports/dailyreports/jobs"
)

// FetchRoutes are the routes that fetch reports, whose HTTP series the
// dashboard shows from the start.
var FetchRoutes = []string{
	"GET /api/external/conversations/daily-report/{utcDay}/{utcHour}",
	"POST /graphql",
}

// Handler returns the HTTP handler of the API role: with OPS_ADDR unset,
// /metrics too; with tracing on, each request a span.
func (a *App) Handler() http.Handler {
	var verifier auth.Verifier = a.Signer
	if url := a.Config.AuthJWKSURL; url != "" {
		ctx, cancel := context.WithCancel(context.Background())
		a.closers = append(a.closers, func() error { cancel(); return nil })
		jwks, err := auth.NewJWKS(ctx, auth.JWKSConfig{URL: url, Issuer: a.Config.AuthIssuer, Audience: a.Config.AuthAudience, Log: a.Log})
		if err != nil {
			a.Log.Error("AUTH_JWKS_URL: the identity provider's tokens are refused", "err", err)
		} else {
			verifier = auth.Chain{a.Signer, jwks}
		}
	}
	limits := ingest.DefaultLimits()
	limits.Now = a.now
	api := &rest.API{
		Store:     a.Store,
		Reports:   a.Reports,
		Auth:      verifier,
		Metrics:   a.Metrics,
		Log:       a.Log,
		Limits:    limits,
		Budget:    ingest.DefaultBudget(a.Config.MemoryLimit, a.Metrics.IngestBytes),
		RateLimit: &rest.RateLimiter{PerSecond: a.Config.RateLimit, Burst: a.Config.RateBurst},
		PublicURL: a.Config.PublicURL,
		Ready:     a.readiness([]string{"api"}),
		Now:       a.now,
	}
	queue := asynq.NewClient(a.Redis)
	a.closers = append(a.closers, queue.Close)
	a.Reports.Queue = &jobs.QueueExecutor{Client: queue, Log: a.Log}
	clients := &oauth.Clients{Store: a.Store}
	resolver := &graph.Resolver{
		Admin:   &admin.Admin{Store: a.Store, Log: a.Log, SettingsChanged: a.Retention().SyncLifecycle},
		Clients: clients,
		Reports: a.Reports,
		Hooks:   a.Webhooks,
		Runs:    &runs.Service{Store: a.Store},
	}
	mux := http.NewServeMux()
	api.Routes(mux)
	graph.Mount(mux, resolver, graph.Options{Playground: a.Config.Playground, Log: a.Log})
	mux.Handle("POST /connect/token", &oauth.Handler{Clients: clients, Issuer: a.Signer, Log: a.Log})
	if c, err := console.Handler(a.Config.PublicURL); err != nil {
		a.Log.Error("console: not served", "err", err)
	} else {
		mux.Handle("GET /console", c)
		mux.Handle("GET /console/", c)
	}
	if s3 := a.Embedded.S3; s3 != nil {
		mux.Handle("GET "+embedded.LinksPath+"/", s3.Links())
	}
	if a.Config.OpsAddr == "" {
		mux.Handle("GET /metrics", a.Metrics.Handler())
	}
	a.Metrics.PrecreateRoutes(FetchRoutes...)
	h := a.untilPrepared(api.Handler(mux))
	if a.Config.Tracing {
		return ops.TraceHTTP(h)
	}
	return h
}

// StartWorker runs the worker role; stop shuts it down: it stops taking
// tasks, gives back at once the runs and chunks that wait (they resume on
// another worker from the database), and lets builds in flight finish or
// go back to the queue.
func (a *App) StartWorker() (stop func(), err error) {
	client := asynq.NewClient(a.Redis)
	inspector := asynq.NewInspector(a.Redis)
	a.closers = append(a.closers, client.Close, inspector.Close)
	runner := a.Runner()
	stopping := make(chan struct{})
	runner.Stopping = stopping
	h := &jobs.Handlers{
		Runner:    runner,
		Executor:  &jobs.QueueExecutor{Runner: runner, Client: client, Inspector: inspector, Log: a.Log},
		Reconcile: &jobs.Reconciler{Store: a.Store, Slot: a.Config.ReconcileInterval},
		Retention: a.Retention(),
		Webhooks:  a.Webhooks,
		Erasures:  a.Reports,
		Now:       a.now,
		Observer:  &jobs.RunObserver{Metrics: a.Metrics, Nightly: a.Nightly, Log: a.Log},
	}
	srv := jobs.NewServer(a.Redis, jobs.ServerConfig{
		Concurrency: a.Config.WorkerConcurrency, ShutdownTimeout: a.Config.ShutdownTimeout,
	}, a.Log)
	mux := h.Mux()
	mux.Use(jobs.WithTrace, jobs.WithTaskID)
	if err := srv.Start(mux); err != nil {
		return nil, fmt.Errorf("worker: %w", err)
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			srv.Stop() // no new task: what is given back goes to another worker
			close(stopping)
			srv.Shutdown()
		})
	}, nil
}

// Retention returns the retention service over the shared clients: the
// worker's nightly sweep, and SyncLifecycle for the tenant mutations.
func (a *App) Retention() *retention.Service {
	return &retention.Service{Store: a.Store, Bucket: a.Blob, Log: a.Log}
}

// StartScheduler runs the scheduler role.
func (a *App) StartScheduler() (stop func(), err error) {
	s, err := jobs.NewScheduler(a.Redis, a.Config.ReportSchedule, a.Config.ReconcileInterval, a.Log)
	if err != nil {
		return nil, err
	}
	if err := s.Start(); err != nil {
		return nil, fmt.Errorf("scheduler: %w", err)
	}
	return s.Shutdown, nil
}
