package graphiql_test

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/dailyreports/dailyreports/internal/graphiql"
)

const browserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

func get(t *testing.T, h http.Handler, path string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

var (
	scriptTag = regexp.MustCompile(`<script[^>]*>`)
	assetRef  = regexp.MustCompile(`(?:src|href)="(/graphql/assets/[^"]+)"`)
)

func TestPageIsLockedDownAndNamesOnlyItsOwnAssets(t *testing.T) {
	w := get(t, graphiql.Handler("/graphql"), "/graphql", "Accept", browserAccept)
	if w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("status %d, type %q", w.Code, w.Header().Get("Content-Type"))
	}
	csp := w.Header().Get("Content-Security-Policy")
	for _, want := range []string{"frame-ancestors 'none'", "script-src 'self';", "default-src 'none'", "connect-src 'self';"} {
		if !strings.Contains(csp, want) {
			t.Errorf("Content-Security-Policy %q lacks %q", csp, want)
		}
	}
	if got := w.Header().Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("X-Content-Type-Options = %q", got)
	}
	body := w.Body.String()
	for _, tag := range scriptTag.FindAllString(body, -1) {
		if !strings.Contains(tag, ` src="/graphql/assets/`) {
			t.Errorf("a script that is not one of the assets: %s", tag)
		}
	}
	if strings.Contains(body, "//") {
		t.Errorf("the page names another origin:\n%s", body)
	}
	if refs := assetRef.FindAllStringSubmatch(body, -1); len(refs) != 2 {
		t.Errorf("the page should link one script and one stylesheet, links %q", refs)
	}
	if !strings.Contains(body, `data-endpoint="/graphql"`) {
		t.Errorf("the page does not name its endpoint:\n%s", body)
	}
}

func TestPageIsRevalidated(t *testing.T) {
	h := graphiql.Handler("/graphql")
	w := get(t, h, "/graphql")
	if got := w.Header().Get("Cache-Control"); got != "no-cache" {
		t.Errorf("Cache-Control = %q", got)
	}
	etag := w.Header().Get("ETag")
	if w := get(t, h, "/graphql", "If-None-Match", etag); etag == "" || w.Code != http.StatusNotModified {
		t.Errorf("ETag %q, then status %d", etag, w.Code)
	}
}
