package graphiql

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"html/template"
	"net/http"
	"time"
)

// Policy is the Content-Security-Policy of the page: scripts, styles, fonts
// and requests from its own origin only, and no framing. Two exceptions,
// neither of which loads anything: GraphiQL's fonts come inline in its
// stylesheet (data: URLs), and its dialogs add a <style> element to the page
// (to stop it scrolling behind them). No inline script runs.
const Policy = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"font-src 'self' data:; img-src 'self' data:; connect-src 'self'; " +
	"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

var pageTemplate = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>GraphiQL · dailyreports</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{{.Style}}">
<script src="{{.Script}}" defer></script>
</head>
<body>
<div id="graphiql" data-endpoint="{{.Endpoint}}">Loading…</div>
</body>
</html>
`))

// page is the rendered GraphiQL page; it changes only with the binary.
type page struct {
	body []byte
	etag string
}

func newPage(endpoint, script, style string) *page {
	var buf bytes.Buffer
	err := pageTemplate.Execute(&buf, struct{ Endpoint, Script, Style string }{endpoint, script, style})
	if err != nil {
		panic("graphiql: page: " + err.Error()) // the template and its data are constants
	}
	sum := sha256.Sum256(buf.Bytes())
	return &page{body: buf.Bytes(), etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
}

// ServeHTTP serves the page, revalidated on every load so that a new
// binary's assets are picked up at once.
func (p *page) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", Policy)
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-cache")
	h.Set("ETag", p.etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(p.body))
}
