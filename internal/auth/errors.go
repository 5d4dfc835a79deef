package auth

import (
	"errors"
	"fmt"

	"github.com/dailyreports/dailyreports/internal/apperr"
)

// Client-safe messages. They never say why a token failed, so a caller
// probing keys, algorithms or tenants learns nothing.
const (
	msgInvalid     = "invalid token"
	msgMissing     = "missing bearer token"
	msgQueryString = "tokens in the query string are not accepted; use the Authorization header"
)

// errNoCredentials is the cause of msgMissing errors; Challenge tells it apart.
var errNoCredentials = errors.New("auth: no bearer token")

// invalidToken returns the Unauthenticated error for a rejected token,
// keeping the cause for logs.
func invalidToken(cause error) error {
	return apperr.Wrap(fmt.Errorf("auth: verify token: %w", cause), apperr.Unauthenticated, msgInvalid)
}

func missingToken() error {
	return apperr.Wrap(errNoCredentials, apperr.Unauthenticated, msgMissing)
}

func queryStringToken() error {
	return apperr.Wrap(errors.New("auth: access_token in query string"), apperr.Unauthenticated, msgQueryString)
}

// Challenge returns the WWW-Authenticate header value (RFC 6750 section 3)
// for a 401 answer to err: no error code when no token was sent, and
// error="invalid_token" otherwise.
func Challenge(err error) string {
	if errors.Is(err, errNoCredentials) {
		return "Bearer"
	}
	return `Bearer error="invalid_token"`
}
