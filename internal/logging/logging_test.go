package logging_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"testing"

	"go.opentelemetry.io/otel/trace"

	"github.com/dailyreports/dailyreports/internal/logging"
)

// TestTraceIDs checks that a record logged with a context carrying a span
// names its trace and span, beside the context's own attributes.
func TestTraceIDs(t *testing.T) {
	var buf bytes.Buffer
	log := logging.New(&buf, slog.LevelInfo)
	tid, _ := trace.TraceIDFromHex("4bf92f3577b34da6a3ce929d0e0e4736")
	sid, _ := trace.SpanIDFromHex("00f067aa0ba902b7")
	ctx := trace.ContextWithSpanContext(context.Background(),
		trace.NewSpanContext(trace.SpanContextConfig{TraceID: tid, SpanID: sid, TraceFlags: trace.FlagsSampled}))
	ctx = logging.With(ctx, slog.String("request_id", "r1"))
	log.InfoContext(ctx, "hello")
	log.InfoContext(context.Background(), "no span")
	dec := json.NewDecoder(&buf)
	var first, second map[string]any
	if err := dec.Decode(&first); err != nil {
		t.Fatal(err)
	}
	if err := dec.Decode(&second); err != nil {
		t.Fatal(err)
	}
	if first["trace_id"] != tid.String() || first["span_id"] != sid.String() || first["request_id"] != "r1" {
		t.Errorf("record %v: want trace_id, span_id and request_id", first)
	}
	if _, ok := second["trace_id"]; ok {
		t.Errorf("record without a span has a trace_id: %v", second)
	}
}
