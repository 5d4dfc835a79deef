package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"regexp"
	"runtime/debug"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/dailyreports/dailyreports/internal/apperr"
)

// codeOf maps the error vocabulary to extensions.code, once for GraphQL.
var codeOf = map[apperr.Code]string{
	apperr.Invalid:         "BAD_USER_INPUT",
	apperr.Unauthenticated: "UNAUTHENTICATED",
	apperr.Forbidden:       "FORBIDDEN",
	apperr.NotFound:        "NOT_FOUND",
	apperr.Gone:            "GONE",
	apperr.Conflict:        "CONFLICT",
	apperr.TooMany:         "TOO_MANY_REQUESTS",
	apperr.Unavailable:     "UNAVAILABLE",
	apperr.Internal:        "INTERNAL",
	// Request-level codes; GraphQL's transport answers these itself.
	apperr.TooLarge:            "BAD_REQUEST",
	apperr.UnsupportedMedia:    "BAD_REQUEST",
	apperr.Timeout:             "BAD_REQUEST",
	apperr.MethodNotAllowed:    "BAD_REQUEST",
	apperr.RangeNotSatisfiable: "BAD_REQUEST",
}

// presentError answers errors in the vocabulary with their code and
// client-safe message (and retryAfter, in seconds, when they carry one).
// Errors of the GraphQL layer itself (parse, validation, limits) keep their
// own. Anything else is logged and answered as INTERNAL "internal error".
func presentError(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		var ae *apperr.Error
		switch {
		case errors.As(err, &ae):
		case gqlErr.Err == nil:
			cleanVariableError(gqlErr)
			return gqlErr // the GraphQL layer's own error
		case errors.Is(err, context.Canceled):
			ae = apperr.New(apperr.Unavailable, "the request was cancelled")
		default:
			ae = apperr.Wrap(err, apperr.Internal, "internal error")
		}
		level := slog.LevelDebug
		if ae.Code == apperr.Internal || ae.Code == apperr.Unavailable {
			level = slog.LevelError
		}
		log.Log(ctx, level, "graphql field failed", "path", gqlErr.Path.String(), "code", ae.Code, "err", err)
		out := &gqlerror.Error{
			Message:    apperr.MessageOf(ae),
			Path:       gqlErr.Path,
			Locations:  gqlErr.Locations,
			Extensions: map[string]any{"code": codeOf[ae.Code]},
		}
		if d := ae.RetryAfter; d > 0 {
			out.Extensions["retryAfter"] = int(math.Ceil(d.Seconds()))
		}
		return out
	}
}

// variableKind matches gqlparser's messages for a variable of the wrong
// JSON type, which name Go's reflect kinds ("cannot use map as Int") or a
// value cut to fit ("cannot use value 0 as Int" for 1.5).
var variableKind = regexp.MustCompile(`^(?:cannot use .* as|must be an?) ([_A-Za-z][_0-9A-Za-z]*)(?:, not an? .*)?$`)

// cleanVariableError words such a message in GraphQL's terms.
func cleanVariableError(e *gqlerror.Error) {
	if len(e.Path) < 2 || e.Path[0] != ast.PathName("variable") {
		return
	}
	if m := variableKind.FindStringSubmatch(e.Message); m != nil {
		e.Message = fmt.Sprintf("the value of $%s is not a valid %s", e.Path[1:].String(), m[1])
	}
}

// recoverPanic logs a panicking resolver with its stack and answers an
// internal error.
func recoverPanic(log *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, v any) error {
		log.ErrorContext(ctx, "graphql resolver panicked", "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
		return apperr.New(apperr.Internal, "internal error")
	}
}
