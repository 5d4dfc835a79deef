package rest_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"os/exec"
	"testing"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// The JSON form to a client that accepts gzip is the zip entry's deflate
// stream framed as gzip: decoded by Go's standard client, by compress/gzip
// and by curl --compressed, it is byte for byte the document inflated for
// a client that does not, live and stored alike.
func TestJSONGzippedFromTheZip(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	tenant := e.Tenant("acme", true, 1)
	e.Ingest(e.Token(tenant, viewer.ScopeConversationsWrite), richConversations(inHour(15, 0)))
	read := e.Token(tenant, viewer.ScopeReportsRead)
	path := reportPath(yesterday().Format("2006-01-02"), "15", "compressed=false")
	for _, source := range []string{"live", "stored"} {
		plain := e.Do(http.MethodGet, path, read, nil, "Accept-Encoding", "identity")
		doc := apptest.Read(t, plain)
		if plain.StatusCode != http.StatusOK || plain.Header.Get("Content-Encoding") != "" || plain.Header.Get("X-Report-Source") != source {
			t.Fatalf("%s, identity: %d, encoding %q, source %q", source, plain.StatusCode, plain.Header.Get("Content-Encoding"), plain.Header.Get("X-Report-Source"))
		}
		gz := e.Do(http.MethodGet, path, read, nil, "Accept-Encoding", "gzip")
		raw := apptest.Read(t, gz)
		if gz.Header.Get("Content-Encoding") != "gzip" || gz.Header.Get("Vary") != "Authorization, X-Tenant-Id, Accept-Encoding" ||
			gz.Header.Get("ETag") == plain.Header.Get("ETag") || gz.ContentLength != int64(len(raw)) {
			t.Fatalf("%s, gzip: encoding %q, vary %q, etags %s and %s, length %d of %d", source, gz.Header.Get("Content-Encoding"),
				gz.Header.Get("Vary"), gz.Header.Get("ETag"), plain.Header.Get("ETag"), gz.ContentLength, len(raw))
		}
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		if got, err := io.ReadAll(zr); err != nil || !bytes.Equal(got, doc) {
			t.Fatalf("%s: compress/gzip read %d bytes (%v), the document has %d", source, len(got), err, len(doc))
		}
		// Go's client asks for gzip itself and decodes it.
		resp, err := http.DefaultClient.Do(authorized(t, e.URL+path, read))
		if err != nil {
			t.Fatal(err)
		}
		if got := apptest.Read(t, resp); !resp.Uncompressed || !bytes.Equal(got, doc) {
			t.Fatalf("%s: Go's client: uncompressed %v, %d bytes, the document has %d", source, resp.Uncompressed, len(got), len(doc))
		}
		curl := exec.Command("curl", "-sS", "--compressed", "-H", "Authorization: Bearer "+read, e.URL+path)
		if got, err := curl.Output(); err != nil || !bytes.Equal(got, doc) {
			t.Fatalf("%s: curl --compressed: %v, %d bytes, the document has %d", source, err, len(got), len(doc))
		}
	}
}

// authorized is a GET of url with a bearer token.
func authorized(t *testing.T, url, token string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	return req
}
