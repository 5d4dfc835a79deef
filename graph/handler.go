package graph

import (
	"log/slog"
	"net/http"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/99designs/gqlgen/graphql/playground"
	"github.com/vektah/gqlparser/v2/ast"
)

// Limits of one operation, checked before it runs.
const (
	ComplexityLimit = 1000
	MaxDepth        = 15 // GraphiQL's introspection query nests 13 deep
	MaxFields       = 200
	// maxTokens bounds the parser's work on one document.
	maxTokens = 10_000
	// maxBody bounds a request body.
	maxBody = 1 << 20
)

// Options configure the GraphQL endpoint.
type Options struct {
	// Playground serves GraphiQL on GET /graphql and turns introspection
	// and field suggestions on.
	Playground bool
	Log        *slog.Logger
}

// Mount registers POST /graphql on mux, and GET /graphql (GraphiQL) when
// the playground is on. Requests reach it authenticated by the shared
// middleware; resolvers read the viewer from the context.
func Mount(mux *http.ServeMux, r *Resolver, opts Options) {
	srv := NewServer(r, opts)
	mux.Handle("POST /graphql", http.MaxBytesHandler(srv, maxBody))
	if opts.Playground {
		mux.Handle("GET /graphql", playground.Handler("dailyreports", "/graphql"))
	}
}

// NewServer assembles the GraphQL server explicitly: POST only, a query
// cache, depth, field and complexity limits, introspection and field
// suggestions only with the playground, an error presenter that speaks the
// error vocabulary, and panic recovery.
func NewServer(r *Resolver, opts Options) *handler.Server {
	cfg := Config{Resolvers: r}
	weigh(&cfg.Complexity)
	srv := handler.New(NewExecutableSchema(cfg))
	srv.AddTransport(transport.POST{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.SetParserTokenLimit(maxTokens)
	srv.Use(queryLimits{maxDepth: MaxDepth, maxFields: MaxFields, introspection: opts.Playground})
	srv.Use(extension.FixedComplexityLimit(ComplexityLimit))
	if opts.Playground {
		srv.Use(extension.Introspection{})
	}
	srv.SetDisableSuggestion(!opts.Playground)
	srv.SetErrorPresenter(presentError(opts.Log))
	srv.SetRecoverFunc(recoverPanic(opts.Log))
	return srv
}
