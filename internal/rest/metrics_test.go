package rest_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/metrics"
)

// seriesOf returns the label sets of every sample of name, one string each.
func seriesOf(text, name string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		if m := sampleLine.FindStringSubmatch(line); m != nil && m[1] == name {
			out = append(out, m[2])
		}
	}
	return out
}

// Methods a client invents are counted as "other" and paths nobody routes
// as "unmatched": however many requests, the label sets stay few.
func TestHTTPLabelsStayBounded(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	for i := range 200 {
		resp := e.Do(fmt.Sprintf("M%d", i), fmt.Sprintf("/api/x%d", i), "", nil)
		apptest.Read(t, resp)
		resp = e.Do(fmt.Sprintf("PROPFIND%d", i), "/healthz", "", nil)
		apptest.Read(t, resp)
	}
	text := string(apptest.Read(t, e.Do(http.MethodGet, "/metrics", "", nil)))
	series := seriesOf(text, "dailyreports_http_requests_total")
	if len(series) > 6 {
		t.Fatalf("%d series of dailyreports_http_requests_total after 400 requests:\n%s", len(series), strings.Join(series, "\n"))
	}
	method := regexp.MustCompile(`method="([^"]*)"`)
	for _, s := range series {
		if m := method.FindStringSubmatch(s); m == nil || metrics.Method(m[1]) != m[1] {
			t.Errorf("series %s has a method outside the fixed set", s)
		}
	}
	if v, ok := sample(text, "dailyreports_http_requests_total", map[string]string{"route": "unmatched", "method": "other"}); !ok || v < 200 {
		t.Errorf("unmatched/other: %v (found %t), want at least 200", v, ok)
	}
	if strings.Contains(text, "M17") || strings.Contains(text, "/api/x17") {
		t.Error("an invented method or path became a label value")
	}
}

// On a fresh start, before anything was built or failed, every chunk
// series a dashboard or alert uses already exists, at zero.
func TestChunkSeriesExistAtZero(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	text := string(apptest.Read(t, e.Do(http.MethodGet, "/metrics", "", nil)))
	for _, reason := range metrics.FailReasons {
		if v, ok := sample(text, "dailyreports_chunks_failed_total", map[string]string{"reason": reason}); !ok || v != 0 {
			t.Errorf("chunks_failed_total{reason=%q}: %v (found %t), want 0", reason, v, ok)
		}
	}
	for _, source := range metrics.Sources {
		for _, name := range []string{"dailyreports_chunks_built_total", "dailyreports_report_bytes_total", "dailyreports_chunk_build_seconds_count"} {
			if v, ok := sample(text, name, map[string]string{"source": source}); !ok || v != 0 {
				t.Errorf("%s{source=%q}: %v (found %t), want 0", name, source, v, ok)
			}
		}
	}
	for _, name := range []string{"dailyreports_live_builds_in_flight", "dailyreports_ingest_budget_bytes_in_use"} {
		if v, ok := sample(text, name, nil); !ok || v != 0 {
			t.Errorf("%s: %v (found %t), want 0", name, v, ok)
		}
	}
}
