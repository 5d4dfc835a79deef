// Package console serves the web console for tenants and host
// administrators: a small single-page application of plain ES modules,
// embedded in the binary, that uses only the public API (/graphql and
// /connect/token). The handler serves its files under /console/ with a
// strict Content-Security-Policy and answers every other path under
// /console/ with the page, so the application's own routes load it.
package console

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strings"
)

// Path is where the console is mounted.
const Path = "/console/"

// Policy is the Content-Security-Policy of every answer: scripts, styles
// and requests of the console's own origin only, no inline script or style
// element, no plugins, no framing, forms posting nowhere.
const Policy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// file is one asset, ready to serve.
type file struct {
	body        []byte
	contentType string
	etag        string
}

// Handler serves the console. publicURL is the URL clients reach the
// service at: its path (behind a proxy that strips a prefix) is where the
// page links its assets and sends its API requests.
func Handler(publicURL string) (http.Handler, error) {
	root := ""
	if u, err := url.Parse(publicURL); err == nil {
		root = strings.TrimRight(u.Path, "/")
	}
	files, err := load(root)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("GET /console", http.RedirectHandler(root+Path, http.StatusMovedPermanently))
	mux.Handle("GET "+Path+"{path...}", serve(files))
	return mux, nil
}

// load reads the embedded files and renders the page for root.
func load(root string) (map[string]*file, error) {
	files := make(map[string]*file)
	err := fs.WalkDir(static, "static", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := static.ReadFile(name)
		if err != nil {
			return err
		}
		rel := strings.TrimPrefix(name, "static/")
		if rel == "index.html" {
			if body, err = render(body, root); err != nil {
				return err
			}
		}
		files[rel] = newFile(rel, body)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("console: assets: %w", err)
	}
	if files["index.html"] == nil {
		return nil, fmt.Errorf("console: assets: no index.html")
	}
	return files, nil
}

// render fills the path the service is reached at into the page.
func render(page []byte, root string) ([]byte, error) {
	t, err := template.New("index").Parse(string(page))
	if err != nil {
		return nil, fmt.Errorf("console: page: %w", err)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, struct{ Root string }{root}); err != nil {
		return nil, fmt.Errorf("console: page: %w", err)
	}
	return b.Bytes(), nil
}

func newFile(name string, body []byte) *file {
	sum := sha256.Sum256(body)
	ct := mime.TypeByExtension(path.Ext(name))
	switch path.Ext(name) {
	case ".js":
		ct = "text/javascript; charset=utf-8"
	case ".html":
		ct = "text/html; charset=utf-8"
	case ".css":
		ct = "text/css; charset=utf-8"
	}
	return &file{body: body, contentType: ct, etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
}

// serve answers a path under /console/: an asset, a 404 for a missing one
// (a path with an extension), and the page for anything else, the
// application's routes.
func serve(files map[string]*file) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("path")
		f, ok := files[name]
		if !ok || name == "index.html" {
			if path.Ext(name) != "" && name != "index.html" {
				headers(w.Header())
				http.Error(w, "not found", http.StatusNotFound)
				return
			}
			f = files["index.html"]
		}
		h := w.Header()
		headers(h)
		h.Set("Content-Type", f.contentType)
		// Revalidated on every load: a new binary's files are taken at
		// once, an unchanged one costs a 304.
		h.Set("Cache-Control", "no-cache")
		h.Set("ETag", f.etag)
		if match := r.Header.Get("If-None-Match"); match != "" && strings.Contains(match, f.etag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		h.Set("Content-Length", fmt.Sprint(len(f.body)))
		if r.Method == http.MethodHead {
			return
		}
		_, _ = w.Write(f.body)
	})
}

// headers sets the security headers of every answer.
func headers(h http.Header) {
	h.Set("Content-Security-Policy", Policy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
}
