package main

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"
	"go.yaml.in/yaml/v3"

	"github.com/dailyreports/dailyreports/internal/testenv"
)

// freePort returns a loopback address no one listens on.
func freePort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// serveWithOps runs every role on real services with OPS_ADDR set, until
// the test ends, and returns the API and operations base URLs once both
// answer /readyz.
func serveWithOps(t *testing.T, extra ...string) (api, ops string) {
	vars := cliEnv(t, testenv.SharedMinIO(t))
	for i := 0; i+1 < len(extra); i += 2 {
		vars[extra[i]] = extra[i+1]
	}
	vars["HTTP_ADDR"], vars["OPS_ADDR"] = freePort(t), freePort(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, _, err := runCmd(ctx, vars, "serve", "--no-demo")
		done <- err
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	api, ops = "http://"+vars["HTTP_ADDR"], "http://"+vars["OPS_ADDR"]
	deadline := time.Now().Add(30 * time.Second)
	for status(t, api+"/readyz") != 200 || status(t, ops+"/readyz") != 200 {
		if time.Now().After(deadline) {
			t.Fatal("never ready")
		}
		time.Sleep(100 * time.Millisecond)
	}
	return api, ops
}

func status(t *testing.T, url string) int {
	resp, err := http.Get(url)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("GET %s: no X-Content-Type-Options: nosniff", url)
	}
	return resp.StatusCode
}

// TestOpsListener checks that with OPS_ADDR set, /metrics is served there
// and not on the API listener, and the probes answer on both.
func TestOpsListener(t *testing.T) {
	api, ops := serveWithOps(t)
	for _, c := range []struct {
		url  string
		want int
	}{
		{api + "/metrics", 404}, {ops + "/metrics", 200},
		{api + "/healthz", 200}, {ops + "/healthz", 200},
		{api + "/readyz", 200}, {ops + "/readyz", 200},
		{ops + "/graphql", 404}, {ops + "/api/external/conversations/daily-report/2026-01-01/1", 404},
	} {
		if got := status(t, c.url); got != c.want {
			t.Errorf("GET %s: %d, want %d", c.url, got, c.want)
		}
	}
}

// TestHeadersOfEveryAnswer checks, over pages, documents, errors and both
// listeners, that every answer carries X-Content-Type-Options: nosniff and
// every HTML answer a policy forbidding framing.
func TestHeadersOfEveryAnswer(t *testing.T) {
	api, ops := serveWithOps(t, "GRAPHQL_PLAYGROUND", "true")
	html := 0
	for _, url := range []string{
		api + "/", api + "/graphql", api + "/graphql/assets/nope.js", api + "/openapi.json", api + "/nope",
		api + "/api/external/conversations/daily-report/2026-01-01/1", api + "/healthz", api + "/connect/token",
		ops + "/", ops + "/metrics", ops + "/readyz", ops + "/nope",
	} {
		for _, accept := range []string{"text/html", "*/*"} {
			req, _ := http.NewRequest(http.MethodGet, url, nil)
			req.Header.Set("Accept", accept)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			h := resp.Header
			if h.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("GET %s (%s): %d without nosniff", url, accept, resp.StatusCode)
			}
			if strings.HasPrefix(h.Get("Content-Type"), "text/html") {
				html++
				if !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
					t.Errorf("GET %s (%s): HTML without frame-ancestors 'none': %q", url, accept, h.Get("Content-Security-Policy"))
				}
			}
		}
	}
	if html == 0 {
		t.Error("no HTML answer seen: GraphiQL should be one")
	}
}

