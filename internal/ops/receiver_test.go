package ops_test

import (
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"
)

// receiver is an OTLP/HTTP trace receiver (protobuf on /v1/traces), as a
// collector runs it, keeping every span it is sent.
type receiver struct {
	URL   string
	mu    sync.Mutex
	spans []*tracepb.Span
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.URL.Path != "/v1/traces" || req.Header.Get("Content-Type") != "application/x-protobuf" {
			http.Error(w, "not OTLP/HTTP protobuf traces", http.StatusNotFound)
			return
		}
		b, err := io.ReadAll(req.Body)
		var msg coltracepb.ExportTraceServiceRequest
		if err == nil {
			err = proto.Unmarshal(b, &msg)
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		r.mu.Lock()
		for _, rs := range msg.ResourceSpans {
			for _, ss := range rs.ScopeSpans {
				r.spans = append(r.spans, ss.Spans...)
			}
		}
		r.mu.Unlock()
		out, _ := proto.Marshal(&coltracepb.ExportTraceServiceResponse{})
		w.Header().Set("Content-Type", "application/x-protobuf")
		_, _ = w.Write(out)
	}))
	t.Cleanup(srv.Close)
	r.URL = srv.URL
	return r
}

// trace returns the spans received of trace id (hex).
func (r *receiver) trace(id string) []*tracepb.Span {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []*tracepb.Span
	for _, s := range r.spans {
		if hex.EncodeToString(s.TraceId) == id {
			out = append(out, s)
		}
	}
	return out
}

// await waits until the spans of trace id satisfy ok, and returns them.
func (r *receiver) await(t *testing.T, id string, what string, ok func([]*tracepb.Span) bool) []*tracepb.Span {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		spans := r.trace(id)
		if ok(spans) {
			return spans
		}
		if time.Now().After(deadline) {
			t.Fatalf("trace %s: %s never arrived; received %v", id, what, names(spans))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func names(spans []*tracepb.Span) []string {
	var out []string
	for _, s := range spans {
		out = append(out, s.Name)
	}
	return out
}

// named returns the spans called name.
func named(spans []*tracepb.Span, name string) []*tracepb.Span {
	var out []*tracepb.Span
	for _, s := range spans {
		if s.Name == name {
			out = append(out, s)
		}
	}
	return out
}

// attr returns a span's string (or int, as text) attribute.
func attr(s *tracepb.Span, key string) (string, bool) {
	for _, kv := range s.Attributes {
		if kv.Key == key {
			return value(kv.Value), true
		}
	}
	return "", false
}

func value(v *commonpb.AnyValue) string {
	switch x := v.Value.(type) {
	case *commonpb.AnyValue_StringValue:
		return x.StringValue
	case *commonpb.AnyValue_IntValue:
		return time.Duration(x.IntValue).String()
	}
	return v.String()
}

// descends reports whether span s has ancestor a among spans.
func descends(spans []*tracepb.Span, s, a *tracepb.Span) bool {
	byID := map[string]*tracepb.Span{}
	for _, x := range spans {
		byID[hex.EncodeToString(x.SpanId)] = x
	}
	for cur := s; cur != nil; cur = byID[hex.EncodeToString(cur.ParentSpanId)] {
		if hex.EncodeToString(cur.ParentSpanId) == hex.EncodeToString(a.SpanId) {
			return true
		}
	}
	return false
}

// all returns every span received.
func (r *receiver) all() []*tracepb.Span {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*tracepb.Span(nil), r.spans...)
}

// awaitChain waits until check passes on the spans of trace id.
func (r *receiver) awaitChain(t *testing.T, id string, check func([]*tracepb.Span) error) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		err := check(r.trace(id))
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("trace %s: %v; received %v", id, err, names(r.trace(id)))
		}
		time.Sleep(100 * time.Millisecond)
	}
}
