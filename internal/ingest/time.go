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
	if err := rfc3339Shape(s); err != nil {
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

// rfc3339Shape checks what time.Parse lets through but RFC 3339 does not:
// one-digit fields, a comma before the fraction, and zone offsets past
// ±23:59 (Go accepts +24:00 and +23:60). time.Parse checks the rest.
func rfc3339Shape(s string) error {
	const layout = "dddd-dd-ddTdd:dd:dd"
	if len(s) <= len(layout) {
		return fail("must be an RFC 3339 time")
	}
	for i := range len(layout) {
		if layout[i] == 'd' && !isDigit(s[i]) || layout[i] != 'd' && s[i] != layout[i] {
			return fail("must be an RFC 3339 time")
		}
	}
	zone := s[len(layout):]
	if zone[0] == '.' {
		n := 1
		for n < len(zone) && isDigit(zone[n]) {
			n++
		}
		if n == 1 {
			return fail("must be an RFC 3339 time")
		}
		zone = zone[n:]
	}
	return zoneOffset(zone)
}

// zoneOffset checks an RFC 3339 time-offset: Z, or ±hh:mm up to ±23:59.
func zoneOffset(z string) error {
	if z == "Z" {
		return nil
	}
	if len(z) != 6 || (z[0] != '+' && z[0] != '-') || z[3] != ':' ||
		!isDigit(z[1]) || !isDigit(z[2]) || !isDigit(z[4]) || !isDigit(z[5]) {
		return fail("must be an RFC 3339 time")
	}
	if z[1:3] > "23" || z[4:6] > "59" {
		return fail("must be an RFC 3339 time: a zone offset is at most ±23:59")
	}
	return nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
