package ingest

import (
	"math"
	"strings"
	"testing"
)

// TestFieldRules checks every field rule, with the exact record and field
// naming, in the second record of an array (record 1, NDJSON line 2).
func TestFieldRules(t *testing.T) {
	long := `"` + strings.Repeat("x", 257) + `"`
	tests := []struct {
		name string
		e    edits
		want string // after "record 1: " / "line 2: "
	}{
		{"unknown field", edits{"Foo": `1`}, `unknown field "Foo"`},
		{"case-mismatched field", edits{"id": `"c-1"`}, `unknown field "id"`},
		{"long unknown field", edits{strings.Repeat("é", 40): `1`}, `unknown field "` + strings.Repeat("é", 32) + `…"`},
		{"case-mismatched message field", edits{"Messages[1].text": `"x"`}, `Messages[1]: unknown field "text"`},
		{"Id missing", edits{"Id": "-"}, "Id: is required"},
		{"Id null", edits{"Id": "null"}, "Id: is required"},
		{"Id empty", edits{"Id": `""`}, "Id: must not be empty"},
		{"Id too long", edits{"Id": long}, "Id: must be at most 256 bytes"},
		{"Id a number", edits{"Id": `7`}, "Id: must be a string"},
		{"SessionId a number", edits{"SessionId": `7`}, "SessionId: must be a string"},
		{"Channel too long", edits{"Channel": long}, "Channel: must be at most 256 bytes"},
		{"Language too long", edits{"Language": `"` + strings.Repeat("a", 36) + `"`}, "Language: must be at most 35 bytes"},
		{"ProjectName an object", edits{"ProjectName": `{}`}, "ProjectName: must be a string"},
		{"Status an array", edits{"Status": `["x"]`}, "Status: must be a string"},
		{"StartedAt missing", edits{"StartedAt": "-"}, "StartedAt: is required"},
		{"StartedAt not a time", edits{"StartedAt": `"yesterday"`}, "StartedAt: must be an RFC 3339 time"},
		{"StartedAt without zone", edits{"StartedAt": `"2025-04-22T15:02:11"`}, "StartedAt: must be an RFC 3339 time"},
		{"StartedAt date only", edits{"StartedAt": `"2025-04-22"`}, "StartedAt: must be an RFC 3339 time"},
		{"StartedAt a number", edits{"StartedAt": `1745334131`}, "StartedAt: must be a string"},
		{"StartedAt too early", edits{"StartedAt": `"1999-12-31T23:59:59.999999Z"`}, "StartedAt: must not be before 2000-01-01"},
		{"StartedAt too late", edits{"StartedAt": `"2025-04-24T00:30:00.000001Z"`}, "StartedAt: must not be more than 24h in the future"},
		{"EndedAt before StartedAt", edits{"EndedAt": `"2025-04-22T15:02:10.999999Z"`}, "EndedAt: must not be before StartedAt"},
		{"EndedAt not a time", edits{"EndedAt": `"soon"`}, "EndedAt: must be an RFC 3339 time"},
		// time.Parse accepts these; RFC 3339 does not.
		{"StartedAt offset +24:00", edits{"StartedAt": `"2025-04-22T15:02:11+24:00"`}, "StartedAt: must be an RFC 3339 time: a zone offset is at most ±23:59"},
		{"EndedAt offset -24:00", edits{"EndedAt": `"2025-04-22T15:06:40-24:00"`}, "EndedAt: must be an RFC 3339 time: a zone offset is at most ±23:59"},
		{"SentAt offset minute 60", edits{"Messages[1].SentAt": `"2025-04-22T15:02:12+05:60"`}, "Messages[1].SentAt: must be an RFC 3339 time: a zone offset is at most ±23:59"},
		{"StartedAt one-digit hour", edits{"StartedAt": `"2025-04-22T5:02:11Z"`}, "StartedAt: must be an RFC 3339 time"},
		{"StartedAt comma fraction", edits{"StartedAt": `"2025-04-22T15:02:11,5Z"`}, "StartedAt: must be an RFC 3339 time"},
		{"StartedAt dot without digits", edits{"StartedAt": `"2025-04-22T15:02:11.Z"`}, "StartedAt: must be an RFC 3339 time"},
		{"StartedAt offset without colon", edits{"StartedAt": `"2025-04-22T15:02:11+0200"`}, "StartedAt: must be an RFC 3339 time"},
		{"StartedAt lowercase z", edits{"StartedAt": `"2025-04-22T15:02:11z"`}, "StartedAt: must be an RFC 3339 time"},
		{"EndedAt too late", edits{"EndedAt": `"2030-01-01T00:00:00Z"`}, "EndedAt: must not be more than 24h in the future"},
		{"Messages missing", edits{"Messages": "-"}, "Messages: is required"},
		{"Messages null", edits{"Messages": "null"}, "Messages: is required"},
		{"Messages an object", edits{"Messages": `{}`}, "Messages: must be an array"},
		{"message not an object", edits{"Messages": `[1]`}, "Messages[0]: must be an object"},
		{"message Id missing", edits{"Messages[1].Id": "-"}, "Messages[1].Id: is required"},
		{"message Id empty", edits{"Messages[1].Id": `""`}, "Messages[1].Id: must not be empty"},
		{"message Id too long", edits{"Messages[1].Id": long}, "Messages[1].Id: must be at most 256 bytes"},
		{"message Id repeated", edits{"Messages[1].Id": `"m-1"`}, "Messages[1].Id: repeats Messages[0].Id"},
		{"SentAt missing", edits{"Messages[1].SentAt": "-"}, "Messages[1].SentAt: is required"},
		{"SentAt not a time", edits{"Messages[1].SentAt": `"2025-04-22 15:02:11Z"`}, "Messages[1].SentAt: must be an RFC 3339 time"},
		{"SentAt too early", edits{"Messages[1].SentAt": `"1970-01-01T00:00:00Z"`}, "Messages[1].SentAt: must not be before 2000-01-01"},
		{"SentAt too late", edits{"Messages[0].SentAt": `"2025-04-25T00:00:00+00:00"`}, "Messages[0].SentAt: must not be more than 24h in the future"},
		{"Sender missing", edits{"Messages[1].Sender": "-"}, "Messages[1].Sender: is required"},
		{"Sender unknown", edits{"Messages[1].Sender": `"User"`}, "Messages[1].Sender: must be one of user, bot, agent, system"},
		{"Text missing", edits{"Messages[1].Text": "-"}, "Messages[1].Text: is required"},
		{"Text null", edits{"Messages[1].Text": "null"}, "Messages[1].Text: is required"},
		{"Text a number", edits{"Messages[1].Text": `42`}, "Messages[1].Text: must be a string"},
		{"Intent too long", edits{"Messages[1].Intent": long}, "Messages[1].Intent: must be at most 256 bytes"},
		{"Intent a bool", edits{"Messages[1].Intent": `true`}, "Messages[1].Intent: must be a string"},
		{"Confidence a string", edits{"Messages[1].Confidence": `"0.5"`}, "Messages[1].Confidence: must be a number"},
		{"Confidence above 1", edits{"Messages[1].Confidence": `1.0000001`}, "Messages[1].Confidence: must be a number between 0 and 1"},
		{"Confidence negative", edits{"Messages[1].Confidence": `-0.1`}, "Messages[1].Confidence: must be a number between 0 and 1"},
		{"Confidence overflows", edits{"Messages[1].Confidence": `1e400`}, "Messages[1].Confidence: must be a number between 0 and 1"},
		{"NUL in Id", edits{"Id": `"c\u00001"`}, "Id: must not contain NUL"},
		{"NUL in Text", edits{"Messages[1].Text": `"a\u0000"`}, "Messages[1].Text: must not contain NUL"},
		{"lone high surrogate", edits{"Messages[1].Text": `"a\ud83d b"`}, "Messages[1].Text: must not contain an unpaired surrogate"},
		{"lone low surrogate", edits{"Channel": `"\ude00"`}, "Channel: must not contain an unpaired surrogate"},
		{"high surrogate at end", edits{"Messages[0].Intent": `"\ud83d"`}, "Messages[0].Intent: must not contain an unpaired surrogate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bad := record(t, tt.e)
			_, err := decode(array(record(t, edits{"Id": `"c-0"`}), bad), "application/json")
			wantInvalid(t, err, "record 1: "+tt.want)
			_, err = decode(ndjson(record(t, edits{"Id": `"c-0"`}), bad), "application/x-ndjson")
			wantInvalid(t, err, "line 2: "+tt.want)
		})
	}
}

