package auth

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/dailyreports/dailyreports/internal/viewer"
)

type failureKey struct{}

// Middleware authenticates each request with v. It reads only the
// Authorization header ("Bearer <token>", scheme case-insensitive, exactly
// one token); a request naming access_token in its query string fails even
// with a valid header, so clients learn at once that such tokens leak into
// logs and are never accepted. On success the viewer goes into the request
// context (viewer.NewContext). Middleware never writes a response: a request
// without a valid token goes on unauthenticated, so public routes such as
// /healthz work, and handlers that need a principal call Require.
func Middleware(v Verifier) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, r.WithContext(authenticate(r, v)))
		})
	}
}

func authenticate(r *http.Request, v Verifier) context.Context {
	ctx := r.Context()
	token, err := bearerToken(r)
	if err == nil {
		var who viewer.Viewer
		if who, err = v.Verify(token); err == nil {
			return viewer.NewContext(ctx, who)
		}
	}
	return context.WithValue(ctx, failureKey{}, err)
}

func bearerToken(r *http.Request) (string, error) {
	if r.URL.Query().Has("access_token") {
		return "", queryStringToken()
	}
	values := r.Header.Values("Authorization")
	if len(values) > 1 {
		return "", invalidToken(errors.New("more than one authorization header"))
	}
	var fields []string
	if len(values) == 1 {
		fields = strings.Fields(values[0])
	}
	if len(fields) == 0 || !strings.EqualFold(fields[0], "Bearer") {
		return "", missingToken()
	}
	if len(fields) != 2 {
		return "", invalidToken(errors.New("bearer credentials are not exactly one token"))
	}
	return fields[1], nil
}

// Require returns the viewer Middleware authenticated for r, or an apperr
// Unauthenticated error: "missing bearer token" when none was sent, "invalid
// token" when it was rejected.
func Require(r *http.Request) (viewer.Viewer, error) { return RequireContext(r.Context()) }

// RequireContext is Require for code that holds only the context, such as
// GraphQL resolvers. A context Middleware never saw yields "missing bearer
// token", so a route wired without the middleware fails closed.
func RequireContext(ctx context.Context) (viewer.Viewer, error) {
	if err, _ := ctx.Value(failureKey{}).(error); err != nil {
		return viewer.Viewer{}, err
	}
	if who, ok := viewer.FromContext(ctx); ok {
		return who, nil
	}
	return viewer.Viewer{}, missingToken()
}
