package ingest

import (
	"errors"
	"fmt"

	"github.com/dailyreports/dailyreports/internal/apperr"
)

// ErrTooLarge is the cause carried by the *apperr.Error (code TooLarge) that
// Decode returns for a body larger than Limits.MaxBytes.
var ErrTooLarge = errors.New("body too large")

// ErrUnsupportedType is the cause carried by the *apperr.Error (code
// UnsupportedMedia) that Decode returns for a Content-Type it does not read.
var ErrUnsupportedType = errors.New("unsupported content type")

// IsTooLarge reports whether err is Decode's error for a body over MaxBytes.
func IsTooLarge(err error) bool { return errors.Is(err, ErrTooLarge) }

// IsUnsupportedType reports whether err is Decode's error for an unsupported
// Content-Type.
func IsUnsupportedType(err error) bool { return errors.Is(err, ErrUnsupportedType) }

// errTooLarge is the error for a body over max bytes.
func errTooLarge(max int64) error {
	return apperr.Wrap(ErrTooLarge, apperr.TooLarge, "batch is larger than "+byteSize(max))
}

// errEmpty is returned for a batch without records.
func errEmpty() error { return apperr.New(apperr.Invalid, "batch is empty") }

// problem is what is wrong with a record: the path of the field at fault
// (empty for the record itself) and why.
type problem struct{ field, reason string }

func (p *problem) Error() string {
	if p.field == "" {
		return p.reason
	}
	return p.field + ": " + p.reason
}

// fail returns a problem with the record itself, or with a value before the
// caller names its field with at.
func fail(format string, args ...any) error {
	return &problem{reason: fmt.Sprintf(format, args...)}
}

// at prefixes the path of the problem err with field: "Messages" and
// "[2].SentAt" make "Messages[2].SentAt". A nil err stays nil.
func at(field string, err error) error {
	p, ok := err.(*problem)
	switch {
	case err == nil:
		return nil
	case !ok:
		return err
	case p.field == "":
		return &problem{field: field, reason: p.reason}
	case p.field[0] == '[':
		return &problem{field: field + p.field, reason: p.reason}
	}
	return &problem{field: field + "." + p.field, reason: p.reason}
}

// inRecord turns a problem with record n into the batch's error; kind is
// "record" (array index) or "line" (NDJSON line).
func inRecord(kind string, n int, err error) error {
	return apperr.New(apperr.Invalid, "%s %d: %v", kind, n, err)
}
