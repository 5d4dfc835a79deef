package graph

import (
	"context"
	"errors"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
)

// documentLimits holds every new document to the limits after parsing it
// and before gqlgen validates it: gqlgen parses and validates in one step,
// so the document is parsed here once more (a linear pass, bounded by the
// token limit). A document in the query cache passed both already, so a
// known document costs nothing more. Documents differing only in comments
// or layout are cached apart: each costs one parse and one validation,
// both bounded by the limits.
type documentLimits struct {
	limits
	cache  graphql.Cache[*ast.QueryDocument]
	tokens int
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = documentLimits{}

// ExtensionName names the extension.
func (documentLimits) ExtensionName() string { return "DocumentLimits" }

// Validate accepts every schema.
func (documentLimits) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationParameters refuses a document over the limits, and any
// document once the client has gone.
func (d documentLimits) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	if ctx.Err() != nil {
		return limitError("UNAVAILABLE", "the request was cancelled")
	}
	if _, ok := d.cache.Get(ctx, p.Query); ok {
		return nil
	}
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: p.Query}, d.tokens)
	if err != nil {
		var gqlErr *gqlerror.Error
		if !errors.As(err, &gqlErr) {
			gqlErr = gqlerror.Errorf("the document does not parse")
		}
		errcode.Set(gqlErr, errcode.ParseFailed)
		return gqlErr
	}
	return d.check(doc)
}