// TestSeriesAtStart scrapes a fresh service: the exposition passes
// `promtool check metrics`, and every series an alert rule or the
// dashboard selects exists already, at zero for the counters.
func TestSeriesAtStart(t *testing.T) {
	_, ops := serveWithOps(t)
	resp, err := http.Get(ops + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	text, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	promtool(t, string(text), "check", "metrics")
	series := parseSeries(t, string(text))
	exprs := append(ruleExprs(t), dashboardExprs(t)...)
	if len(exprs) < 10 {
		t.Fatalf("only %d expressions in the rules and the dashboard", len(exprs))
	}
	for _, expr := range exprs {
		e, err := parser.ParseExpr(expr)
		if err != nil {
			t.Errorf("%q: %v", expr, err)
			continue
		}
		for _, sel := range parser.ExtractSelectors(e) {
			if name := metricName(sel); name == "up" {
				continue // Prometheus' own
			}
			if !matchesAny(sel, series) {
				t.Errorf("no series at start matches %v (in %q)", sel, expr)
			}
		}
	}
	for _, s := range series {
		name := s.Get("__name__")
		if name == "dailyreports_http_requests_total" {
			continue // the test's own readiness polls
		}
		if strings.HasSuffix(name, "_total") && strings.HasPrefix(name, "dailyreports_") && s.value != 0 {
			t.Errorf("%v is %v at start, want 0", s.Labels, s.value)
		}
	}
}

type sample struct {
	labels.Labels
	value float64
}

// parseSeries reads an exposition into flat series, histograms as their
// _bucket, _sum and _count series.
func parseSeries(t *testing.T, text string) []sample {
	p := expfmt.NewTextParser(model.LegacyValidation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(text))
	if err != nil {
		t.Fatalf("parse /metrics: %v", err)
	}
	var out []sample
	add := func(name string, m *dto.Metric, v float64, extra ...string) {
		b := labels.NewBuilder(labels.EmptyLabels()).Set("__name__", name)
		for _, l := range m.GetLabel() {
			b.Set(l.GetName(), l.GetValue())
		}
		for i := 0; i+1 < len(extra); i += 2 {
			b.Set(extra[i], extra[i+1])
		}
		out = append(out, sample{b.Labels(), v})
	}
	for name, f := range fams {
		for _, m := range f.GetMetric() {
			switch f.GetType() {
			case dto.MetricType_HISTOGRAM:
				h := m.GetHistogram()
				for _, b := range h.GetBucket() {
					add(name+"_bucket", m, float64(b.GetCumulativeCount()), "le", strconv.FormatFloat(b.GetUpperBound(), 'g', -1, 64))
				}
				add(name+"_bucket", m, float64(h.GetSampleCount()), "le", "+Inf")
				add(name+"_sum", m, h.GetSampleSum())
				add(name+"_count", m, float64(h.GetSampleCount()))
			case dto.MetricType_COUNTER:
				add(name, m, m.GetCounter().GetValue())
			case dto.MetricType_GAUGE:
				add(name, m, m.GetGauge().GetValue())
			default:
				add(name, m, m.GetUntyped().GetValue())
			}
		}
	}
	return out
}

func metricName(sel []*labels.Matcher) string {
	for _, m := range sel {
		if m.Name == "__name__" {
			return m.Value
		}
	}
	return ""
}

func matchesAny(sel []*labels.Matcher, series []sample) bool {
	return slices.ContainsFunc(series, func(s sample) bool {
		for _, m := range sel {
			if !m.Matches(s.Get(m.Name)) {
				return false
			}
		}
		return true
	})
}

// ruleExprs returns the expressions of deploy/prometheus/rules.yml.
func ruleExprs(t *testing.T) []string {
	b, err := os.ReadFile("deploy/prometheus/rules.yml")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Groups []struct {
			Rules []struct{ Expr string }
		}
	}
	if err := yaml.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, g := range f.Groups {
		for _, r := range g.Rules {
			out = append(out, r.Expr)
		}
	}
	return out
}

// grafanaVars are the dashboard's variables in its queries.
var grafanaVars = regexp.MustCompile(`\$__rate_interval|\$__interval|\$\{?[a-z_]+\}?`)

// dashboardExprs returns the queries of deploy/grafana/dailyreports.json,
// Grafana's interval variables replaced by a duration.
func dashboardExprs(t *testing.T) []string {
	b, err := os.ReadFile("deploy/grafana/dailyreports.json")
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Panels []struct {
			Targets []struct{ Expr string }
		}
	}
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range d.Panels {
		for _, tg := range p.Targets {
			out = append(out, grafanaVars.ReplaceAllString(tg.Expr, "5m"))
		}
	}
	return out
}

// promtool runs promtool with args, stdin as its input, and fails the test
// unless it succeeds. scripts/test-services.sh installs it (Debian's
// prometheus package).
func promtool(t *testing.T, stdin string, args ...string) {
	t.Helper()
	path, err := exec.LookPath("promtool")
	if err != nil {
		t.Fatal("promtool not found: run . scripts/test-services.sh, which installs Debian's prometheus package")
	}
	cmd := exec.Command(path, args...)
	cmd.Stdin = strings.NewReader(stdin)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// TestShippedRules runs promtool over what deploy/prometheus ships: the
// configuration, the alert rules and their tests.
func TestShippedRules(t *testing.T) {
	promtool(t, "", "check", "config", "deploy/prometheus/prometheus.yml")
	promtool(t, "", "check", "rules", "deploy/prometheus/rules.yml")
	promtool(t, "", "test", "rules", "deploy/prometheus/rules_test.yml")
}
