package graphiql

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/dailyreports/dailyreports/internal/negotiate"
)

//go:embed dist
var dist embed.FS

// bundle is the embedded assets: the script and stylesheet, named by their
// content, and the other files of dist (the licences).
type bundle struct {
	script, style *asset
	files         map[string]*asset
}

// asset is one embedded file, gzipped on first demand.
type asset struct {
	name, contentType, etag string
	immutable               bool
	body                    []byte
	gzipped                 func() []byte
}

// mustLoad reads the embedded assets; they are part of the binary, so a
// failure is a build error, caught by the package's tests.
func mustLoad() *bundle {
	b, err := load(dist)
	if err != nil {
		panic("graphiql: embedded assets: " + err.Error())
	}
	return b
}

func load(fsys fs.FS) (*bundle, error) {
	names, err := fs.Glob(fsys, "dist/*")
	if err != nil {
		return nil, fmt.Errorf("list: %w", err)
	}
	b := &bundle{files: map[string]*asset{}}
	for _, name := range names {
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read: %w", err)
		}
		a := newAsset(path.Base(name), body)
		b.files[a.name] = a
		switch {
		case !a.immutable:
		case strings.HasSuffix(a.name, ".js") && b.script == nil:
			b.script = a
		case strings.HasSuffix(a.name, ".css") && b.style == nil:
			b.style = a
		default:
			return nil, fmt.Errorf("more than one bundle: %s", a.name)
		}
	}
	if b.script == nil || b.style == nil {
		return nil, fmt.Errorf("no script or no stylesheet in dist (run go generate)")
	}
	return b, nil
}

func newAsset(name string, body []byte) *asset {
	sum := sha256.Sum256(body)
	a := &asset{
		name:        name,
		contentType: contentType(name),
		etag:        hex.EncodeToString(sum[:8]),
		// The build names the bundles graphiql-<content hash>.<ext>.
		immutable: strings.HasPrefix(name, "graphiql-"),
		body:      body,
	}
	a.gzipped = sync.OnceValue(func() []byte { return compress(body) })
	return a
}

func contentType(name string) string {
	switch path.Ext(name) {
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	default:
		return "text/plain; charset=utf-8"
	}
}

func compress(body []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // a valid level cannot fail
	zw.Write(body)                                           // writes to a bytes.Buffer cannot fail
	zw.Close()
	return buf.Bytes()
}

// ServeHTTP serves the asset named by the path: the bundles cached for a
// year (a new build has new names), the rest revalidated; gzipped when the
// client takes it.
func (b *bundle) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a, ok := b.files[r.PathValue("name")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", a.contentType)
	h.Set("Vary", "Accept-Encoding")
	h.Set("Cache-Control", "no-cache")
	if a.immutable {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	}
	body, etag := a.body, a.etag
	if negotiate.AcceptsEncoding(r, "gzip") {
		body, etag = a.gzipped(), etag+"-gzip"
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("ETag", `"`+etag+`"`)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}
