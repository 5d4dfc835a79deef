package graph

import (
	"log/slog"
	"net/http"
	"slices"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/dailyreports/dailyreports/internal/graphiql"
)

// Limits of one request, checked before anything runs.
const (
	ComplexityLimit = 1000
	MaxDepth        = 15
	MaxFields       = 200
	// maxIntrospectionFields bounds the introspection fields of an operation
	// or a fragment: the query of graphql-js 16 and 17 (every option on)
	// selects 230.
	maxIntrospectionFields = 300
	// maxDocumentFields bounds the fields of every operation and fragment of
	// a document together, which validation walks (graphql-js's
	// introspection query: 471).
	maxDocumentFields = 1000
	// maxTokens bounds the parser's work on one document.
	maxTokens = 10_000
	// maxBody bounds a request body.
	maxBody = 1 << 20
	// maxErrors bounds the errors of one answer.
	maxErrors = 20
)

// Options configure the GraphQL endpoint.
type Options struct {
	// Playground serves GraphiQL on GET /graphql to browsers and turns
	// introspection and field suggestions on.
	Playground bool
	Log        *slog.Logger
}

// Mount registers POST and GET /graphql on mux; with the playground on, a
// GET that prefers HTML gets GraphiQL. Requests reach it authenticated by
// the shared middleware; resolvers read the viewer from the context.
func Mount(mux *http.ServeMux, r *Resolver, opts Options) {
	srv := NewServer(r, opts)
	mux.Handle("POST /graphql", srv)
	if opts.Playground {
		ui := graphiql.Handler("/graphql")
		mux.Handle("GET /graphql/assets/", ui)
		mux.Handle("GET /graphql", pageOr(ui, srv))
	} else {
		mux.Handle("GET /graphql", srv)
	}
}

// pageOr serves page to a client that prefers HTML to GraphQL's JSON
// answers, and api to the others.
func pageOr(page, api http.Handler) http.Handler {
	offers := slices.Concat(answerTypes, []string{mediaHTML}) // */* is JSON
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if negotiate(r.Header.Get("Accept"), offers) == mediaHTML {
			w.Header().Add("Vary", "Accept")
			page.ServeHTTP(w, r)
			return
		}
		api.ServeHTTP(w, r)
	})
}

// NewServer assembles the GraphQL server explicitly: GraphQL over HTTP
// (GET and POST), a query cache, limits held before validation and a
// complexity limit after it, introspection and field suggestions only with
// the playground, an error presenter that speaks the error vocabulary, and
// panic recovery.
func NewServer(r *Resolver, opts Options) *handler.Server {
	cfg := Config{Resolvers: r}
	weigh(&cfg.Complexity)
	schema := NewExecutableSchema(cfg)
	srv := handler.New(schema)
	srv.AddTransport(httpTransport{maxBody: maxBody, maxErrors: maxErrors})
	cache := lru.New[*ast.QueryDocument](1000)
	srv.SetQueryCache(cache)
	srv.SetParserTokenLimit(maxTokens)
	l := limits{maxFields: MaxFields, maxDepth: MaxDepth, maxIntrospectionFields: maxIntrospectionFields,
		maxDocumentFields: maxDocumentFields}
	if opts.Playground {
		l.introspection = newIntrospectionCost(schema.Schema())
		srv.Use(extension.Introspection{})
	}
	srv.Use(documentLimits{limits: l, cache: cache, tokens: maxTokens})
	srv.Use(extension.FixedComplexityLimit(ComplexityLimit))
	srv.Use(observe{})
	srv.SetDisableSuggestion(!opts.Playground)
	srv.SetErrorPresenter(presentError(opts.Log))
	srv.SetRecoverFunc(recoverPanic(opts.Log))
	return srv
}
