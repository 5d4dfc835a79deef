// Package apperr is the service's one error vocabulary. Errors carry a code
// and a message safe to show to clients; each edge (REST problem details,
// GraphQL extensions.code, job logs) translates codes once.
package apperr

import (
	"errors"
	"fmt"
	"time"
)

// Code classifies an error for clients.
type Code string

// The codes of the vocabulary.
const (
	Invalid         Code = "invalid"
	Unauthenticated Code = "unauthenticated"
	Forbidden       Code = "forbidden"
	NotFound        Code = "not_found"
	Gone            Code = "gone"
	Conflict        Code = "conflict"
	TooMany         Code = "too_many_requests"
	Unavailable     Code = "unavailable"
	Internal        Code = "internal"
	// TooLarge: a request body over its limit.
	TooLarge Code = "too_large"
	// UnsupportedMedia: a request body in a media type the route does not read.
	UnsupportedMedia Code = "unsupported_media_type"
	// Timeout: a request body that arrived too slowly.
	Timeout Code = "timeout"
	// MethodNotAllowed and RangeNotSatisfiable are HTTP's own: a route asked
	// with another method, a byte range outside the representation.
	MethodNotAllowed    Code = "method_not_allowed"
	RangeNotSatisfiable Code = "range_not_satisfiable"
)

// Error is an error with a code and a client-safe message.
type Error struct {
	Code    Code
	Message string
	// RetryAfter, when set, tells clients when to try again (TooMany, Unavailable).
	RetryAfter time.Duration
	// Err is the underlying cause; it is logged, never shown to clients.
	Err error
}

// Error returns the message, and the cause when there is one.
func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %v", e.Message, e.Err)
	}
	return e.Message
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// New returns an error with code and a client-safe message.
func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns an error with code and message whose cause is err.
func Wrap(err error, code Code, message string) *Error {
	return &Error{Code: code, Message: message, Err: err}
}

// TenantNotFound is the error for a tenant that does not exist or that the
// principal may not name: one answer for both, so no tenant can learn
// whether another exists.
func TenantNotFound() *Error { return New(NotFound, "tenant not found") }

// CodeOf returns the code of err: the code of the first *Error in its chain,
// or Internal for errors outside the vocabulary.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// MessageOf returns the client-safe message of err; errors outside the
// vocabulary get a generic message so no internal detail leaks.
func MessageOf(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != Internal {
		return e.Message
	}
	return "internal error"
}

// RetryAfterOf returns the retry hint carried by err, if any.
func RetryAfterOf(err error) time.Duration {
	var e *Error
	if errors.As(err, &e) {
		return e.RetryAfter
	}
	return 0
}
