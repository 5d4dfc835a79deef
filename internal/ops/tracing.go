package ops

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"

	"go.opentelemetry.io/contrib/exporters/autoexport"
	"go.opentelemetry.io/contrib/propagators/autoprop"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"
)

// serviceName is service.name unless OTEL_SERVICE_NAME (or
// OTEL_RESOURCE_ATTRIBUTES) names another.
const serviceName = "dailyreports"

// StartTracing installs, as OpenTelemetry's global tracer provider and
// propagator, a provider exporting spans as the OTEL_* environment says:
// the exporter (OTEL_TRACES_EXPORTER, OTEL_EXPORTER_OTLP_* — protocol,
// endpoint, headers, timeout, TLS), the sampler (OTEL_TRACES_SAMPLER), the
// batching (OTEL_BSP_*), the resource (OTEL_SERVICE_NAME,
// OTEL_RESOURCE_ATTRIBUTES) and the propagators (OTEL_PROPAGATORS, W3C
// trace context and baggage by default). The caller decides whether to
// call it (config's Tracing); without it, the global provider stays the
// no-op one, so spans cost nothing. Export errors are logged to log.
// shutdown flushes the spans in flight.
func StartTracing(ctx context.Context, log *slog.Logger) (shutdown func(context.Context) error, err error) {
	exp, err := autoexport.NewSpanExporter(ctx)
	if err != nil {
		return nil, fmt.Errorf("tracing: exporter: %w", err)
	}
	res, err := resource.New(ctx,
		resource.WithAttributes(semconv.ServiceName(serviceName), semconv.ServiceVersion(version())),
		resource.WithTelemetrySDK(), resource.WithFromEnv())
	if err != nil && !errors.Is(err, resource.ErrPartialResource) {
		_ = exp.Shutdown(ctx)
		return nil, fmt.Errorf("tracing: resource: %w", err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res))
	otel.SetErrorHandler(otel.ErrorHandlerFunc(func(err error) { log.Warn("tracing", "err", err) }))
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(autoprop.NewTextMapPropagator())
	return tp.Shutdown, nil
}

// version is the binary's module version ("(devel)" for a local build).
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		return bi.Main.Version
	}
	return "unknown"
}
