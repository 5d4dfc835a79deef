package document

import (
	"encoding/json"
	"fmt"
	"io"
	"testing"
	"time"
)

// trickyTexts are strings that must survive zip → unzip → decode unchanged.
var trickyTexts = []string{
	"emoji 👋🏽👨‍👩‍👧🇹🇷", "CJK 你好世界 こんにちは 안녕하세요", "RTL مرحبا بالعالم שלום עולם",
	"combining e\u0301 a\u0308 n\u0303 Z̤͔ͧ̑̓", `quotes "double" 'single'`, `back\slash \\ \n literal`,
	"newline\nCRLF\r\ntab\t", "controls \x00\x01\x08\x0c\x1b\x1f\x7f", "html <b>bold</b> & &amp; </script>",
	"separators \u2028 and \u2029", "BOM \ufeff zero-width \u200b\u200d", "",
}

func trickyHour() []Conversation {
	cs := make([]Conversation, 0, len(trickyTexts))
	for i, s := range trickyTexts {
		end := at(i, 30, 123_456_789)
		cs = append(cs, Conversation{ID: s, SessionID: s + "-s", Channel: s, Language: s, ProjectName: s,
			StartedAt: at(i, 0, 1), EndedAt: &end, Status: s, Messages: []Message{
				{ID: s, SentAt: at(i, 1, 0), Sender: "user", Text: s},
				{ID: s + "2", SentAt: at(i, 2, 999_000_000), Sender: "bot", Text: s + s, Intent: &trickyTexts[i], Confidence: ptr(0.97)},
			}})
	}
	return cs
}

func TestRoundTripThroughZip(t *testing.T) {
	cs := trickyHour()
	h := header(testHour, cs)
	s := mustSpool(t, h, cs)
	rc, _, err := OpenEntry(s.Open(), s.Size())
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	var got docJSON
	if err := json.NewDecoder(rc).Decode(&got); err != nil {
		t.Fatalf("decode: %v", err)
	}
	for _, d := range diffDoc(got, mirror(h, cs)) {
		t.Error(d)
	}
}

// diffDoc compares two documents field by field.
func diffDoc(got, want docJSON) []string {
	var d differ
	d.eq("SchemaVersion", got.SchemaVersion, want.SchemaVersion)
	d.eq("TenantId", got.TenantId, want.TenantId)
	d.eq("UtcDay", got.UtcDay, want.UtcDay)
	d.eq("UtcHour", got.UtcHour, want.UtcHour)
	d.time("From", got.From, want.From)
	d.time("To", got.To, want.To)
	d.time("GeneratedAt", got.GeneratedAt, want.GeneratedAt)
	d.eq("ConversationCount", got.ConversationCount, want.ConversationCount)
	d.eq("MessageCount", got.MessageCount, want.MessageCount)
	if d.eq("len(Conversations)", len(got.Conversations), len(want.Conversations)) {
		for i := range got.Conversations {
			d.conversation(fmt.Sprintf("Conversations[%d]", i), got.Conversations[i], want.Conversations[i])
		}
	}
	return d.diffs
}

type differ struct{ diffs []string }

func (d *differ) eq(name string, got, want any) bool {
	if got != want {
		d.diffs = append(d.diffs, fmt.Sprintf("%s = %#v, want %#v", name, got, want))
		return false
	}
	return true
}

func (d *differ) time(name string, got, want time.Time) {
	if !got.Equal(want) || got.Location() != time.UTC {
		d.diffs = append(d.diffs, fmt.Sprintf("%s = %v, want %v", name, got, want))
	}
}

func (d *differ) conversation(p string, got, want convJSON) {
	d.eq(p+".Id", got.Id, want.Id)
	d.eq(p+".SessionId", got.SessionId, want.SessionId)
	d.eq(p+".Channel", got.Channel, want.Channel)
	d.eq(p+".Language", got.Language, want.Language)
	d.eq(p+".ProjectName", got.ProjectName, want.ProjectName)
	d.time(p+".StartedAt", got.StartedAt, want.StartedAt)
	if d.eq(p+".EndedAt != nil", got.EndedAt != nil, want.EndedAt != nil) && got.EndedAt != nil {
		d.time(p+".EndedAt", *got.EndedAt, *want.EndedAt)
	}
	d.eq(p+".Status", got.Status, want.Status)
	if d.eq(p+".len(Messages)", len(got.Messages), len(want.Messages)) {
		for i := range got.Messages {
			d.message(fmt.Sprintf("%s.Messages[%d]", p, i), got.Messages[i], want.Messages[i])
		}
	}
}

func (d *differ) message(p string, got, want msgJSON) {
	d.eq(p+".Id", got.Id, want.Id)
	d.time(p+".SentAt", got.SentAt, want.SentAt)
	d.eq(p+".Sender", got.Sender, want.Sender)
	d.eq(p+".Text", got.Text, want.Text)
	if d.eq(p+".Intent != nil", got.Intent != nil, want.Intent != nil) && got.Intent != nil {
		d.eq(p+".Intent", *got.Intent, *want.Intent)
	}
	if d.eq(p+".Confidence != nil", got.Confidence != nil, want.Confidence != nil) && got.Confidence != nil {
		d.eq(p+".Confidence", *got.Confidence, *want.Confidence)
	}
}

// readAll reads r to the end, failing the test on error.
func readAll(t testing.TB, r io.Reader) []byte {
	t.Helper()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
