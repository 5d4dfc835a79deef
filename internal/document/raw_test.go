package document

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// encodeRaw encodes a document from conversations encoded one by one with
// AppendConversation, as a build from stored documents does.
func encodeRaw(t *testing.T, h Header, cs []Conversation) []byte {
	t.Helper()
	var buf bytes.Buffer
	e, err := NewEncoder(&buf, h)
	if err != nil {
		t.Fatal(err)
	}
	for i := range cs {
		doc := AppendConversation(nil, &cs[i])
		var err error
		if i%2 == 0 {
			err = e.WriteRaw(doc, len(cs[i].Messages))
		} else { // the form a database row gives, for every other one
			err = e.WriteRawString(string(doc), len(cs[i].Messages))
		}
		if err != nil {
			t.Fatalf("WriteRaw %d: %v", i, err)
		}
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestWriteRawMatchesWrite checks a document of pre-encoded conversations is
// byte for byte the one Write makes, so stored documents serve the same
// reports as rows did.
func TestWriteRawMatchesWrite(t *testing.T) {
	big := Conversation{ID: "big", StartedAt: at(1, 0, 0), Status: "completed"}
	for i := range 200 {
		big.Messages = append(big.Messages, Message{ID: strings.Repeat("m", i%7+1), SentAt: at(1, i%60, 0),
			Sender: "user", Text: strings.Repeat("long text ", 40)})
	}
	for name, cs := range map[string][]Conversation{
		"golden": goldenHour(),
		"empty":  nil,
		"large":  append(goldenHour(), big), // larger than the flush threshold
	} {
		t.Run(name, func(t *testing.T) {
			h := header(testHour, cs)
			if got, want := encodeRaw(t, h, cs), mustEncode(t, h, cs); !bytes.Equal(got, want) {
				t.Errorf("raw document differs\n got: %.300s\nwant: %.300s", got, want)
			}
		})
	}
}

// TestAppendConversationIsTheArrayElement checks the exported encoding is
// exactly the conversation's bytes inside an encoded document.
func TestAppendConversationIsTheArrayElement(t *testing.T) {
	cs := goldenHour()
	doc := oracle(t, header(testHour, cs), cs)
	for i := range cs {
		one := AppendConversation([]byte("prefix"), &cs[i])
		if !bytes.HasPrefix(one, []byte("prefix")) || !bytes.Contains(doc, one[len("prefix"):]) {
			t.Errorf("conversation %d: %s is not inside the document", i, one)
		}
	}
}

// TestWriteRawKeepsCountChecks checks the header's counts bind raw writes too.
func TestWriteRawKeepsCountChecks(t *testing.T) {
	cs := goldenHour()
	h := header(testHour, cs[:1])
	e, err := NewEncoder(&bytes.Buffer{}, h)
	if err != nil {
		t.Fatal(err)
	}
	doc := AppendConversation(nil, &cs[0])
	if err := e.WriteRaw(doc, len(cs[0].Messages)+1); !errors.Is(err, ErrCountMismatch) {
		t.Fatalf("too many messages: %v", err)
	}
	e, _ = NewEncoder(&bytes.Buffer{}, h)
	if err := e.WriteRaw(doc, len(cs[0].Messages)); err != nil {
		t.Fatal(err)
	}
	if err := e.WriteRaw(doc, 0); !errors.Is(err, ErrCountMismatch) {
		t.Fatalf("too many conversations: %v", err)
	}
	e, _ = NewEncoder(&bytes.Buffer{}, header(testHour, cs[:2]))
	if err := e.WriteRaw(doc, len(cs[0].Messages)); err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); !errors.Is(err, ErrCountMismatch) {
		t.Fatalf("close short: %v", err)
	}
	e, _ = NewEncoder(&bytes.Buffer{}, h)
	if err := e.WriteRaw(nil, 0); err == nil {
		t.Fatal("empty document accepted")
	}
}
