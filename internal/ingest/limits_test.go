package ingest

import (
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/dailyreports/dailyreports/internal/apperr"
)

// endless is a reader of spaces that never ends and counts what it gave.
type endless struct{ n int64 }

func (r *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	r.n += int64(len(p))
	return len(p), nil
}

func TestTooLarge(t *testing.T) {
	lim := testLimits()
	lim.MaxBytes = 1 << 20
	r := &endless{}
	_, err := Decode(r, "application/json", lim)
	wantInvalid(t, err, "batch is larger than 1 MiB")
	if !IsTooLarge(err) || IsUnsupportedType(err) {
		t.Fatalf("IsTooLarge(%v) = false", err)
	}
	if r.n > lim.MaxBytes+1+512 { // io.ReadAll asks for at least 512 bytes at a time
		t.Fatalf("read %d bytes of an endless body", r.n)
	}

	body := array(record(t, nil))
	lim.MaxBytes = int64(len(body))
	if _, err := Decode(strings.NewReader(body), "application/json", lim); err != nil {
		t.Fatalf("body of exactly MaxBytes: %v", err)
	}
	lim.MaxBytes--
	_, err = Decode(strings.NewReader(body), "application/json", lim)
	wantInvalid(t, err, "batch is larger than "+itoa(len(body)-1)+" bytes")
}

func TestTooManyRecords(t *testing.T) {
	lim := testLimits()
	lim.MaxRecords = 3
	records := manyRecords(4, 1)
	for _, ct := range []string{"application/json", "application/x-ndjson"} {
		body := func(rs ...string) string {
			if ct == "application/json" {
				return array(rs...)
			}
			return ndjson(rs...)
		}
		if _, err := Decode(strings.NewReader(body(records[:3]...)), ct, lim); err != nil {
			t.Fatalf("%q: %d records: %v", ct, lim.MaxRecords, err)
		}
		_, err := Decode(strings.NewReader(body(records...)), ct, lim)
		wantInvalid(t, err, "batch has more than 3 records")
	}
}

func TestTooManyMessages(t *testing.T) {
	lim := testLimits()
	lim.MaxMessages = 12
	body := array(manyRecords(2, 12)...)
	if _, err := Decode(strings.NewReader(body), "application/json", lim); err != nil {
		t.Fatal(err)
	}
	lim.MaxMessages = 11
	_, err := Decode(strings.NewReader(body), "application/json", lim)
	wantInvalid(t, err, "record 0: Messages: must not have more than 11 messages")
}

func TestTextLimit(t *testing.T) {
	lim := testLimits()
	lim.MaxTextBytes = 8
	at := record(t, edits{"Messages[1].Text": `"ğüşıöçx"`}) // 6 two-byte letters and one ASCII: 13 bytes
	ok := record(t, edits{"Messages[1].Text": `"ğüşı"`})
	if _, err := Decode(strings.NewReader(array(ok)), "application/json", lim); err != nil {
		t.Fatal(err)
	}
	_, err := Decode(strings.NewReader(array(at)), "application/json", lim)
	wantInvalid(t, err, "record 0: Messages[1].Text: must be at most 8 bytes")
}

func TestDefaultLimits(t *testing.T) {
	want := Limits{MaxBytes: 32 << 20, MaxRecords: 10000, MaxMessages: 5000, MaxTextBytes: 64 << 10}
	got := DefaultLimits()
	if got.Now == nil {
		t.Fatal("DefaultLimits().Now is nil")
	}
	got.Now = nil
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("DefaultLimits() = %+v, want %+v", got, want)
	}
	// The zero Limits means the defaults, with the real clock.
	zero := Limits{}.WithDefaults()
	if zero.MaxBytes != want.MaxBytes || zero.MaxRecords != want.MaxRecords ||
		zero.MaxMessages != want.MaxMessages || zero.MaxTextBytes != want.MaxTextBytes ||
		time.Since(zero.Now()) > time.Minute {
		t.Fatalf("Limits{}.WithDefaults() = %+v", zero)
	}
}

// failing is a reader whose Read always fails.
type failing struct{}

func (failing) Read([]byte) (int, error) { return 0, errors.New("connection reset") }

func TestReadError(t *testing.T) {
	_, err := Decode(io.MultiReader(strings.NewReader("[{"), failing{}), "application/json", testLimits())
	wantInvalid(t, err, "could not read the body")
	if IsTooLarge(err) || apperr.MessageOf(err) != "could not read the body" {
		t.Fatalf("err = %v", err)
	}
}

// TestLargeBatch decodes the largest batch the defaults allow in records.
func TestLargeBatch(t *testing.T) {
	body := ndjson(manyRecords(10000, 12)...)
	start := time.Now()
	cs := mustDecode(t, body, "application/x-ndjson")
	t.Logf("decoded %d conversations (%d bytes) in %v", len(cs), len(body), time.Since(start))
	if len(cs) != 10000 || len(cs[9999].Messages) != 12 {
		t.Fatalf("got %d conversations", len(cs))
	}
}
