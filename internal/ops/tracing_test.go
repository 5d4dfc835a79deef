package ops_test

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hibiken/asynq"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/viewer"
	"github.com/dailyreports/dailyreports/jobs"
)

// traced is a service exporting its spans to an OTLP receiver of the
// test's own, configured only by the standard OTEL_* variables.
type traced struct {
	*apptest.Env
	rcv  *receiver
	day  time.Time
	read string
}

func newTraced(t *testing.T) *traced {
	rcv := newReceiver(t)
	vars := map[string]string{
		"OTEL_EXPORTER_OTLP_ENDPOINT": rcv.URL,
		"OTEL_BSP_SCHEDULE_DELAY":     "50",
		"OTEL_SERVICE_NAME":           "dailyreports-test",
	}
	for k, v := range vars {
		t.Setenv(k, v) // the SDK reads the process environment
	}
	e := apptest.New(t, apptest.Options{Env: vars})
	e.StartWorker()
	tenant := e.Tenant("acme", true, 1)
	day := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -1)
	e.Ingest(e.Token(tenant, viewer.ScopeConversationsWrite),
		[]apptest.Conv{apptest.NewConv("c1", day.Add(12*time.Hour+5*time.Minute))})
	return &traced{Env: e, rcv: rcv, day: day, read: e.Token(tenant, viewer.ScopeReportsRead)}
}

// caller returns a new trace id and a traceparent whose span is the
// caller's (parent id).
func caller() (traceID, parentID, traceparent string) {
	traceID, parentID = hex.EncodeToString(randBytes(16)), hex.EncodeToString(randBytes(8))
	return traceID, parentID, "00-" + traceID + "-" + parentID + "-01"
}

func randBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

func withName(name string) func([]*tracepb.Span) bool {
	return func(s []*tracepb.Span) bool { return len(named(s, name)) > 0 }
}

// TestTraceOfAFetch checks that a fetch continues the caller's trace: the
// server span, named after its route, is a child of the caller's span,
// with the database queries and object-store calls of its live build under
// it.
func TestTraceOfAFetch(t *testing.T) {
	e := newTraced(t)
	tid, parent, tp := caller()
	resp := e.Do(http.MethodGet, apptest.ReportPath(e.day.Format(time.DateOnly), 12, false), e.read, nil, "traceparent", tp)
	if b := apptest.Read(t, resp); resp.StatusCode != http.StatusOK {
		t.Fatalf("fetch: %d %s", resp.StatusCode, b)
	}
	const route = "GET /api/external/conversations/daily-report/{utcDay}/{utcHour}"
	spans := e.rcv.await(t, tid, "the server span with its queries and S3 calls", func(s []*tracepb.Span) bool {
		return len(named(s, route)) == 1 && len(dbSpans(s)) > 0 && len(s3Spans(s)) > 0
	})
	server := named(spans, route)[0]
	if hex.EncodeToString(server.ParentSpanId) != parent || server.Kind != tracepb.Span_SPAN_KIND_SERVER {
		t.Errorf("server span %s: parent %x kind %v, want the caller's span %s, server", server.Name, server.ParentSpanId, server.Kind, parent)
	}
	if r, _ := attr(server, "http.route"); r != "/api/external/conversations/daily-report/{utcDay}/{utcHour}" {
		t.Errorf("http.route %q", r)
	}
	for _, s := range append(dbSpans(spans), s3Spans(spans)...) {
		if !descends(spans, s, server) {
			t.Errorf("span %s is not under the server span", s.Name)
		}
	}
	if q, _ := attr(dbSpans(spans)[0], "db.query.text"); q == "" {
		t.Errorf("database span %s has no db.query.text", dbSpans(spans)[0].Name)
	}
}

// TestTraceOfAGraphQLOperation checks the operation's span: named after
// its type and name, under the HTTP span that continues the caller's
// trace, and carrying no variable.
func TestTraceOfAGraphQLOperation(t *testing.T) {
	e := newTraced(t)
	tid, parent, tp := caller()
	body, _ := json.Marshal(map[string]any{
		"query":         `query Hour($day: Date!, $hour: Int!) { hourlyReport(utcDay: $day, utcHour: $hour) { status } }`,
		"operationName": "Hour",
		"variables":     map[string]any{"day": e.day.Format(time.DateOnly), "hour": 7},
	})
	resp := e.Do(http.MethodPost, "/graphql", e.read, body, "Content-Type", "application/json", "traceparent", tp)
	if b := apptest.Read(t, resp); resp.StatusCode != http.StatusOK || bytes.Contains(b, []byte(`"errors"`)) {
		t.Fatalf("graphql: %d %s", resp.StatusCode, b)
	}
	spans := e.rcv.await(t, tid, "the operation span", withName("query Hour"))
	op := named(spans, "query Hour")[0]
	httpSpans := named(spans, "POST /graphql")
	if len(httpSpans) != 1 || hex.EncodeToString(httpSpans[0].ParentSpanId) != parent || !descends(spans, op, httpSpans[0]) {
		t.Fatalf("spans %v: want query Hour under POST /graphql under the caller's span", names(spans))
	}
	if n, _ := attr(op, "graphql.operation.name"); n != "Hour" {
		t.Errorf("graphql.operation.name %q", n)
	}
	if typ, _ := attr(op, "graphql.operation.type"); typ != "query" {
		t.Errorf("graphql.operation.type %q", typ)
	}
	for _, kv := range op.Attributes {
		if v := value(kv.Value); strings.Contains(v, e.day.Format(time.DateOnly)) || strings.Contains(kv.Key, "document") {
			t.Errorf("operation span carries %s=%q: no document or variables", kv.Key, v)
		}
	}
}

