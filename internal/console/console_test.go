package console

import (
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

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

// The page, its assets and the application's routes are served with the
// security headers; a missing asset is a 404, not the page; an unchanged
// file revalidates as 304.
func TestHandlerServesTheConsole(t *testing.T) {
	h, err := Handler("http://localhost:8080")
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		"/console/":                "text/html; charset=utf-8",
		"/console/tenants/abc":     "text/html; charset=utf-8",
		"/console/runs":            "text/html; charset=utf-8",
		"/console/js/app.js":       "text/javascript; charset=utf-8",
		"/console/css/console.css": "text/css; charset=utf-8",
	} {
		w := get(t, h, path)
		if w.Code != http.StatusOK || w.Header().Get("Content-Type") != want {
			t.Errorf("%s: %d %q, want 200 %q", path, w.Code, w.Header().Get("Content-Type"), want)
		}
		csp := w.Header().Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe") {
			t.Errorf("%s: Content-Security-Policy %q", path, csp)
		}
		if w.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff", path)
		}
		if etag := w.Header().Get("ETag"); etag == "" || get(t, h, path, "If-None-Match", etag).Code != http.StatusNotModified {
			t.Errorf("%s: ETag %q does not revalidate", path, etag)
		}
	}
	if w := get(t, h, "/console/js/missing.js"); w.Code != http.StatusNotFound || w.Header().Get("Content-Security-Policy") == "" {
		t.Errorf("a missing asset: %d", w.Code)
	}
	if w := get(t, h, "/console"); w.Code != http.StatusMovedPermanently || w.Header().Get("Location") != "/console/" {
		t.Errorf("/console: %d %q", w.Code, w.Header().Get("Location"))
	}
	page := get(t, h, "/console/").Body.String()
	if !strings.Contains(page, `src="/console/js/app.js"`) || !strings.Contains(page, `data-root=""`) {
		t.Errorf("the page does not link its script at the root: %s", page)
	}
}

// Behind a proxy that strips a path prefix (PUBLIC_URL's path), the page
// links its assets and sends its requests under that prefix.
func TestHandlerUnderAPathPrefix(t *testing.T) {
	h, err := Handler("https://reports.example.com/reports/")
	if err != nil {
		t.Fatal(err)
	}
	page := get(t, h, "/console/").Body.String()
	if !strings.Contains(page, `src="/reports/console/js/app.js"`) || !strings.Contains(page, `data-root="/reports"`) {
		t.Errorf("page under /reports: %s", page)
	}
	if w := get(t, h, "/console"); w.Header().Get("Location") != "/reports/console/" {
		t.Errorf("/console redirects to %q", w.Header().Get("Location"))
	}
}

// No file of the console holds an inline script, an event-handler
// attribute, an inline style or a reference to another origin: the
// Content-Security-Policy would refuse them, and the console works offline.
func TestAssetsNeedNothingTheCSPRefuses(t *testing.T) {
	inline := regexp.MustCompile(`<script(?:\s[^>]*)?>\s*[^<\s]|\son[a-z]+=|\sstyle=|innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function`)
	remote := regexp.MustCompile(`(?:src|href)=["']?(?:https?:)?//|import\s*\(?\s*["']https?:|url\(\s*["']?https?:`)
	err := fs.WalkDir(static, "static", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := static.ReadFile(name)
		if m := inline.Find(b); m != nil {
			t.Errorf("%s: %q", name, m)
		}
		if m := remote.Find(b); m != nil {
			t.Errorf("%s loads from another origin: %q", name, m)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
