package model

import (
	"encoding/json"
	"io"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/ent"
	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/document"
)

// The scalars' input errors are in the error vocabulary (Invalid), so the
// error presenter answers BAD_USER_INPUT rather than hiding them as
// internal errors.

// MarshalDate writes a UTC day as "YYYY-MM-DD".
func MarshalDate(t time.Time) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		_, _ = io.WriteString(w, strconv.Quote(t.UTC().Format(document.DayLayout)))
	})
}

// UnmarshalDate reads "YYYY-MM-DD" as midnight UTC.
func UnmarshalDate(v any) (time.Time, error) {
	s, ok := v.(string)
	if ok {
		if t, err := time.Parse(document.DayLayout, s); err == nil && len(s) == len(document.DayLayout) {
			return t, nil
		}
	}
	return time.Time{}, apperr.New(apperr.Invalid, "a Date must be a day as YYYY-MM-DD")
}

// MarshalUUID writes an ID.
func MarshalUUID(id uuid.UUID) graphql.Marshaler { return graphql.MarshalUUID(id) }

// UnmarshalUUID reads an ID, which must be a UUID.
func UnmarshalUUID(v any) (uuid.UUID, error) {
	id, err := graphql.UnmarshalUUID(v)
	if err != nil {
		return uuid.Nil, apperr.New(apperr.Invalid, "an ID must be a UUID")
	}
	return id, nil
}

// MarshalCursor writes a pagination cursor.
func MarshalCursor(c ent.Cursor) graphql.Marshaler { return c }

// UnmarshalCursor reads a pagination cursor.
func UnmarshalCursor(v any) (ent.Cursor, error) {
	var c ent.Cursor
	if err := c.UnmarshalGQL(v); err != nil {
		return c, apperr.New(apperr.Invalid, "malformed cursor")
	}
	return c, nil
}

// MarshalRawJSON writes JSON bytes as they are.
func MarshalRawJSON(b json.RawMessage) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		if len(b) == 0 {
			_, _ = io.WriteString(w, "null")
			return
		}
		_, _ = w.Write(b)
	})
}

// UnmarshalRawJSON reads any JSON value.
func UnmarshalRawJSON(v any) (json.RawMessage, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, apperr.New(apperr.Invalid, "not a JSON value")
	}
	return b, nil
}
