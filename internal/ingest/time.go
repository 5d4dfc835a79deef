package ingest

import "time"

// window is the span a time must lie in: [minTime, now+maxAhead].
type window struct{ max time.Time }

// newWindow returns the window of a batch decoded at now.
func newWindow(now time.Time) window { return window{max: now.Add(maxAhead)} }

// required decodes a time that must be present.
func (w window) required(v []byte) (time.Time, error) {
	if isNull(v) {
		return time.Time{}, errRequired()
	}
	return w.decode(v)
}

// optional decodes a time that may be null.
func (w window) optional(v []byte) (*time.Time, error) {
	if isNull(v) {
		return nil, nil
	}
	t, err := w.decode(v)
	return &t, err
}

// decode parses an RFC 3339 time with a zone and returns it in UTC,
// truncated to microseconds, if it lies in the window.
func (w window) decode(v []byte) (time.Time, error) {
	s, err := decodeString(v)
	if err != nil {
		return time.Time{}, err
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fail("must be an RFC 3339 time")
	}
	t = t.UTC().Truncate(time.Microsecond)
	switch {
	case t.Before(minTime):
		return t, fail("must not be before 2000-01-01")
	case t.After(w.max):
		return t, fail("must not be more than 24h in the future")
	}
	return t, nil
}
