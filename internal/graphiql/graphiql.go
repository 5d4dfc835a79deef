// Package graphiql serves GraphiQL, the in-browser GraphQL IDE, from assets
// built into the binary, so that it works where the service has no access to
// the internet: the page loads nothing from another origin.
//
// web/graphiql bundles GraphiQL, React and graphql-js, at the versions its
// package-lock.json pins, into one script and one stylesheet under dist/;
// go generate rebuilds them, byte for byte, and CI fails when the committed
// files differ from what the lockfile builds.
package graphiql

//go:generate npm ci --prefix ../../web/graphiql --no-audit --no-fund --ignore-scripts --prefer-offline --loglevel=error
//go:generate node ../../web/graphiql/build.js dist

import (
	"net/http"
	"strings"
)

// Handler serves GraphiQL for the GraphQL endpoint at path endpoint (such as
// "/graphql"): the page on GET endpoint, its assets on GET
// endpoint/assets/NAME. Mount it on both; Negotiate shares the endpoint's
// own path with the API.
func Handler(endpoint string) http.Handler {
	endpoint = strings.TrimSuffix(endpoint, "/")
	b := mustLoad()
	prefix := endpoint + "/assets/"
	mux := http.NewServeMux()
	mux.Handle("GET "+endpoint, newPage(endpoint, prefix+b.script.name, prefix+b.style.name))
	mux.Handle("GET "+prefix+"{name}", b)
	return nosniff(mux)
}

// nosniff tells browsers to take every answer, the not-found ones included,
// as the type it says it is.
func nosniff(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		next.ServeHTTP(w, r)
	})
}
