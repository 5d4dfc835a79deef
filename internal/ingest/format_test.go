package ingest

import (
	"strings"
	"testing"
	"time"
)

func TestContentTypes(t *testing.T) {
	body := array(record(t, nil))
	tests := []struct{ contentType, want string }{
		{"text/plain", `unsupported content type "text/plain": use application/json or application/x-ndjson`},
		{"application/xml; charset=utf-8", `unsupported content type "application/xml": use application/json or application/x-ndjson`},
		{"application/json; charset=latin1", `unsupported charset "latin1": use utf-8`},
		{"/json", "unsupported content type"},
		{"application/" + strings.Repeat("x", 100), `unsupported content type "application/` + strings.Repeat("x", 52) + `…": use application/json or application/x-ndjson`},
	}
	// A body without a Content-Type is refused, not guessed at.
	for _, ct := range []string{"", " "} {
		tests = append(tests, struct{ contentType, want string }{ct, "missing content type: use application/json or application/x-ndjson"})
	}
	for _, tt := range tests {
		_, err := Decode(strings.NewReader(body), tt.contentType, testLimits())
		wantInvalid(t, err, tt.want)
		if !IsUnsupportedType(err) || IsTooLarge(err) {
			t.Errorf("%q: IsUnsupportedType = false", tt.contentType)
		}
	}
	for _, ct := range []string{"application/json", "Application/JSON", "application/json;charset=\"utf-8\""} {
		mustDecode(t, body, ct)
	}
	for _, ct := range []string{"application/x-ndjson", "application/jsonl; charset=utf-8"} {
		mustDecode(t, ndjson(record(t, nil)), ct)
	}
}

// TestBodyErrors checks errors in the framing of a batch, for both formats.
func TestBodyErrors(t *testing.T) {
	ok := record(t, nil)
	tests := []struct{ name, body, contentType, want string }{
		{"empty body", "", "", "batch is empty"},
		{"blank body", " \n\t", "application/json", "batch is empty"},
		{"empty array", " [ ] ", "", "batch is empty"},
		{"blank ndjson", "\n\r\n  \n", "application/x-ndjson", "batch is empty"},
		{"not an array", ok, "", "body must be a JSON array of conversations (send NDJSON as application/x-ndjson)"},
		{"trailing garbage", array(ok) + " x", "", "unexpected data after the JSON array at byte " + itoa(len(array(ok))+1)},
		{"two arrays", array(ok) + array(ok), "", "unexpected data after the JSON array at byte " + itoa(len(array(ok)))},
		{"unclosed array", "[" + ok, "", "unexpected end of body: the JSON array is not closed"},
		{"unclosed after comma", "[" + ok + ",", "", "unexpected end of body: the JSON array is not closed"},
		{"only a bracket", "[", "", "unexpected end of body: the JSON array is not closed"},
		{"trailing comma", array(ok, ""), "", `record 1: expected a record after ","`},
		{"missing comma", "[" + ok + " " + ok + "]", "", `record 0: expected "," or "]" after the record`},
		{"record not an object", `[1]`, "", "record 0: must be a JSON object"},
		{"record a string", `["{}"]`, "", "record 0: must be a JSON object"},
		{"record null", `[null]`, "", "record 0: must be a JSON object"},
		{"record bad JSON", `[{"Id":}]`, "", "record 0: invalid JSON at byte 7 of the record: invalid character '}' looking for beginning of value"},
		{"record unclosed", `[{"Id":"x"`, "", "record 0: invalid JSON at byte 9 of the record: unexpected end of JSON input"},
		{"ndjson two objects on a line", ok + " " + ok + "\n", "application/x-ndjson", "line 1: unexpected data after the JSON object"},
		{"ndjson garbage after object", "\n" + ok + " }\n", "application/x-ndjson", "line 2: unexpected data after the JSON object"},
		{"ndjson array line", "\n\n[" + ok + "]\n", "application/x-ndjson", "line 3: must be a JSON object"},
		{"ndjson split object", `{"Id":"x",` + "\n" + `"StartedAt":"2025-04-22T15:00:00Z","Messages":[]}`, "application/x-ndjson",
			"line 1: invalid JSON at byte 10 of the record: unexpected end of JSON input"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := decode(tt.body, tt.contentType)
			wantInvalid(t, err, tt.want)
		})
	}
}

func TestInvalidUTF8(t *testing.T) {
	bad := strings.Replace(record(t, nil), `"hi"`, "\"h\xffi\"", 1)
	_, err := decode(array(record(t, edits{"Id": `"c-0"`}), bad), "")
	wantInvalid(t, err, "record 1: invalid UTF-8")
	_, err = decode(ndjson(bad), "application/x-ndjson")
	wantInvalid(t, err, "line 1: invalid UTF-8")
	// A raw NUL byte is not JSON at all.
	_, err = decode(array(strings.Replace(record(t, nil), `"hi"`, "\"h\x00i\"", 1)), "")
	if err == nil || !strings.HasPrefix(err.Error(), "record 0: invalid JSON at byte") {
		t.Fatalf("raw NUL: %v", err)
	}
}

// TestDeepNesting checks that deep input fails fast without recursion.
func TestDeepNesting(t *testing.T) {
	const depth = 100_000
	tests := []struct{ name, body, contentType, want string }{
		{"array of arrays", nested("", depth), "", "record 0: must be a JSON object"},
		{"ndjson arrays", nested("", depth), "application/x-ndjson", "line 1: must be a JSON object"},
		{"inside a record", nested(`[{"Id":`, depth), "", "record 0: invalid JSON at byte 10006 of the record: "},
		{"inside a message", nested(`{"Messages":[{"Text":`, depth), "application/x-ndjson",
			"line 1: invalid JSON at byte 10019 of the record: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			_, err := decode(tt.body, tt.contentType)
			wantInvalidPrefix(t, err, tt.want)
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

// TestDuplicateIDsLastWins checks that a later record replaces an earlier one
// with the same Id, at the place of the later one.
func TestDuplicateIDsLastWins(t *testing.T) {
	first := record(t, edits{"Id": `"a"`, "Status": `"open"`})
	other := record(t, edits{"Id": `"b"`})
	last := record(t, edits{"Id": `"a"`, "Status": `"closed"`})
	for _, ct := range []string{"", "application/x-ndjson"} {
		body := array(first, other, last)
		if ct != "" {
			body = ndjson(first, other, last)
		}
		cs := mustDecode(t, body, ct)
		if len(cs) != 2 || cs[0].ID != "b" || cs[1].ID != "a" || cs[1].Status != "closed" {
			t.Fatalf("%q: got %+v", ct, cs)
		}
	}
	// An earlier duplicate is still validated.
	_, err := decode(array(record(t, edits{"Id": `"a"`, "Status": `7`}), last), "")
	wantInvalid(t, err, "record 0: Status: must be a string")
}
