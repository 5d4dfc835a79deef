package rest

import (
	"context"
	"crypto/rand"
	"log/slog"
	"net/http"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/logging"
	"github.com/dailyreports/dailyreports/internal/metrics"
)

// validRequestID accepts a client's X-Request-Id when it is short and plain.
var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// statusWriter records the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(p)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe gives each request an id (X-Request-Id), logs it and counts it in
// the metrics by route pattern, method and status, each from a fixed set.
func (a *API) observe(mux *http.ServeMux, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if !validRequestID.MatchString(id) {
			id = rand.Text()[:20]
		}
		w.Header().Set("X-Request-Id", id)
		ctx := logging.With(r.Context(), slog.String("request_id", id))
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r.WithContext(ctx))
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		route := routeLabel(mux, r)
		nameSpan(ctx, route)
		elapsed := time.Since(start)
		a.Metrics.HTTPRequests.WithLabelValues(route, metrics.Method(r.Method), strconv.Itoa(sw.status)).Inc()
		a.Metrics.HTTPSeconds.WithLabelValues(route).Observe(elapsed.Seconds())
		if route != "GET /metrics" && route != "GET /healthz" {
			a.Log.InfoContext(ctx, "http request", "method", r.Method, "path", r.URL.Path,
				"status", sw.status, "bytes", sw.bytes, "duration_ms", elapsed.Milliseconds())
		}
	})
}

// routeLabel is the route of r for metrics: the mux pattern it matched, or
// "unmatched", so paths a client invents never become label values.
func routeLabel(mux *http.ServeMux, r *http.Request) string {
	if _, route := mux.Handler(r); route != "" {
		return route
	}
	return "unmatched"
}

// nameSpan names the request's span, when it is traced, after the route
// that served it ("GET /graphql"), the low-cardinality name OpenTelemetry's
// conventions ask for, and sets its http.route.
func nameSpan(ctx context.Context, route string) {
	span := trace.SpanFromContext(ctx)
	if !span.IsRecording() || route == "unmatched" {
		return
	}
	span.SetName(route)
	if _, path, ok := strings.Cut(route, " "); ok {
		span.SetAttributes(semconv.HTTPRoute(path))
	}
}

// recoverPanics answers a panicking handler with a 500 problem and logs the
// stack; the client never sees it.
func (a *API) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				a.Log.ErrorContext(r.Context(), "panic", "value", v, "stack", string(debug.Stack()))
				a.writeError(w, r, apperr.New(apperr.Internal, "internal error"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}
