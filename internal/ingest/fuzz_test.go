package ingest

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
	"time"
	"unicode/utf8"

	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/document"
)

// FuzzDecode checks that Decode never panics, gives the same outcome however
// the body's bytes arrive, and either returns at least one conversation that
// obeys every rule or an Invalid *apperr.Error.
func FuzzDecode(f *testing.F) {
	ok := record(f, nil)
	seeds := []string{
		array(ok), ndjson(ok), tricky, array(tricky), array(manyRecords(2, 3)...), ndjson(manyRecords(2, 3)...),
		"", "[]", "[", "[{}]", "[1]", "{}", "\n\n", array(ok) + "x", ok + " " + ok,
		array(record(f, edits{"id": `"x"`})), array(record(f, edits{"Messages[1].Id": `"m-1"`})),
		array(record(f, edits{"Messages[1].Text": `"\u0000"`})), array(record(f, edits{"Messages[0].Text": `"\ud800"`})),
		array(record(f, edits{"StartedAt": `"2099-01-01T00:00:00Z"`})), "[\"\xff\"]", nested("", 1000),
		array(record(f, edits{"Id": `"a"`}), record(f, edits{"Id": `"a"`, "EndedAt": "null"})),
		// Times Go's parser accepts and RFC 3339 does not.
		array(record(f, edits{"StartedAt": `"2025-04-22T15:02:11+24:00"`})), array(record(f, edits{"Messages[0].SentAt": `"2025-04-22T15:02:11-23:60"`})),
		array(record(f, edits{"StartedAt": `"2025-04-22T5:02:11Z"`})), array(record(f, edits{"StartedAt": `"2025-04-22T15:02:11,5Z"`})),
		// Escapes and brackets inside strings, where a cut across reads could go wrong.
		array(record(f, edits{"Id": `"\\\""`, "Messages[0].Text": `"]}\\\"[{"`})), `["\\"]`, `["\"]`, `["\`, "\uFEFF[]",
	}
	for _, s := range seeds {
		for _, ct := range []string{"application/json", "application/x-ndjson", ""} {
			f.Add([]byte(s), ct)
		}
	}
	f.Add([]byte(ok), "text/plain")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		cs, err := Decode(strings.NewReader(string(body)), contentType, testLimits())
		// However the body arrives, the outcome is the same.
		bytewise, err2 := Decode(iotest.OneByteReader(strings.NewReader(string(body))), contentType, testLimits())
		if apperr.MessageOf(err) != apperr.MessageOf(err2) || !reflect.DeepEqual(cs, bytewise) {
			t.Fatalf("read whole: %d conversations, %v; a byte at a time: %d, %v", len(cs), err, len(bytewise), err2)
		}
		if err != nil {
			var e *apperr.Error
			if !errors.As(err, &e) || !refusal(e.Code) || cs != nil {
				t.Fatalf("error %v (%T) with %d conversations", err, err, len(cs))
			}
			return
		}
		if len(cs) == 0 {
			t.Fatal("no error and no conversations")
		}
		seen := map[string]bool{}
		for i := range cs {
			if seen[cs[i].ID] {
				t.Fatalf("Id %q returned twice", cs[i].ID)
			}
			seen[cs[i].ID] = true
			checkRules(t, &cs[i])
		}
	})
}

// checkRules fails t unless c obeys every rule of the package doc.
func checkRules(t *testing.T, c *document.Conversation) {
	t.Helper()
	checkString(t, "Id", c.ID, 1, maxString)
	checkString(t, "SessionId", c.SessionID, 0, maxString)
	checkString(t, "Channel", c.Channel, 0, maxString)
	checkString(t, "Language", c.Language, 0, maxLanguage)
	checkString(t, "ProjectName", c.ProjectName, 0, maxString)
	checkString(t, "Status", c.Status, 0, maxString)
	checkTime(t, "StartedAt", c.StartedAt)
	if c.EndedAt != nil {
		checkTime(t, "EndedAt", *c.EndedAt)
		if c.EndedAt.Before(c.StartedAt) {
			t.Fatalf("EndedAt %v before StartedAt %v", c.EndedAt, c.StartedAt)
		}
	}
	if c.Messages == nil || len(c.Messages) > DefaultLimits().MaxMessages {
		t.Fatalf("Messages: %d (nil %v)", len(c.Messages), c.Messages == nil)
	}
	ids := map[string]bool{}
	for i := range c.Messages {
		m := &c.Messages[i]
		if ids[m.ID] {
			t.Fatalf("message Id %q repeated", m.ID)
		}
		ids[m.ID] = true
		checkMessage(t, m)
	}
}

func checkMessage(t *testing.T, m *document.Message) {
	t.Helper()
	checkString(t, "Messages.Id", m.ID, 1, maxString)
	checkString(t, "Messages.Text", m.Text, 0, DefaultLimits().MaxTextBytes)
	checkTime(t, "Messages.SentAt", m.SentAt)
	switch m.Sender {
	case "user", "bot", "agent", "system":
	default:
		t.Fatalf("Sender %q", m.Sender)
	}
	if m.Intent != nil {
		checkString(t, "Messages.Intent", *m.Intent, 0, maxString)
	}
	if f := m.Confidence; f != nil && (math.IsNaN(*f) || *f < 0 || *f > 1 || math.Signbit(*f)) {
		t.Fatalf("Confidence %v", *f)
	}
}

func checkString(t *testing.T, field, s string, min, max int) {
	t.Helper()
	if len(s) < min || len(s) > max || !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
		t.Fatalf("%s %q breaks a rule", field, s)
	}
}

func checkTime(t *testing.T, field string, v time.Time) {
	t.Helper()
	if v.Location() != time.UTC || v.Nanosecond()%1000 != 0 || v.Before(minTime) || v.After(testNow.Add(maxAhead)) {
		t.Fatalf("%s %v breaks a rule", field, v)
	}
}
