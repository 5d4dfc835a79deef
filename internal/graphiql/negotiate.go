package graphiql

import (
	"net/http"
	"strconv"
	"strings"
)

// Negotiate shares the GraphQL endpoint's GET between GraphiQL and the API:
// a request that asks for a page (WantsPage), as a browser opening the
// endpoint does, goes to ui, any other to api.
func Negotiate(ui, api http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Accept")
		if WantsPage(r) {
			ui.ServeHTTP(w, r)
			return
		}
		api.ServeHTTP(w, r)
	})
}

// WantsPage reports whether r is a GET or HEAD whose Accept header takes
// text/html at least as willingly as the GraphQL response types
// (application/graphql-response+json, application/json). Browsers opening a
// URL send text/html first; GraphQL clients, GraphiQL's own fetches among
// them, do not name it.
func WantsPage(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	var html, graphql float64
	for _, v := range r.Header.Values("Accept") {
		for part := range strings.SplitSeq(v, ",") {
			typ, params, _ := strings.Cut(strings.TrimSpace(part), ";")
			q := quality(params)
			switch strings.ToLower(strings.TrimSpace(typ)) {
			case "text/html":
				html = max(html, q)
			case "application/graphql-response+json", "application/json":
				graphql = max(graphql, q)
			}
		}
	}
	return html > 0 && html >= graphql
}

// quality is the q parameter among a media range's params: 1 when absent,
// 0 when malformed.
func quality(params string) float64 {
	for p := range strings.SplitSeq(params, ";") {
		k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
		if strings.EqualFold(strings.TrimSpace(k), "q") {
			q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil || q < 0 || q > 1 {
				return 0
			}
			return q
		}
	}
	return 1
}

func zeroQuality(params string) bool { return quality(params) == 0 }