// TestTraceOfAChunkBuild checks that a chunk build is one trace from what
// asked for it to its upload: a regenerate request continued from its
// caller, and a night from the scheduler's plan.
func TestTraceOfAChunkBuild(t *testing.T) {
	e := newTraced(t)
	t.Run("regenerate", func(t *testing.T) {
		tid, _, tp := caller()
		body, _ := json.Marshal(map[string]any{
			"query": `mutation Regenerate($in: RegenerateReportsInput!) { regenerateReports(input: $in) { enqueued } }`,
			"variables": map[string]any{"in": map[string]any{
				"tenantId": e.tenant(t), "utcDay": e.day.Format(time.DateOnly), "utcHour": 12}},
		})
		resp := e.Do(http.MethodPost, "/graphql", e.Token(uuid.Nil, viewer.ScopeHostAdmin), body,
			"Content-Type", "application/json", "traceparent", tp)
		if b := apptest.Read(t, resp); resp.StatusCode != http.StatusOK || bytes.Contains(b, []byte(`"errors"`)) {
			t.Fatalf("regenerate: %d %s", resp.StatusCode, b)
		}
		e.rcv.awaitChain(t, tid, chain("POST /graphql", "mutation Regenerate", jobs.TypeRun, jobs.TypeChunk))
	})
	t.Run("nightly", func(t *testing.T) {
		client := asynq.NewClient(e.App.Redis)
		defer client.Close()
		if _, err := client.Enqueue(jobs.NewNightlyTask()); err != nil {
			t.Fatal(err)
		}
		var tid string
		deadline := time.Now().Add(30 * time.Second)
		for tid == "" {
			if roots := named(e.rcv.all(), jobs.TypeNightly); len(roots) > 0 {
				tid = hex.EncodeToString(roots[0].TraceId)
			} else if time.Now().After(deadline) {
				t.Fatal("no report:nightly span")
			}
			time.Sleep(100 * time.Millisecond)
		}
		e.rcv.awaitChain(t, tid, chain(jobs.TypeNightly, jobs.TypeRun, jobs.TypeChunk))
	})
}

// tenant is the id of the tenant of e.read.
func (e *traced) tenant(t *testing.T) string {
	tenants, err := e.App.Store.EnabledTenants(apptest.System())
	if err != nil || len(tenants) != 1 {
		t.Fatalf("tenants %v %v", tenants, err)
	}
	return tenants[0].String()
}

// chain returns a check that each step has a span under one of the
// previous step's (the first being the trace's own), and a database query
// and an S3 upload under the last.
func chain(steps ...string) func([]*tracepb.Span) error {
	return func(spans []*tracepb.Span) error {
		prev := named(spans, steps[0])
		if len(prev) == 0 {
			return fmt.Errorf("no %s span", steps[0])
		}
		for _, name := range steps[1:] {
			var next []*tracepb.Span
			for _, s := range named(spans, name) {
				if under(spans, s, prev) {
					next = append(next, s)
				}
			}
			if len(next) == 0 {
				return fmt.Errorf("no %s span under %s", name, prev[0].Name)
			}
			prev = next
		}
		if !slices.ContainsFunc(dbSpans(spans), func(s *tracepb.Span) bool { return under(spans, s, prev) }) {
			return fmt.Errorf("no database query under %s", prev[0].Name)
		}
		if !slices.ContainsFunc(named(spans, "S3 PUT"), func(s *tracepb.Span) bool { return under(spans, s, prev) }) {
			return fmt.Errorf("no S3 PUT under %s", prev[0].Name)
		}
		return nil
	}
}

// under reports whether s descends from one of parents.
func under(spans []*tracepb.Span, s *tracepb.Span, parents []*tracepb.Span) bool {
	return slices.ContainsFunc(parents, func(p *tracepb.Span) bool { return descends(spans, s, p) })
}

func dbSpans(spans []*tracepb.Span) []*tracepb.Span {
	var out []*tracepb.Span
	for _, s := range spans {
		if v, _ := attr(s, "db.system.name"); v == "postgresql" {
			out = append(out, s)
		}
	}
	return out
}

func s3Spans(spans []*tracepb.Span) []*tracepb.Span {
	var out []*tracepb.Span
	for _, s := range spans {
		if strings.HasPrefix(s.Name, "S3 ") {
			out = append(out, s)
		}
	}
	return out
}
