package jobs

import (
	"bytes"
	"context"
	"encoding/json"

	"github.com/hibiken/asynq"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"
	"go.opentelemetry.io/otel/trace"
)

// traceCarrier returns the trace context of ctx as a task payload carries
// it (W3C traceparent, through the global propagator), or nil when there
// is none: with tracing off, payloads are as they were.
func traceCarrier(ctx context.Context) map[string]string {
	if !trace.SpanContextFromContext(ctx).IsValid() {
		return nil
	}
	c := propagation.MapCarrier{}
	otel.GetTextMapPropagator().Inject(ctx, c)
	if len(c) == 0 {
		return nil
	}
	return c
}

// tracePayload is the part of every task payload that carries the trace.
type tracePayload struct {
	Trace map[string]string `json:"trace"`
}

// WithTrace is asynq middleware that makes each task a consumer span named
// after its type, continuing the trace its payload carries: a chunk build
// is one trace from the plan of its night (or the request that asked for
// it) to its upload. Without a tracer provider installed, the span is
// OpenTelemetry's no-op one.
func WithTrace(next asynq.Handler) asynq.Handler {
	tracer := otel.Tracer("github.com/dailyreports/dailyreports/jobs")
	return asynq.HandlerFunc(func(ctx context.Context, t *asynq.Task) error {
		if b := t.Payload(); bytes.Contains(b, []byte(`"trace"`)) {
			var p tracePayload
			if json.Unmarshal(b, &p) == nil && len(p.Trace) > 0 {
				ctx = otel.GetTextMapPropagator().Extract(ctx, propagation.MapCarrier(p.Trace))
			}
		}
		id, _ := asynq.GetTaskID(ctx)
		queue, _ := asynq.GetQueueName(ctx)
		ctx, span := tracer.Start(ctx, t.Type(), trace.WithSpanKind(trace.SpanKindConsumer), trace.WithAttributes(
			semconv.MessagingSystemKey.String("asynq"), semconv.MessagingOperationTypeProcess,
			semconv.MessagingDestinationName(queue), semconv.MessagingMessageID(id)))
		defer span.End()
		err := next.ProcessTask(ctx, t)
		if err != nil {
			span.RecordError(err)
			span.SetStatus(codes.Error, "task failed")
		}
		return err
	})
}
