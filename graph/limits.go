package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Codes of the operations queryLimits rejects.
const (
	codeDepthLimit = "DEPTH_LIMIT_EXCEEDED"
	codeFieldLimit = "FIELD_LIMIT_EXCEEDED"
)

// queryLimits rejects, after validation and before anything runs, an
// operation that nests fields deeper than maxDepth or selects more than
// maxFields fields. Every alias and every use of a fragment counts, so
// batching one field under many aliases is refused however cheap the field.
// Unless introspection is on, it also refuses __schema and __type as
// invalid, so such an operation fails whole, with a validation error.
type queryLimits struct {
	maxDepth, maxFields int
	introspection       bool
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = queryLimits{}

// ExtensionName names the extension.
func (queryLimits) ExtensionName() string { return "QueryLimits" }

// Validate accepts every schema.
func (queryLimits) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext checks the operation about to run.
func (l queryLimits) MutateOperationContext(_ context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	w := limitWalker{queryLimits: l}
	w.walk(opCtx.Operation.SelectionSet, 1)
	var err *gqlerror.Error
	switch {
	case w.depth > l.maxDepth:
		err = gqlerror.Errorf("the operation nests fields more than %d deep", l.maxDepth)
		errcode.Set(err, codeDepthLimit)
	case w.fields > l.maxFields:
		err = gqlerror.Errorf("the operation selects more than %d fields (aliases and fragment uses count)", l.maxFields)
		errcode.Set(err, codeFieldLimit)
	case w.introspects && !l.introspection:
		err = gqlerror.Errorf("introspection is disabled")
		errcode.Set(err, errcode.ValidationFailed)
	}
	return err
}

// limitWalker counts fields and depth, expanding fragments where they are
// used, and stops as soon as a limit is passed, so nested fragments cannot
// make the count itself expensive. Validation has ruled out fragment cycles.
type limitWalker struct {
	queryLimits
	fields, depth int
	introspects   bool
}

func (w *limitWalker) walk(set ast.SelectionSet, depth int) {
	for _, sel := range set {
		if w.fields > w.maxFields || w.depth > w.maxDepth {
			return
		}
		switch s := sel.(type) {
		case *ast.Field:
			w.fields++
			w.depth = max(w.depth, depth)
			w.introspects = w.introspects || s.Name == "__schema" || s.Name == "__type"
			w.walk(s.SelectionSet, depth+1)
		case *ast.FragmentSpread:
			if s.Definition != nil {
				w.walk(s.Definition.SelectionSet, depth)
			}
		case *ast.InlineFragment:
			w.walk(s.SelectionSet, depth)
		}
	}
}