func TestRepeatedField(t *testing.T) {
	_, err := decode(`[{"Id":"a","Id":"b","StartedAt":"2025-04-22T15:00:00Z","Messages":[]}]`, "")
	wantInvalid(t, err, `record 0: repeated field "Id"`)
	_, err = decode(`[{"Id":"a","StartedAt":"2025-04-22T15:00:00Z","Messages":[{"Text":"","Text":""}]}]`, "")
	wantInvalid(t, err, `record 0: Messages[0]: repeated field "Text"`)
}

func TestEscapedFieldName(t *testing.T) {
	// "I\u0064" is the key "Id": keys are compared after unescaping.
	cs := mustDecode(t, `[{"I\u0064":"a","StartedAt":"2025-04-22T15:00:00Z","Messages":[]}]`, "")
	if cs[0].ID != "a" {
		t.Fatalf("Id = %q", cs[0].ID)
	}
}

func TestOptionalFieldsAbsentOrNull(t *testing.T) {
	absent := record(t, edits{"SessionId": "-", "Channel": "-", "Language": "-", "ProjectName": "-",
		"Status": "-", "EndedAt": "-", "Messages[1].Intent": "-", "Messages[1].Confidence": "-"})
	null := record(t, edits{"SessionId": "null", "Channel": "null", "Language": "null", "ProjectName": "null",
		"Status": "null", "EndedAt": "null", "Messages[1].Intent": "null", "Messages[1].Confidence": "null"})
	for _, body := range []string{absent, null} {
		c := mustDecode(t, array(body), "")[0]
		m := c.Messages[1]
		if c.SessionID != "" || c.Channel != "" || c.Language != "" || c.ProjectName != "" ||
			c.Status != "" || c.EndedAt != nil || m.Intent != nil || m.Confidence != nil {
			t.Errorf("%s decoded to %+v, %+v", body, c, m)
		}
	}
}

