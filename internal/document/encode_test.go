package document

import (
	"bytes"
	"errors"
	"math"
	"testing"
	"time"
)

// goldenHour is a small hour: the contract's example, plus nulls, fractional
// seconds, a non-UTC time and the edge cases of float formatting.
func goldenHour() []Conversation {
	ended := at(6, 40, 0)
	istanbul := time.FixedZone("TRT", 3*3600)
	return []Conversation{{
		ID: "c-1001", SessionID: "s-77", Channel: "webchat", Language: "en-US", ProjectName: "support",
		StartedAt: at(2, 11, 0), EndedAt: &ended, Status: "completed",
		Messages: []Message{
			{ID: "m-1", SentAt: at(2, 11, 0), Sender: "user", Text: "hi"},
			{ID: "m-2", SentAt: at(2, 12, 0), Sender: "bot", Text: "Hello!", Intent: ptr("greeting"), Confidence: ptr(0.97)},
		},
	}, {
		ID: "c-1002", SessionID: "s-78", Channel: "voice", Language: "tr-TR", ProjectName: "sales & <ops>",
		StartedAt: at(30, 0, 500_000_000).In(istanbul), Status: "active",
		Messages: []Message{
			{ID: "m-3", SentAt: at(30, 0, 500_000_000), Sender: "user", Text: "Merhaba, \"fiyat\"?\n", Intent: ptr("price"), Confidence: ptr(1.0)},
			{ID: "m-4", SentAt: at(59, 59, 999_000_000), Sender: "bot", Text: "a\\b\tc", Intent: ptr("fallback"), Confidence: ptr(1e-7)},
			{ID: "m-5", SentAt: at(59, 59, 999_999_999), Sender: "bot", Text: "", Intent: ptr(""), Confidence: ptr(0.0)},
		},
	}, {
		ID: "c-1003", SessionID: "s-79", Channel: "webchat", Language: "en-US", ProjectName: "support",
		StartedAt: at(59, 59, 0), Status: "abandoned",
	}}
}

func TestEncodeGolden(t *testing.T) {
	cs := goldenHour()
	got := mustEncode(t, header(testHour, cs), cs)
	golden(t, "hour.golden.json", got)
	if want := oracle(t, header(testHour, cs), cs); !bytes.Equal(got, want) {
		t.Errorf("differs from encoding/json\n got: %s\nwant: %s", got, want)
	}
}

func TestEncodeEmptyHour(t *testing.T) {
	got := mustEncode(t, header(testHour, nil), nil)
	golden(t, "empty.golden.json", got)
	want := `"ConversationCount":0,"MessageCount":0,"Conversations":[]}`
	if !bytes.HasSuffix(got, []byte(want)) {
		t.Errorf("got %s, want suffix %s", got, want)
	}
}

func TestEncodeMatchesEncodingJSON(t *testing.T) {
	tests := map[string]string{
		"ascii":         "hello, world",
		"html":          "<script>a && b</script>",
		"quotes":        `say "hi" \ back\slash /`,
		"whitespace":    "line1\nline2\r\n\ttab",
		"controls":      "\x00\x01\b\f\x1f\x7f",
		"separators":    "a\u2028b\u2029c",
		"emoji":         "👋🏽 hi 👨‍👩‍👧",
		"cjk":           "你好，世界",
		"rtl":           "مرحبا שלום",
		"combining":     "e\u0301 n\u0303",
		"invalid utf-8": "a\xffb\xc3(c\xe2\x82",
		"replacement":   "\ufffd",
	}
	for name, text := range tests {
		t.Run(name, func(t *testing.T) {
			cs := []Conversation{{ID: text, Status: text, StartedAt: at(0, 0, 0),
				Messages: []Message{{ID: "m", Text: text, Intent: &text, SentAt: at(0, 1, 0)}}}}
			h := header(testHour, cs)
			if got, want := mustEncode(t, h, cs), oracle(t, h, cs); !bytes.Equal(got, want) {
				t.Errorf("\n got: %s\nwant: %s", got, want)
			}
		})
	}
}

