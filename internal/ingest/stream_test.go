package ingest

import (
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/dailyreports/dailyreports/internal/apperr"
)

// TestReadSizes checks that how the body arrives — all at once, a byte at
// a time, in halves — changes nothing: the same conversations, or the same
// error.
func TestReadSizes(t *testing.T) {
	ok := record(t, nil)
	escapes := record(t, edits{"Id": `"a\\\"\\\\"`, "Messages[0].Text": `"\\\\\\\"}]\"[{\\\\"`})
	bodies := []struct{ body, contentType string }{ // the first four are valid
		{array(ok, tricky, escapes), "application/json"},
		{"\uFEFF \n" + array(manyRecords(30, 4)...) + "\n\t", "application/json"},
		{ndjson(ok, escapes, "", "  ", record(t, edits{"Id": `"z"`})), "application/x-ndjson"},
		{"\uFEFF" + ndjson(manyRecords(5, 2)...), "application/x-ndjson"},
		{array(ok) + " x", "application/json"},
		{"[" + ok + " " + ok + "]", "application/json"},
		{array(ok, ""), "application/json"},
		{`[{"Id":"x"`, "application/json"},
		{`["\\"]`, "application/json"},
		{`[1, {"Id":"a"}]`, "application/json"},
		{ok + " }\n", "application/x-ndjson"},
		{`{"Id":"x",` + "\n" + `"StartedAt":"2025-04-22T15:00:00Z","Messages":[]}`, "application/x-ndjson"},
		{nested("[", 3000), "application/json"},
	}
	readers := map[string]func(io.Reader) io.Reader{
		"one byte": iotest.OneByteReader, "half": iotest.HalfReader, "data with EOF": iotest.DataErrReader,
	}
	for i, b := range bodies {
		want, wantErr := decode(b.body, b.contentType)
		if i < 4 && wantErr != nil {
			t.Fatalf("body %d: %v", i, wantErr)
		}
		for name, wrap := range readers {
			got, err := Decode(wrap(strings.NewReader(b.body)), b.contentType, testLimits())
			if apperr.MessageOf(err) != apperr.MessageOf(wantErr) || !reflect.DeepEqual(got, want) {
				t.Errorf("body %d, %s: got %d conversations, error %v; want %d, error %v", i, name, len(got), err, len(want), wantErr)
			}
		}
	}
}

// TestDecoderStreams checks that the Decoder hands out each record as soon
// as it has arrived, before the rest of the body is sent.
func TestDecoderStreams(t *testing.T) {
	pr, pw := io.Pipe()
	d, err := NewDecoder(pr, "application/json", testLimits())
	if err != nil {
		t.Fatal(err)
	}
	go func() { _, _ = io.WriteString(pw, "["+record(t, edits{"Id": `"first"`})+",") }()
	got := make(chan string, 1)
	go func() {
		c, err := d.Next()
		if err != nil {
			got <- err.Error()
			return
		}
		got <- c.ID
	}()
	select {
	case id := <-got:
		if id != "first" {
			t.Fatalf("first record: %s", id)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the first record was not handed out before the body ended")
	}
	go func() {
		_, _ = io.WriteString(pw, record(t, edits{"Id": `"second"`})+"]")
		pw.Close()
	}()
	if c, err := d.Next(); err != nil || c.ID != "second" {
		t.Fatalf("second record: %v %v", c.ID, err)
	}
	if _, err := d.Next(); !errors.Is(err, io.EOF) {
		t.Fatalf("after the last record: %v, want io.EOF", err)
	}
}

// TestDecoderKeepsDuplicates checks that the Decoder, unlike Decode, returns
// every record of an Id, for a caller that stores as it reads.
func TestDecoderKeepsDuplicates(t *testing.T) {
	body := ndjson(record(t, edits{"Id": `"a"`}), record(t, edits{"Id": `"a"`, "Status": `"closed"`}))
	d, err := NewDecoder(strings.NewReader(body), "application/x-ndjson", testLimits())
	if err != nil {
		t.Fatal(err)
	}
	var statuses []string
	for {
		c, err := d.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		statuses = append(statuses, c.Status)
	}
	if !reflect.DeepEqual(statuses, []string{"completed", "closed"}) {
		t.Fatalf("statuses %v", statuses)
	}
}
