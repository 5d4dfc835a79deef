package ops

import (
	"net/http"
	"strings"

	"github.com/XSAM/otelsql"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"
	"go.opentelemetry.io/otel/trace"
)

// PostgresDriver registers the database/sql driver named base (the
// store's, or lib/pq's "postgres") wrapped to trace every query with the
// tracer provider installed now (one span per statement, with its text:
// placeholders, never the arguments) and returns its name for
// database/sql. Each call registers a driver of its own (database/sql's
// registry is the process's), so call it once per database opened.
func PostgresDriver(base string) (string, error) {
	return otelsql.Register(base,
		otelsql.WithAttributes(semconv.DBSystemNamePostgreSQL),
		otelsql.WithSpanOptions(otelsql.SpanOptions{
			DisableErrSkip: true, OmitConnResetSession: true, OmitRows: true, OmitConnectorConnect: true,
		}))
}

// ObjectStoreTransport wraps the object store client's transport so each
// S3 call is a client span ("S3 PUT", with its bucket) carrying the trace
// context onward; the header it adds is not among the signed ones.
func ObjectStoreTransport(base http.RoundTripper) http.RoundTripper {
	return otelhttp.NewTransport(s3Attributes{base},
		otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string { return "S3 " + r.Method }))
}

// s3Attributes adds the bucket to the span of each call.
type s3Attributes struct{ base http.RoundTripper }

func (t s3Attributes) RoundTrip(r *http.Request) (*http.Response, error) {
	bucket, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	trace.SpanFromContext(r.Context()).SetAttributes(semconv.RPCSystemNameKey.String("aws-api"), semconv.AWSS3Bucket(bucket))
	return t.base.RoundTrip(r)
}

// TraceHTTP wraps the API's handler so each request is a server span,
// continuing the caller's traceparent; the probes and /metrics are left
// out (scrapes and health checks every few seconds are noise). The span
// is named after the route that served it by the request's middleware.
func TraceHTTP(h http.Handler) http.Handler {
	return otelhttp.NewHandler(h, "http",
		otelhttp.WithFilter(func(r *http.Request) bool {
			switch r.URL.Path {
			case "/healthz", "/readyz", "/metrics":
				return false
			}
			return true
		}))
}
