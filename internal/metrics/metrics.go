// Package metrics holds the service's Prometheus collectors, registered on a
// registry of their own so tests and several roles in one process never
// collide.
package metrics

import (
	"net/http"
	"slices"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the collectors of one process.
type Metrics struct {
	Registry *prometheus.Registry

	// ChunksBuilt counts reports built and stored, by source (Sources).
	ChunksBuilt *prometheus.CounterVec
	// ChunksFailed counts failed builds, by reason (FailReasons).
	ChunksFailed *prometheus.CounterVec
	// BuildSeconds is the duration of a chunk build, upload included, by source.
	BuildSeconds *prometheus.HistogramVec
	// ReportBytes counts the zip bytes built, by source.
	ReportBytes *prometheus.CounterVec
	// LiveBuilds is the number of live builds in flight.
	LiveBuilds prometheus.Gauge
	// HTTPRequests counts HTTP requests by route, method and status.
	HTTPRequests *prometheus.CounterVec
	// HTTPSeconds is the latency of HTTP requests by route.
	HTTPSeconds *prometheus.HistogramVec
	// IngestBytes is the part of the ingestion budget that batches in
	// flight hold, in bytes of body.
	IngestBytes prometheus.Gauge
	// LiveBuildsRefused counts requests refused because their tenant's live
	// builds were at the cap.
	LiveBuildsRefused prometheus.Counter
	// BuildsDeduplicated counts builds that did not store a second copy of
	// a report another build of the same hour and data version stores, by
	// outcome (DedupOutcomes).
	BuildsDeduplicated *prometheus.CounterVec
	// RunsFinished counts generation runs that finished every pass, by kind
	// (RunKinds).
	RunsFinished *prometheus.CounterVec
	// ChunksGivenUp counts chunks still FAILED once their run's last retry
	// pass is over, by the run's kind.
	ChunksGivenUp *prometheus.CounterVec
	// Nightly is the UTC day of the last nightly run that finished every
	// pass, read from where the workers record it (SetNightlySource).
	Nightly *NightlyCollector
}

// Sources are the values of the source label: what built a chunk (the
// nightly job, the generate command, a live build for a request).
var Sources = []string{"job", "generate", "live"}

// FailReasons are the values of the reason label of failed builds.
var FailReasons = []string{"database", "storage", "timeout", "canceled", "internal"}

// DedupOutcomes are the values of the outcome label of deduplicated builds:
// the report was stored already when the build claimed the hour (stored);
// it waited for another build's report and served or recorded it (waited);
// a live request waited past its bound and served its own build without
// storing it (unstored); a build lost its claim to a newer or taking-over
// build and did not store (taken_over).
var DedupOutcomes = []string{"stored", "waited", "unstored", "taken_over"}

// RunKinds are the values of the kind label of runs: what planned them
// (the nightly job, the reconcile, a regenerate request, the generate
// command).
var RunKinds = []string{"nightly", "reconcile", "manual", "generate"}

// methods are the HTTP methods counted by name; any other is "other".
var methods = []string{
	http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
	http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace,
}

// Method is the method label of a request: its method if standard, else
// "other", so methods a client invents never become label values.
func Method(m string) string {
	if slices.Contains(methods, m) {
		return m
	}
	return "other"
}

// New creates and registers the collectors.
func New() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		ChunksBuilt: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dailyreports_chunks_built_total", Help: "Report chunks built and stored.",
		}, []string{"source"}),
		ChunksFailed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dailyreports_chunks_failed_total", Help: "Report chunk builds that failed, by reason.",
		}, []string{"reason"}),
		BuildSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "dailyreports_chunk_build_seconds", Help: "Duration of chunk builds, upload included.",
			Buckets: prometheus.ExponentialBuckets(0.005, 2.5, 10),
		}, []string{"source"}),
		ReportBytes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dailyreports_report_bytes_total", Help: "Zip bytes of the reports built.",
		}, []string{"source"}),
		LiveBuilds: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "dailyreports_live_builds_in_flight", Help: "Live report builds in flight.",
		}),
		HTTPRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dailyreports_http_requests_total", Help: "HTTP requests by route, method and status.",
		}, []string{"route", "method", "status"}),
		HTTPSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "dailyreports_http_request_seconds", Help: "HTTP request latency by route.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route"}),
		IngestBytes: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "dailyreports_ingest_budget_bytes_in_use", Help: "Bytes of the ingestion budget held by batches in flight.",
		}),
		LiveBuildsRefused: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "dailyreports_live_builds_refused_total", Help: "Requests refused because their tenant's live builds were at the cap.",
		}),
		BuildsDeduplicated: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dailyreports_report_builds_deduplicated_total",
			Help: "Builds that did not store a report another build of the same hour and data version stores, by outcome.",
		}, []string{"outcome"}),
		RunsFinished: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dailyreports_runs_finished_total", Help: "Generation runs that finished every pass, by kind.",
		}, []string{"kind"}),
		ChunksGivenUp: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dailyreports_chunks_given_up_total", Help: "Chunks still FAILED after their run's last retry pass, by run kind.",
		}, []string{"kind"}),
		Nightly: &NightlyCollector{},
	}
	m.precreate()
	m.Registry.MustRegister(m.ChunksBuilt, m.ChunksFailed, m.BuildSeconds, m.ReportBytes,
		m.LiveBuilds, m.HTTPRequests, m.HTTPSeconds, m.IngestBytes,
		m.LiveBuildsRefused, m.BuildsDeduplicated, m.RunsFinished, m.ChunksGivenUp, m.Nightly,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// precreate makes every series of a fixed label set exist from the start,
// at zero, so dashboards and alerts see them before the first event.
func (m *Metrics) precreate() {
	for _, s := range Sources {
		m.ChunksBuilt.WithLabelValues(s)
		m.BuildSeconds.WithLabelValues(s)
		m.ReportBytes.WithLabelValues(s)
	}
	for _, r := range FailReasons {
		m.ChunksFailed.WithLabelValues(r)
	}
	for _, o := range DedupOutcomes {
		m.BuildsDeduplicated.WithLabelValues(o)
	}
	for _, k := range RunKinds {
		m.RunsFinished.WithLabelValues(k)
		m.ChunksGivenUp.WithLabelValues(k)
	}
}

// RunKind is the kind label of a run id: the prefix its planner gives it
// ("nightly-2025-01-31"), or "manual" for any other, so run ids never
// become label values.
func RunKind(runID string) string {
	kind, _, _ := strings.Cut(runID, "-")
	if slices.Contains(RunKinds, kind) {
		return kind
	}
	return "manual"
}

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry})
}

// PrecreateRoutes makes the HTTP series of routes (mux patterns such as
// "GET /graphql") exist from the start: their latency, and their requests
// answered 200, so a dashboard shows 0 rather than no data.
func (m *Metrics) PrecreateRoutes(routes ...string) {
	for _, route := range routes {
		method, _, _ := strings.Cut(route, " ")
		m.HTTPSeconds.WithLabelValues(route)
		m.HTTPRequests.WithLabelValues(route, Method(method), "200")
	}
}
