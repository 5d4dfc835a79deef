package ingest

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/document"
)

// testNow is the clock of every test.
var testNow = time.Date(2025, 4, 23, 0, 30, 0, 0, time.UTC)

// testLimits returns the default limits with the test clock.
func testLimits() Limits {
	lim := DefaultLimits()
	lim.Now = func() time.Time { return testNow }
	return lim
}

// edits change a valid record: each maps a field path ("Id",
// "Messages[1].Text") to its raw JSON value; the value "-" deletes it.
type edits map[string]string

// baseRecord is a valid record with two messages, as a tree of raw values.
func baseRecord() (map[string]json.RawMessage, []map[string]json.RawMessage) {
	c := map[string]json.RawMessage{
		"Id": raw(`"c-1"`), "SessionId": raw(`"s-1"`), "Channel": raw(`"webchat"`),
		"Language": raw(`"en-US"`), "ProjectName": raw(`"support"`),
		"StartedAt": raw(`"2025-04-22T15:02:11Z"`), "EndedAt": raw(`"2025-04-22T15:06:40Z"`),
		"Status": raw(`"completed"`),
	}
	ms := []map[string]json.RawMessage{
		{"Id": raw(`"m-1"`), "SentAt": raw(`"2025-04-22T15:02:11Z"`), "Sender": raw(`"user"`),
			"Text": raw(`"hi"`), "Intent": raw(`null`), "Confidence": raw(`null`)},
		{"Id": raw(`"m-2"`), "SentAt": raw(`"2025-04-22T15:02:12Z"`), "Sender": raw(`"bot"`),
			"Text": raw(`"Hello!"`), "Intent": raw(`"greeting"`), "Confidence": raw(`0.97`)},
	}
	return c, ms
}

func raw(s string) json.RawMessage { return json.RawMessage(s) }

// record returns a valid record with e applied, as JSON.
func record(t testing.TB, e edits) string {
	t.Helper()
	c, ms := baseRecord()
	for path, v := range e {
		obj, key := c, path
		if rest, ok := strings.CutPrefix(path, "Messages["); ok {
			i, field, _ := strings.Cut(rest, "].")
			n, err := strconv.Atoi(i)
			if err != nil {
				t.Fatalf("bad path %q", path)
			}
			obj, key = ms[n], field
		}
		if v == "-" {
			delete(obj, key)
		} else {
			obj[key] = raw(v)
		}
	}
	if _, ok := e["Messages"]; !ok {
		c["Messages"] = mustMarshal(t, ms)
	}
	return string(mustMarshal(t, c))
}

func mustMarshal(t testing.TB, v any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// array returns records as a JSON array body.
func array(records ...string) string { return "[" + strings.Join(records, ",") + "]" }

// ndjson returns records as an NDJSON body.
func ndjson(records ...string) string { return strings.Join(records, "\n") + "\n" }

// decode decodes body with the test limits; contentType "" stands for
// application/json.
func decode(body, contentType string) ([]document.Conversation, error) {
	if contentType == "" {
		contentType = "application/json"
	}
	return Decode(strings.NewReader(body), contentType, testLimits())
}

// mustDecode decodes body and fails the test on error.
func mustDecode(t testing.TB, body, contentType string) []document.Conversation {
	t.Helper()
	cs, err := decode(body, contentType)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	return cs
}

// wantInvalid checks that err is an Invalid *apperr.Error whose message is want.
func wantInvalid(t testing.TB, err error, want string) {
	t.Helper()
	var e *apperr.Error
	switch {
	case err == nil:
		t.Fatalf("Decode succeeded, want error %q", want)
	case !errors.As(err, &e) || !refusal(e.Code):
		t.Fatalf("error %v (%T), want an *apperr.Error refusing the batch", err, err)
	case e.Message != want:
		t.Fatalf("error message\n got %q\nwant %q", e.Message, want)
	}
}

// refusal reports whether code is one Decode refuses a batch with: invalid,
// too large or of an unsupported media type.
func refusal(code apperr.Code) bool {
	return code == apperr.Invalid || code == apperr.TooLarge || code == apperr.UnsupportedMedia
}

// wantInvalidPrefix is wantInvalid for messages that end in encoding/json's
// own words, which are left unchecked.
func wantInvalidPrefix(t testing.TB, err error, prefix string) {
	t.Helper()
	var e *apperr.Error
	if !errors.As(err, &e) || e.Code != apperr.Invalid || !strings.HasPrefix(e.Message, prefix) {
		t.Fatalf("error %v, want an Invalid *apperr.Error starting %q", err, prefix)
	}
}

// nested returns n opening brackets: input no decoder should recurse into.
func nested(prefix string, n int) string { return prefix + strings.Repeat("[", n) }

// ptr returns a pointer to v.
func ptr[T any](v T) *T { return &v }

// utc parses an RFC 3339 time for expectations.
func utc(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return v.UTC()
}

// manyRecords returns n valid records of m messages each, with distinct Ids.
func manyRecords(n, m int) []string {
	out := make([]string, n)
	for i := range out {
		var b strings.Builder
		fmt.Fprintf(&b, `{"Id":"conv-%d","SessionId":"sess-%d","Channel":"webchat","Language":"en-US",`+
			`"ProjectName":"support","StartedAt":"2025-04-22T15:%02d:%02d.123456Z","EndedAt":null,`+
			`"Status":"completed","Messages":[`, i, i, i/60%60, i%60)
		for j := range m {
			if j > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"Id":"m-%d","SentAt":"2025-04-22T15:%02d:%02d.5+00:00","Sender":%q,`+
				`"Text":"Message number %d: I would like to change my delivery address, please.",`+
				`"Intent":"change_address","Confidence":0.%d}`, j, i/60%60, i%60, []string{"user", "bot"}[j%2], j, j)
		}
		b.WriteString("]}")
		out[i] = b.String()
	}
	return out
}

// show formats a value for a failure message, following pointers.
func show(v any) string {
	switch p := v.(type) {
	case *string:
		if p != nil {
			return strconv.Quote(*p)
		}
	case *float64:
		if p != nil {
			return fmt.Sprint(*p)
		}
	case *time.Time:
		if p != nil {
			return p.String()
		}
	case string:
		return strconv.Quote(p)
	}
	return fmt.Sprint(v)
}

func itoa(n int) string { return strconv.Itoa(n) }
