package rest_test

import (
	"net/http"
	"testing"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// Each principal has its own request budget: past its burst it gets 429 with
// Retry-After, while another tenant's token is still served.
func TestRateLimitPerPrincipal(t *testing.T) {
	e := apptest.New(t, apptest.Options{Env: map[string]string{"RATE_LIMIT": "0.5", "RATE_LIMIT_BURST": "3"}})
	a, b := e.Tenant("a", true, 1), e.Tenant("b", true, 1)
	path := apptest.ReportPath(yesterday().Format("2006-01-02"), 1, true)
	tokA := e.Token(a, viewer.ScopeReportsRead)
	for i := range 3 {
		if resp := e.Do(http.MethodGet, path, tokA, nil); resp.StatusCode != 200 {
			t.Fatalf("request %d: %d %s", i, resp.StatusCode, apptest.Read(t, resp))
		} else {
			apptest.Read(t, resp)
		}
	}
	resp := e.Do(http.MethodGet, path, tokA, nil)
	wantProblem(t, resp, http.StatusTooManyRequests)
	if resp.Header.Get("Retry-After") == "" {
		t.Fatal("429 without Retry-After")
	}
	resp = e.Do(http.MethodGet, path, e.Token(b, viewer.ScopeReportsRead), nil)
	if apptest.Read(t, resp); resp.StatusCode != 200 {
		t.Fatalf("another tenant limited: %d", resp.StatusCode)
	}
}
