package graphiql_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/dailyreports/dailyreports/internal/graphiql"
)

// assets returns the paths of the script and stylesheet the page links.
func assets(t *testing.T, h http.Handler) []string {
	t.Helper()
	var paths []string
	for _, m := range assetRef.FindAllStringSubmatch(get(t, h, "/graphql").Body.String(), -1) {
		paths = append(paths, m[1])
	}
	return paths
}

func TestAssetsAreCachedForAYearAndServedGzipped(t *testing.T) {
	h := graphiql.Handler("/graphql")
	for _, path := range assets(t, h) {
		plain := get(t, h, path)
		if plain.Code != http.StatusOK || plain.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Fatalf("%s: status %d, headers %v", path, plain.Code, plain.Header())
		}
		want := map[string]string{".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
		if ct := plain.Header().Get("Content-Type"); ct != want[path[strings.LastIndex(path, "."):]] {
			t.Errorf("%s: Content-Type %q", path, ct)
		}
		if cc := plain.Header().Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
			t.Errorf("%s: Cache-Control %q", path, cc)
		}
		zipped := get(t, h, path, "Accept-Encoding", "br, gzip")
		if zipped.Header().Get("Content-Encoding") != "gzip" || zipped.Body.Len() >= plain.Body.Len() {
			t.Errorf("%s: Content-Encoding %q, %d bytes of %d", path, zipped.Header().Get("Content-Encoding"), zipped.Body.Len(), plain.Body.Len())
		}
		zr, err := gzip.NewReader(zipped.Body)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if body, err := io.ReadAll(zr); err != nil || !bytes.Equal(body, plain.Body.Bytes()) {
			t.Errorf("%s: the gzipped body is not the asset (%v)", path, err)
		}
		for _, w := range []http.ResponseWriter{plain, zipped} {
			etag := w.Header().Get("ETag")
			enc := w.Header().Get("Content-Encoding")
			if again := get(t, h, path, "If-None-Match", etag, "Accept-Encoding", enc); again.Code != http.StatusNotModified {
				t.Errorf("%s (%q): If-None-Match %s: status %d", path, enc, etag, again.Code)
			}
		}
	}
}

// The stylesheet's fonts are inline: nothing in it is fetched from anywhere.
func TestStylesheetFetchesNothing(t *testing.T) {
	h := graphiql.Handler("/graphql")
	for _, path := range assets(t, h) {
		if !strings.HasSuffix(path, ".css") {
			continue
		}
		css := get(t, h, path).Body.String()
		for _, m := range regexp.MustCompile(`url\(\s*['"]?([^'")]*)`).FindAllStringSubmatch(css, -1) {
			if !strings.HasPrefix(m[1], "data:") {
				t.Errorf("%s fetches %q", path, m[1])
			}
		}
		if strings.Contains(css, "@import") {
			t.Errorf("%s imports another stylesheet", path)
		}
	}
}

func TestLicencesAreServed(t *testing.T) {
	w := get(t, graphiql.Handler("/graphql"), "/graphql/assets/LICENSES.txt")
	for _, want := range []string{"graphiql 4.", "react 19.", "graphql 16.", "codemirror 5."} {
		if !strings.Contains(w.Body.String(), "\n"+want) {
			t.Errorf("LICENSES.txt lacks %q", want)
		}
	}
	if got := w.Header().Get("Cache-Control"); got != "no-cache" {
		t.Errorf("Cache-Control = %q", got)
	}
}

func TestUnknownAssetIsNotFound(t *testing.T) {
	w := get(t, graphiql.Handler("/graphql"), "/graphql/assets/nope.js")
	if w.Code != http.StatusNotFound || w.Header().Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("status %d, headers %v", w.Code, w.Header())
	}
}
