package metrics_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/blob"
	"github.com/dailyreports/dailyreports/internal/metrics"
	"github.com/dailyreports/dailyreports/internal/reports"
)

// TestReasonsAreTheFixedSet checks that every reason a failed build can
// report is one of the series created at start.
func TestReasonsAreTheFixedSet(t *testing.T) {
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tc := range []struct {
		ctx context.Context
		err error
	}{
		{canceled, errors.New("x")},
		{context.Background(), context.DeadlineExceeded},
		{context.Background(), apperr.New(apperr.Unavailable, "%s", blob.UnavailableMessage)},
		{context.Background(), apperr.New(apperr.Unavailable, "database unavailable")},
		{context.Background(), errors.New("boom")},
	} {
		if r := reports.Reason(tc.ctx, tc.err); !slices.Contains(metrics.FailReasons, r) {
			t.Errorf("reason %q of %v is not in FailReasons %v", r, tc.err, metrics.FailReasons)
		}
	}
	if !slices.Contains(metrics.Sources, reports.SourceLive) {
		t.Errorf("source %q is not in Sources", reports.SourceLive)
	}
}

// TestSeriesExistAtStart checks that a new registry already has every
// reason's and source's series, at zero.
func TestSeriesExistAtStart(t *testing.T) {
	m := metrics.New()
	if n := testutil.CollectAndCount(m.ChunksFailed); n != len(metrics.FailReasons) {
		t.Errorf("chunks failed: %d series, want %d", n, len(metrics.FailReasons))
	}
	if n := testutil.CollectAndCount(m.ChunksBuilt); n != len(metrics.Sources) {
		t.Errorf("chunks built: %d series, want %d", n, len(metrics.Sources))
	}
}

func TestMethod(t *testing.T) {
	for in, want := range map[string]string{"GET": "GET", "DELETE": "DELETE", "get": "other", "PROPFIND": "other", "": "other"} {
		if got := metrics.Method(in); got != want {
			t.Errorf("Method(%q) = %q, want %q", in, got, want)
		}
	}
}