func TestAppendFloat(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0.97, "0.97"}, {1, "1"}, {0, "0"}, {math.Copysign(0, -1), "-0"}, {1e-7, "1e-7"},
		{1e-6, "0.000001"}, {-2.5e-9, "-2.5e-9"}, {1e20, "100000000000000000000"}, {1e21, "1e+21"},
		{123456789.125, "123456789.125"}, {math.MaxFloat64, "1.7976931348623157e+308"},
		{math.SmallestNonzeroFloat64, "5e-324"},
		{math.NaN(), "null"}, {math.Inf(1), "null"}, {math.Inf(-1), "null"},
	}
	for _, tt := range tests {
		if got := string(appendFloat(nil, tt.in)); got != tt.want {
			t.Errorf("appendFloat(%v) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestAppendTime(t *testing.T) {
	tests := []struct {
		in   time.Time
		want string
	}{
		{at(2, 11, 0), `"2025-04-22T15:02:11Z"`},
		{at(59, 59, 999_000_000), `"2025-04-22T15:59:59.999Z"`},
		{at(0, 0, 1), `"2025-04-22T15:00:00.000000001Z"`},
		{at(0, 0, 120_000_000).In(time.FixedZone("X", -5*3600)), `"2025-04-22T15:00:00.12Z"`},
	}
	for _, tt := range tests {
		if got := string(appendTime(nil, tt.in)); got != tt.want {
			t.Errorf("appendTime(%v) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestNewEncoderRejectsBadHeader(t *testing.T) {
	tests := map[string]Header{
		"hour 24":        {Hour: Hour{Day: testHour.Day, Hour: 24}},
		"negative hour":  {Hour: Hour{Day: testHour.Day, Hour: -1}},
		"day not utc":    {Hour: Hour{Day: testHour.Day.Add(time.Minute), Hour: 1}},
		"negative count": {Hour: testHour, ConversationCount: -1},
	}
	for name, h := range tests {
		if _, err := NewEncoder(&bytes.Buffer{}, h); err == nil {
			t.Errorf("%s: NewEncoder succeeded", name)
		}
	}
}

func TestEncoderCountMismatch(t *testing.T) {
	cs := goldenHour()
	exact := header(testHour, cs)
	tests := []struct {
		name        string
		convs, msgs int
		write       int // conversations written
		writeFails  bool
	}{
		{"too few conversations", exact.ConversationCount + 1, exact.MessageCount, 3, false},
		{"too few messages", exact.ConversationCount, exact.MessageCount + 1, 3, false},
		{"too many conversations", 2, exact.MessageCount, 3, true},
		{"too many messages", exact.ConversationCount, 1, 1, true},
		{"nothing written", 1, 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := exact
			h.ConversationCount, h.MessageCount = tt.convs, tt.msgs
			e, err := NewEncoder(&bytes.Buffer{}, h)
			if err != nil {
				t.Fatal(err)
			}
			var werr error
			for i := 0; i < tt.write && werr == nil; i++ {
				werr = e.Write(&cs[i])
			}
			if (werr != nil) != tt.writeFails {
				t.Fatalf("Write error = %v, want failure %v", werr, tt.writeFails)
			}
			if err := e.Close(); !errors.Is(err, ErrCountMismatch) {
				t.Errorf("Close = %v, want ErrCountMismatch", err)
			}
		})
	}
}

func TestEncoderMisuse(t *testing.T) {
	e, err := NewEncoder(&bytes.Buffer{}, header(testHour, nil))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Write(nil); err == nil {
		t.Error("Write(nil) succeeded")
	}
	if err := e.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := e.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if err := e.Write(&Conversation{}); err == nil {
		t.Error("Write after Close succeeded")
	}
}

// failWriter accepts n bytes, then fails.
type failWriter struct{ n int }

var errDisk = errors.New("disk full")

func (w *failWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		return w.n, errDisk
	}
	w.n -= len(p)
	return len(p), nil
}

func TestEncoderWriteErrorIsSticky(t *testing.T) {
	if _, err := NewEncoder(&failWriter{}, header(testHour, nil)); !errors.Is(err, errDisk) {
		t.Errorf("NewEncoder = %v, want %v", err, errDisk)
	}
	cs := []Conversation{{Messages: make([]Message, 1000)}}
	for i := range cs[0].Messages {
		cs[0].Messages[i].Text = string(bytes.Repeat([]byte("x"), 100))
	}
	e, err := NewEncoder(&failWriter{n: 1000}, header(testHour, cs))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Write(&cs[0]); !errors.Is(err, errDisk) {
		t.Errorf("Write = %v, want %v", err, errDisk)
	}
	if err := e.Close(); !errors.Is(err, errDisk) {
		t.Errorf("Close = %v, want %v", err, errDisk)
	}
}
