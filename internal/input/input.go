// Package input checks the strings clients send before they are stored or
// looked up: names, identifiers and token subjects. PostgreSQL's text type
// refuses NUL and invalid UTF-8 with a driver error, and control characters
// mean nothing in a name or an identifier, so such strings are refused here,
// as a clean error, before any query runs.
package input

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dailyreports/dailyreports/internal/apperr"
)

// MaxName is the longest name of a tenant or an API client, in bytes (the
// schema's limit).
const MaxName = 200

// Why Text refuses a string.
var (
	ErrEmpty   = errors.New("empty")
	ErrTooLong = errors.New("too long")
	ErrControl = errors.New("invalid UTF-8 or a control character")
)

// Text returns nil when s is 1 to max bytes of valid UTF-8 without control
// characters (C0, DEL and C1: NUL, tab and newline included), and otherwise
// ErrEmpty, ErrTooLong or ErrControl.
func Text(s string, max int) error {
	switch {
	case s == "":
		return ErrEmpty
	case len(s) > max:
		return ErrTooLong
	case !utf8.ValidString(s) || strings.ContainsFunc(s, unicode.IsControl):
		return ErrControl
	}
	return nil
}

// Name returns name without surrounding white space when it is a valid name
// (Text with MaxName), and otherwise an apperr Invalid error that says what
// a name must be.
func Name(name string) (string, error) {
	name = strings.TrimSpace(name)
	switch err := Text(name, MaxName); {
	case errors.Is(err, ErrControl):
		return "", apperr.New(apperr.Invalid, "name must be valid UTF-8 text without control characters (NUL, tab, newline)")
	case err != nil:
		return "", apperr.New(apperr.Invalid, "name must have 1 to %d bytes", MaxName)
	}
	return name, nil
}
