package graph_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/dailyreports/dailyreports/internal/apptest"
)

// TestGraphiQLOnlyForBrowsers checks that GET /graphql gives GraphiQL's page
// to a browser and the API to GraphQL clients, and says so in Vary.
func TestGraphiQLOnlyForBrowsers(t *testing.T) {
	e := apptest.New(t, apptest.Options{Env: map[string]string{"GRAPHQL_PLAYGROUND": "true"}})
	for _, tc := range []struct {
		accept string
		page   bool
	}{
		{"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", true},
		{"text/html", true},
		{"application/graphql-response+json, application/json, multipart/mixed", false},
		{"", false},
		{"*/*", false},
		{"application/json, text/html;q=0.5", false},
		{"text/html;q=0", false},
	} {
		resp := e.Do(http.MethodGet, "/graphql?query=%7B__typename%7D", "", nil, "Accept", tc.accept)
		body := string(apptest.Read(t, resp))
		isPage := strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html")
		if isPage != tc.page {
			t.Errorf("Accept %q: %d %s, page %v, want %v", tc.accept, resp.StatusCode, resp.Header.Get("Content-Type"), isPage, tc.page)
		}
		if isPage && (!strings.Contains(body, "/graphql/assets/graphiql-") ||
			!strings.Contains(resp.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'")) {
			t.Errorf("Accept %q: the page does not link its assets or lacks its policy", tc.accept)
		}
		if !isPage && resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusNotAcceptable {
			t.Errorf("Accept %q: API answered %d", tc.accept, resp.StatusCode)
		}
	}
	resp := e.Do(http.MethodGet, "/graphql", "", nil, "Accept", "text/html")
	if v := resp.Header.Values("Vary"); !strings.Contains(strings.Join(v, ","), "Accept") {
		t.Errorf("Vary %q", v)
	}
	apptest.Read(t, resp)
}
