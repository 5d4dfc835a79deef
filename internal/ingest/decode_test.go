package ingest

import (
	"reflect"
	"testing"

	"github.com/dailyreports/dailyreports/internal/document"
)

// tricky is a record whose strings and times exercise escapes, non-ASCII
// text, fractional seconds, zone offsets and null optional fields.
const tricky = `{
	"Id": "c-\u00e9\"1\\",
	"SessionId": "s-😀",
	"Channel": "web\/chat",
	"Language": "tr-TR",
	"ProjectName": "destek \t 日本語",
	"StartedAt": "2025-04-22T17:02:11.123456789+02:00",
	"EndedAt": null,
	"Status": "",
	"Messages": [
		{"Id": "m-1", "SentAt": "2025-04-22T10:02:11-05:00", "Sender": "user",
		 "Text": "line one\nline \"two\" \\ back\u2028slash \ud83d\ude00 😀 ğüşıöç", "Intent": null, "Confidence": null},
		{"Id": "m-2", "SentAt": "2025-04-22T15:02:12.5Z", "Sender": "agent",
		 "Text": "", "Intent": "greeting", "Confidence": 1},
		{"Id": "m-3", "SentAt": "2025-04-22T15:02:13.000001Z", "Sender": "system",
		 "Text": "\u0041\u00e9", "Confidence": -0}
	]
}`

// trickyWant is what tricky decodes to.
func trickyWant(t *testing.T) document.Conversation {
	return document.Conversation{
		ID: "c-é\"1\\", SessionID: "s-😀", Channel: "web/chat", Language: "tr-TR",
		ProjectName: "destek \t 日本語", StartedAt: utc(t, "2025-04-22T15:02:11.123456Z"), Status: "",
		Messages: []document.Message{
			{ID: "m-1", SentAt: utc(t, "2025-04-22T15:02:11Z"), Sender: "user",
				Text: "line one\nline \"two\" \\ back\u2028slash 😀 😀 ğüşıöç"},
			{ID: "m-2", SentAt: utc(t, "2025-04-22T15:02:12.5Z"), Sender: "agent",
				Text: "", Intent: ptr("greeting"), Confidence: ptr(1.0)},
			{ID: "m-3", SentAt: utc(t, "2025-04-22T15:02:13.000001Z"), Sender: "system",
				Text: "Aé", Confidence: ptr(0.0)},
		},
	}
}

// baseWant is what record(t, nil) decodes to.
func baseWant(t *testing.T) document.Conversation {
	return document.Conversation{
		ID: "c-1", SessionID: "s-1", Channel: "webchat", Language: "en-US", ProjectName: "support",
		StartedAt: utc(t, "2025-04-22T15:02:11Z"), EndedAt: ptr(utc(t, "2025-04-22T15:06:40Z")),
		Status: "completed",
		Messages: []document.Message{
			{ID: "m-1", SentAt: utc(t, "2025-04-22T15:02:11Z"), Sender: "user", Text: "hi"},
			{ID: "m-2", SentAt: utc(t, "2025-04-22T15:02:12Z"), Sender: "bot", Text: "Hello!",
				Intent: ptr("greeting"), Confidence: ptr(0.97)},
		},
	}
}

func TestDecodeHappyPath(t *testing.T) {
	minimal := `{"Id":"c-2","StartedAt":"2025-04-22T15:00:00Z","Messages":[]}`
	minimalWant := document.Conversation{ID: "c-2", StartedAt: utc(t, "2025-04-22T15:00:00Z"), Messages: []document.Message{}}
	want := []document.Conversation{baseWant(t), trickyWant(t), minimalWant}
	tests := []struct{ name, body, contentType string }{
		{"array", array(record(t, nil), tricky, minimal), "application/json"},
		{"array without content type", array(record(t, nil), tricky, minimal), ""},
		{"array with charset", array(record(t, nil), tricky, minimal), "application/json; charset=UTF-8"},
		{"array with BOM and spaces", "\uFEFF \n[ " + record(t, nil) + " ,\n" + tricky + "\t,\r\n" + minimal + " ]\n ", "application/json"},
		{"ndjson", ndjson(record(t, nil), compact(t, tricky), minimal), "application/x-ndjson"},
		{"jsonl with CRLF and blank lines", "\r\n" + record(t, nil) + "\r\n\r\n  \n" + compact(t, tricky) + "\r\n" + minimal, "application/jsonl"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mustDecode(t, tt.body, tt.contentType)
			compareConversations(t, got, want)
		})
	}
}

// compact puts a multi-line record on one line for NDJSON.
func compact(t *testing.T, s string) string {
	return string(mustMarshal(t, raw(s)))
}

// compareConversations compares field by field, so a failure names the field.
func compareConversations(t *testing.T, got, want []document.Conversation) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d conversations, want %d", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		check(t, i, "Id", g.ID, w.ID)
		check(t, i, "SessionId", g.SessionID, w.SessionID)
		check(t, i, "Channel", g.Channel, w.Channel)
		check(t, i, "Language", g.Language, w.Language)
		check(t, i, "ProjectName", g.ProjectName, w.ProjectName)
		check(t, i, "StartedAt", g.StartedAt, w.StartedAt)
		check(t, i, "EndedAt", g.EndedAt, w.EndedAt)
		check(t, i, "Status", g.Status, w.Status)
		compareMessages(t, i, g.Messages, w.Messages)
	}
}

func compareMessages(t *testing.T, i int, got, want []document.Message) {
	t.Helper()
	if len(got) != len(want) || (got == nil) != (want == nil) {
		t.Fatalf("conversation %d: got messages %#v, want %#v", i, got, want)
	}
	for j := range want {
		g, w := got[j], want[j]
		check(t, i, "Messages.Id", g.ID, w.ID)
		check(t, i, "Messages.SentAt", g.SentAt, w.SentAt)
		check(t, i, "Messages.Sender", g.Sender, w.Sender)
		check(t, i, "Messages.Text", g.Text, w.Text)
		check(t, i, "Messages.Intent", g.Intent, w.Intent)
		check(t, i, "Messages.Confidence", g.Confidence, w.Confidence)
	}
}

// check compares one field; times must also be in UTC to be equal.
func check(t *testing.T, i int, field string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("conversation %d %s:\n got %s\nwant %s", i, field, show(got), show(want))
	}
}
