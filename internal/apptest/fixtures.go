package apptest

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"testing"
	"time"
)

// Conv is a conversation in the wire shape of ingestion and of the report.
type Conv struct {
	Id          string
	SessionId   string
	Channel     string
	Language    string
	ProjectName string
	StartedAt   string
	EndedAt     *string
	Status      string
	Messages    []Msg
}

// Msg is a message in the wire shape.
type Msg struct {
	Id         string
	SentAt     string
	Sender     string
	Text       string
	Intent     *string
	Confidence *float64
}

// Doc is the report document.
type Doc struct {
	SchemaVersion     int
	TenantId          string
	UtcDay            string
	UtcHour           int
	From              string
	To                string
	GeneratedAt       string
	ConversationCount int
	MessageCount      int
	Conversations     []Conv
}

// NewConv returns a two-message conversation starting at start.
func NewConv(id string, start time.Time) Conv {
	intent, conf := "greeting", 0.97
	end := start.Add(4 * time.Minute).UTC().Format(time.RFC3339Nano)
	return Conv{
		Id: id, SessionId: "s-" + id, Channel: "webchat", Language: "en-US", ProjectName: "support",
		StartedAt: start.UTC().Format(time.RFC3339Nano), EndedAt: &end, Status: "completed",
		Messages: []Msg{
			{Id: "m-1", SentAt: start.UTC().Format(time.RFC3339Nano), Sender: "user", Text: "hi"},
			{Id: "m-2", SentAt: start.Add(time.Second).UTC().Format(time.RFC3339Nano), Sender: "bot", Text: "Hello!", Intent: &intent, Confidence: &conf},
		},
	}
}

// Unzip returns the single entry of a report zip, failing the test unless
// the zip holds exactly one deflated entry named name.
func Unzip(t testing.TB, zipBytes []byte, name string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(zipBytes), int64(len(zipBytes)))
	if err != nil {
		t.Fatalf("apptest: open zip: %v", err)
	}
	if len(zr.File) != 1 {
		t.Fatalf("apptest: zip has %d entries, want 1", len(zr.File))
	}
	f := zr.File[0]
	if f.Name != name || f.Method != zip.Deflate {
		t.Fatalf("apptest: zip entry %q method %d, want %q deflated", f.Name, f.Method, name)
	}
	rc, err := f.Open()
	if err != nil {
		t.Fatalf("apptest: open entry: %v", err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("apptest: read entry: %v", err)
	}
	return b
}

// DecodeDoc decodes a report document strictly.
func DecodeDoc(t testing.TB, b []byte) Doc {
	t.Helper()
	var d Doc
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		t.Fatalf("apptest: decode report: %v\n%s", err, truncate(b))
	}
	return d
}

func truncate(b []byte) string {
	if len(b) > 2000 {
		return fmt.Sprintf("%s… (%d bytes)", b[:2000], len(b))
	}
	return string(b)
}
