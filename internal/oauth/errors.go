package oauth

import (
	"net/http"
	"net/url"
	"time"

	"github.com/dailyreports/dailyreports/internal/apperr"
)

// oauthError is an error answer of the token endpoint (RFC 6749 §5.2).
type oauthError struct {
	Code        string `json:"error"`
	Description string `json:"error_description,omitempty"`
	// retryAfter, when set, makes the answer 429 with Retry-After.
	retryAfter time.Duration
}

func (e *oauthError) Error() string { return "oauth: " + e.Code + ": " + e.Description }

// status is the HTTP status of the error.
func (e *oauthError) status() int {
	if e.retryAfter > 0 {
		return http.StatusTooManyRequests
	}
	switch e.Code {
	case "invalid_client":
		return http.StatusUnauthorized
	case "temporarily_unavailable":
		return http.StatusServiceUnavailable
	case "server_error":
		return http.StatusInternalServerError
	}
	return http.StatusBadRequest
}

// errClient is the answer to failed client authentication, the same for a
// wrong secret, an unknown, malformed or revoked client id.
func errClient() *oauthError {
	return &oauthError{Code: "invalid_client", Description: "client authentication failed"}
}

// throttled answers an authentication refused by the Throttle: 429 with
// Retry-After, and invalid_client, since no client was authenticated. It
// says nothing of whether the client exists.
func throttled(wait time.Duration) *oauthError {
	return &oauthError{Code: "invalid_client", retryAfter: max(wait, time.Second),
		Description: "too many failed client authentications; retry after the delay in Retry-After"}
}

func invalidRequest(desc string) *oauthError {
	return &oauthError{Code: "invalid_request", Description: desc}
}

// serverError answers an error outside the OAuth vocabulary without its
// detail: unavailable storage as temporarily_unavailable, the rest as
// server_error.
func serverError(err error) *oauthError {
	if apperr.CodeOf(err) == apperr.Unavailable {
		return &oauthError{Code: "temporarily_unavailable", Description: "the service is unavailable; try again"}
	}
	return &oauthError{Code: "server_error", Description: "internal error"}
}

// queryUnescape decodes a Basic credential, which RFC 6749 §2.3.1 has
// clients form-encode first.
func queryUnescape(s string) (string, error) { return url.QueryUnescape(s) }