func TestTimeBoundsInclusive(t *testing.T) {
	c := mustDecode(t, array(record(t, edits{
		"StartedAt": `"2000-01-01T00:00:00Z"`, "EndedAt": `"2025-04-24T00:30:00Z"`,
		"Messages[0].SentAt": `"2025-04-24T02:30:00.0000009+02:00"`,
	})), "")[0]
	if !c.StartedAt.Equal(minTime) || !c.EndedAt.Equal(testNow.Add(maxAhead)) ||
		!c.Messages[0].SentAt.Equal(testNow.Add(maxAhead)) {
		t.Fatalf("got %v %v %v", c.StartedAt, c.EndedAt, c.Messages[0].SentAt)
	}
}

func TestTimesTruncatedToMicroseconds(t *testing.T) {
	c := mustDecode(t, array(record(t, edits{"StartedAt": `"2025-04-22T15:02:11.1234569+00:30"`})), "")[0]
	if want := utc(t, "2025-04-22T14:32:11.123456Z"); !c.StartedAt.Equal(want) || c.StartedAt.Location().String() != "UTC" {
		t.Fatalf("StartedAt = %v, want %v", c.StartedAt, want)
	}
}

func TestNegativeZeroConfidence(t *testing.T) {
	c := mustDecode(t, array(record(t, edits{"Messages[1].Confidence": `-0.0`})), "")[0]
	if f := *c.Messages[1].Confidence; f != 0 || math.Signbit(f) {
		t.Fatalf("Confidence = %v, want +0", f)
	}
}

// TestZoneOffsetBounds checks that the widest offsets RFC 3339 allows are
// accepted and converted.
func TestZoneOffsetBounds(t *testing.T) {
	c := mustDecode(t, array(record(t, edits{
		"StartedAt": `"2025-04-22T15:02:11+23:59"`, "Messages[1].SentAt": `"2025-04-22T15:02:12-23:59"`,
	})), "")[0]
	if want := utc(t, "2025-04-21T15:03:11Z"); !c.StartedAt.Equal(want) {
		t.Fatalf("StartedAt = %v, want %v", c.StartedAt, want)
	}
	if want := utc(t, "2025-04-23T15:01:12Z"); !c.Messages[1].SentAt.Equal(want) {
		t.Fatalf("SentAt = %v, want %v", c.Messages[1].SentAt, want)
	}
}
