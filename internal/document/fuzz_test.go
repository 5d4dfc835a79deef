package document

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"
	"time"
	"unicode/utf8"
)

// The years encoding/json can write a time.Time in, as Unix seconds.
const (
	minUnix = -62135596800 // 0001-01-01T00:00:00Z
	maxUnix = 253402300799 // 9999-12-31T23:59:59Z
)

// FuzzEncoder checks that any conversation encodes to the bytes encoding/json
// writes (so to valid JSON) and, for valid UTF-8, decodes back to its input.
// NaN and ±Inf confidences are left out by construction: ingestion refuses
// them, and the encoder writes null for them (TestAppendFloat).
func FuzzEncoder(f *testing.F) {
	f.Add("c-1", "hi", "greeting", 0.97, int64(1745334131), int64(0), true)
	f.Add("<&>", "a\u2028b\"\\\n\t\x00", "", 1e-7, int64(0), int64(999_000_000), false)
	f.Add("👋🏽", "你好 مرحبا e\u0301", "\xff\xfe", 1.0, int64(-1), int64(1), true)
	f.Add("", "", "x", -0.0, int64(maxUnix), int64(-5), false)
	f.Fuzz(func(t *testing.T, id, text, intent string, conf float64, sec, nsec int64, ended bool) {
		cs := []Conversation{fuzzConversation(id, text, intent, conf, fuzzTime(sec, nsec), ended)}
		h := header(testHour, cs)
		got := mustEncode(t, h, cs)
		if want := oracle(t, h, cs); !bytes.Equal(got, want) {
			t.Fatalf("differs from encoding/json\n got: %s\nwant: %s", got, want)
		}
		var doc docJSON
		if err := json.Unmarshal(got, &doc); err != nil {
			t.Fatalf("invalid JSON: %v\n%s", err, got)
		}
		if !utf8.ValidString(id) || !utf8.ValidString(text) || !utf8.ValidString(intent) {
			return // invalid bytes become U+FFFD, as checked against encoding/json
		}
		for _, d := range diffDoc(doc, mirror(h, cs)) {
			t.Error(d)
		}
	})
}

// fuzzTime maps any sec, nsec to a time encoding/json can write, one second
// short of the end of year 9999 so that a later message stays in range.
func fuzzTime(sec, nsec int64) time.Time {
	span := int64(maxUnix - minUnix)
	sec = minUnix + ((sec%span)+span)%span
	return time.Unix(sec, ((nsec%1e9)+1e9)%1e9)
}

func fuzzConversation(id, text, intent string, conf float64, at time.Time, ended bool) Conversation {
	c := Conversation{ID: id, SessionID: text, Channel: intent, Language: id, ProjectName: text,
		StartedAt: at, Status: intent, Messages: []Message{
			{ID: id, SentAt: at, Sender: intent, Text: text},
			{ID: text, SentAt: at.Add(time.Nanosecond), Sender: id, Text: text + id, Intent: &intent},
		}}
	if ended {
		c.EndedAt = &at
	}
	if !math.IsNaN(conf) && !math.IsInf(conf, 0) {
		c.Messages[1].Confidence = &conf
	}
	return c
}
