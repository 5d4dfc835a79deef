package ingest

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

// Value decoders take the raw JSON of one value, already checked to be valid
// JSON and valid UTF-8, and report problems without naming the field: the
// caller does (see at).

// errRequired is the problem of a required field that is absent or null.
func errRequired() error { return fail("is required") }

// isNull reports whether v is the JSON null.
func isNull(v []byte) bool { return string(v) == "null" }

// decodeString returns the string v holds.
func decodeString(v []byte) (string, error) {
	if len(v) == 0 || v[0] != '"' {
		return "", fail("must be a string")
	}
	if bytes.IndexByte(v, '\\') < 0 {
		return string(v[1 : len(v)-1]), nil
	}
	return unescape(v)
}

// unescape decodes a string with escapes, refusing the escapes that
// encoding/json would turn into U+FFFD or that PostgreSQL cannot store.
func unescape(v []byte) (string, error) {
	if hasLoneSurrogate(v) {
		return "", fail("must not contain an unpaired surrogate")
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return "", fail("must be a string")
	}
	if strings.IndexByte(s, 0) >= 0 {
		return "", fail("must not contain NUL")
	}
	return s, nil
}

// hasLoneSurrogate reports whether the valid JSON string q has a \u escape of
// a UTF-16 surrogate that is not half of a high-low pair.
func hasLoneSurrogate(q []byte) bool {
	for i := 0; i < len(q); i++ {
		if q[i] != '\\' {
			continue
		}
		i++
		if q[i] != 'u' {
			continue
		}
		switch r := hex4(q[i+1:]); {
		case r >= 0xDC00 && r <= 0xDFFF:
			return true
		case r >= 0xD800 && r <= 0xDBFF:
			if i+10 >= len(q) || q[i+5] != '\\' || q[i+6] != 'u' || !isLow(hex4(q[i+7:])) {
				return true
			}
			i += 6
		}
		i += 4
	}
	return false
}

// hex4 returns the value of the four hex digits that start b.
func hex4(b []byte) int {
	n, _ := strconv.ParseUint(string(b[:4]), 16, 16)
	return int(n)
}

// isLow reports whether r is a low (trailing) surrogate.
func isLow(r int) bool { return r >= 0xDC00 && r <= 0xDFFF }

// optionalString decodes a string of at most max bytes; null is "".
func optionalString(v []byte, max int) (string, error) {
	if isNull(v) {
		return "", nil
	}
	s, err := decodeString(v)
	if err == nil && len(s) > max {
		err = fail("must be at most %d bytes", max)
	}
	return s, err
}

// requiredString decodes a string of at most max bytes; null is refused.
func requiredString(v []byte, max int) (string, error) {
	if isNull(v) {
		return "", errRequired()
	}
	return optionalString(v, max)
}

// decodeID decodes an Id: a non-empty string of at most 256 bytes.
func decodeID(v []byte) (string, error) {
	s, err := requiredString(v, maxString)
	if err == nil && s == "" {
		err = fail("must not be empty")
	}
	return s, err
}

// optionalIntent decodes an Intent: null or a string of at most 256 bytes.
func optionalIntent(v []byte) (*string, error) {
	if isNull(v) {
		return nil, nil
	}
	s, err := optionalString(v, maxString)
	return &s, err
}

// decodeSender decodes a Sender: user, bot, agent or system.
func decodeSender(v []byte) (string, error) {
	s, err := requiredString(v, maxString)
	switch {
	case err != nil:
		return "", err
	case s == "user", s == "bot", s == "agent", s == "system":
		return s, nil
	}
	return "", fail("must be one of user, bot, agent, system")
}

// optionalConfidence decodes a Confidence: null or a finite number in [0, 1].
func optionalConfidence(v []byte) (*float64, error) {
	if isNull(v) {
		return nil, nil
	}
	if c := v[0]; c != '-' && (c < '0' || c > '9') {
		return nil, fail("must be a number")
	}
	f, err := strconv.ParseFloat(string(v), 64)
	if err != nil || !(f >= 0 && f <= 1) {
		return nil, fail("must be a number between 0 and 1")
	}
	f += 0 // -0 becomes 0
	return &f, nil
}
