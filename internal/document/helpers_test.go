package document

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// docJSON, convJSON and msgJSON mirror the document for encoding/json, in the
// contract's key order: the oracle the encoder must match byte for byte, and
// the shape decoded documents are compared in.
type docJSON struct {
	SchemaVersion     int
	TenantId          string
	UtcDay            string
	UtcHour           int
	From, To          time.Time
	GeneratedAt       time.Time
	ConversationCount int
	MessageCount      int
	Conversations     []convJSON
}

type convJSON struct {
	Id          string
	SessionId   string
	Channel     string
	Language    string
	ProjectName string
	StartedAt   time.Time
	EndedAt     *time.Time
	Status      string
	Messages    []msgJSON
}

type msgJSON struct {
	Id         string
	SentAt     time.Time
	Sender     string
	Text       string
	Intent     *string
	Confidence *float64
}

// mirror converts a header and conversations to the encoding/json mirror.
func mirror(h Header, cs []Conversation) docJSON {
	d := docJSON{SchemaVersion: SchemaVersion, TenantId: h.TenantID.String(),
		UtcDay: h.Hour.DayString(), UtcHour: h.Hour.Hour,
		From: h.Hour.From().UTC(), To: h.Hour.To().UTC(), GeneratedAt: h.GeneratedAt.UTC(),
		ConversationCount: h.ConversationCount, MessageCount: h.MessageCount,
		Conversations: make([]convJSON, 0, len(cs))}
	for _, c := range cs {
		d.Conversations = append(d.Conversations, mirrorConversation(c))
	}
	return d
}

func mirrorConversation(c Conversation) convJSON {
	mc := convJSON{Id: c.ID, SessionId: c.SessionID, Channel: c.Channel, Language: c.Language,
		ProjectName: c.ProjectName, StartedAt: c.StartedAt.UTC(), Status: c.Status,
		Messages: make([]msgJSON, 0, len(c.Messages))}
	if c.EndedAt != nil {
		t := c.EndedAt.UTC()
		mc.EndedAt = &t
	}
	for _, m := range c.Messages {
		mc.Messages = append(mc.Messages, msgJSON{Id: m.ID, SentAt: m.SentAt.UTC(), Sender: m.Sender,
			Text: m.Text, Intent: m.Intent, Confidence: m.Confidence})
	}
	return mc
}

// oracle is what encoding/json writes for the document, HTML escaping off.
func oracle(t testing.TB, h Header, cs []Conversation) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(mirror(h, cs)); err != nil {
		t.Fatalf("oracle: %v", err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// header returns the header announcing exactly cs.
func header(hr Hour, cs []Conversation) Header {
	h := Header{TenantID: uuid.MustParse("6f1c2b4e-8d3a-4c1e-9b2f-0a1b2c3d4e5f"), Hour: hr,
		GeneratedAt: time.Date(2025, 4, 23, 0, 30, 12, 0, time.UTC), ConversationCount: len(cs)}
	for _, c := range cs {
		h.MessageCount += len(c.Messages)
	}
	return h
}

// mustEncode encodes a whole document into memory.
func mustEncode(t testing.TB, h Header, cs []Conversation) []byte {
	t.Helper()
	var buf bytes.Buffer
	e, err := NewEncoder(&buf, h)
	if err != nil {
		t.Fatalf("NewEncoder: %v", err)
	}
	for i := range cs {
		if err := e.Write(&cs[i]); err != nil {
			t.Fatalf("Write %d: %v", i, err)
		}
	}
	if err := e.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	return buf.Bytes()
}

// golden compares got with testdata/name, rewriting it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run with -update to create it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from golden\n got: %s\nwant: %s", name, got, want)
	}
}

func ptr[T any](v T) *T { return &v }

// at is 2025-04-22 15:mm:ss.nsec UTC.
func at(mm, ss, nsec int) time.Time { return time.Date(2025, 4, 22, 15, mm, ss, nsec, time.UTC) }

// testHour is the hour of the contract's example.
var testHour = NewHour(time.Date(2025, 4, 22, 0, 0, 0, 0, time.UTC), 15)
