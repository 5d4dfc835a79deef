package ingest

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/dailyreports/dailyreports/internal/document"
)

// decoder turns records into conversations under one batch's limits.
type decoder struct {
	lim Limits
	win window
}

// record checks that raw is one valid JSON object in valid UTF-8 and decodes
// it into a conversation.
func (d *decoder) record(raw []byte) (document.Conversation, error) {
	switch {
	case len(raw) == 0 || raw[0] != '{':
		return document.Conversation{}, fail("must be a JSON object")
	case !utf8.Valid(raw):
		return document.Conversation{}, fail("invalid UTF-8")
	case !json.Valid(raw):
		return document.Conversation{}, syntaxProblem(raw)
	}
	return d.conversation(raw)
}

// syntaxProblem describes why raw is not valid JSON.
func syntaxProblem(raw []byte) error {
	err := json.Unmarshal(raw, new(json.RawMessage))
	if se, ok := err.(*json.SyntaxError); ok {
		return fail("invalid JSON at byte %d of the record: %v", se.Offset, se)
	}
	return fail("invalid JSON: %v", err)
}

// fieldSet records which fields of an object were seen, one bit per field.
type fieldSet uint16

// claim marks the field bit, failing for unknown (bit 0) and repeated fields.
func (s *fieldSet) claim(bit fieldSet, key []byte) error {
	switch {
	case bit == 0:
		return fail("unknown field %q", clip(key))
	case *s&bit != 0:
		return fail("repeated field %q", key)
	}
	*s |= bit
	return nil
}

// missing returns the name of the first of names whose bit is not in s.
func (s fieldSet) missing(bits []fieldSet, names []string) (string, bool) {
	for i, b := range bits {
		if s&b == 0 {
			return names[i], true
		}
	}
	return "", false
}

// requireAll fails for the first required field that was not seen.
func requireAll(s fieldSet, bits []fieldSet, names []string) error {
	if name, ok := s.missing(bits, names); ok {
		return at(name, errRequired())
	}
	return nil
}

// clip shortens a client-chosen name before an error message echoes it.
func clip[T ~string | ~[]byte](s T) string {
	const max = 64
	if len(s) <= max {
		return string(s)
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return string(s[:cut]) + "…"
}

// ordinal names element i of Messages in a path.
func ordinal(i int) string { return fmt.Sprintf("[%d]", i) }
