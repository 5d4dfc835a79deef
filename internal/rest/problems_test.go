package rest_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// TestNetHTTPErrorsAreProblems checks that the errors net/http writes
// itself under /api/ — no route, another method, an unsatisfiable range —
// are problem details too, with their Allow and Content-Range kept.
func TestNetHTTPErrorsAreProblems(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	tenant := e.Tenant("t", true, 1)
	read := e.Token(tenant, viewer.ScopeReportsRead)
	day := yesterday().Format("2006-01-02")

	for _, path := range []string{"/api/nothing", "/api/external/conversations/daily-report/x/y/z", "/api/external/conversations/daily-report/" + day + "/1/x", "/api"} {
		p := wantProblem(t, e.Do(http.MethodGet, path, read, nil), http.StatusNotFound)
		if !strings.Contains(p.Detail, "no route matches GET ") {
			t.Errorf("%s: detail %q", path, p.Detail)
		}
	}

	for _, tc := range []struct{ method, path, allow string }{
		{http.MethodPost, apptest.ReportPath(day, 1, true), "GET, HEAD"},
		{http.MethodDelete, apptest.ReportPath(day, 1, false), "GET, HEAD"},
		{http.MethodGet, ingestPath, "POST"},
		{http.MethodGet, "/api/external/conversations/c-1", "DELETE"},
		{http.MethodPost, "/api/external/conversations/daily-report/" + day, "GET, HEAD"},
	} {
		resp := e.Do(tc.method, tc.path, read, nil)
		allow := resp.Header.Get("Allow")
		p := wantProblem(t, resp, http.StatusMethodNotAllowed)
		if allow != tc.allow || !strings.Contains(p.Detail, tc.allow) {
			t.Errorf("%s %s: Allow %q, detail %q; want Allow %q", tc.method, tc.path, allow, p.Detail, tc.allow)
		}
	}

	zipped := apptest.ReportPath(day, 3, true)
	full := e.Do(http.MethodGet, zipped, read, nil)
	size := len(apptest.Read(t, full))
	if full.StatusCode != 200 || size == 0 {
		t.Fatalf("report: %d, %d bytes", full.StatusCode, size)
	}
	resp := e.Do(http.MethodGet, zipped, read, nil, "Range", "bytes="+strconv.Itoa(size+10)+"-")
	cr, disposition := resp.Header.Get("Content-Range"), resp.Header.Get("Content-Disposition")
	p := wantProblem(t, resp, http.StatusRequestedRangeNotSatisfiable)
	if cr != "bytes */"+strconv.Itoa(size) || disposition != "" || !strings.Contains(p.Detail, strconv.Itoa(size)+" bytes") {
		t.Fatalf("416: Content-Range %q, Content-Disposition %q, detail %q", cr, disposition, p.Detail)
	}
	// A satisfiable range is still served.
	part := e.Do(http.MethodGet, zipped, read, nil, "Range", "bytes=0-9")
	if b := apptest.Read(t, part); part.StatusCode != http.StatusPartialContent || len(b) != 10 {
		t.Fatalf("range 0-9: %d, %d bytes", part.StatusCode, len(b))
	}
}

// TestCompressedEmptyIsMalformed checks that compressed= is refused, while
// an absent compressed means false.
func TestCompressedEmptyIsMalformed(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	read := e.Token(e.Tenant("t", true, 1), viewer.ScopeReportsRead)
	base := "/api/external/conversations/daily-report/" + yesterday().Format("2006-01-02") + "/4"
	for _, q := range []string{"?compressed=", "?compressed", "?compressed=true&compressed=true"} {
		p := wantProblem(t, e.Do(http.MethodGet, base+q, read, nil), http.StatusBadRequest)
		if !strings.HasPrefix(p.Detail, "compressed must be") {
			t.Errorf("%s: detail %q", q, p.Detail)
		}
	}
	resp := e.Do(http.MethodGet, base, read, nil)
	if apptest.Read(t, resp); resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("no compressed: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}
