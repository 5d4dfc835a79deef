package seed

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/dailyreports/dailyreports/internal/document"
)

var testDay = time.Date(2025, 4, 22, 0, 0, 0, 0, time.UTC)

// generateAll returns every conversation Generate produces, failing the test
// on error.
func generateAll(tb testing.TB, tenant int, opt Options, batchSize int) []document.Conversation {
	tb.Helper()
	var all []document.Conversation
	err := Generate(tenant, opt, batchSize, func(b []document.Conversation) error {
		if len(b) == 0 || len(b) > batchSize {
			tb.Fatalf("batch of %d conversations, want 1..%d", len(b), batchSize)
		}
		all = append(all, b...)
		return nil
	})
	if err != nil {
		tb.Fatalf("Generate: %v", err)
	}
	return all
}

// encode returns the conversations as JSON, times in UTC, so that two runs
// can be compared byte for byte.
func encode(tb testing.TB, convs []document.Conversation) []byte {
	tb.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for _, c := range convs {
		if err := enc.Encode(inUTC(c)); err != nil {
			tb.Fatal(err)
		}
	}
	return buf.Bytes()
}

// inUTC returns a copy of c with every time in UTC.
func inUTC(c document.Conversation) document.Conversation {
	c.StartedAt = c.StartedAt.UTC()
	if c.EndedAt != nil {
		end := c.EndedAt.UTC()
		c.EndedAt = &end
	}
	msgs := make([]document.Message, len(c.Messages))
	for i, m := range c.Messages {
		m.SentAt = m.SentAt.UTC()
		msgs[i] = m
	}
	c.Messages = msgs
	return c
}

func countMessages(convs []document.Conversation) int {
	n := 0
	for _, c := range convs {
		n += len(c.Messages)
	}
	return n
}
