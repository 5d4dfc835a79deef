package seed

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dailyreports/dailyreports/internal/document"
)

// TestGeneratedConversationsPassIngestion checks every conversation of a few
// tenants' days against the rules of the ingestion API.
func TestGeneratedConversationsPassIngestion(t *testing.T) {
	for tenant := range 3 {
		opt := Options{Day: testDay, Seed: uint64(tenant + 1)}
		err := Generate(tenant, opt, 250, func(batch []document.Conversation) error {
			for _, c := range batch {
				if err := check(c); err != nil {
					return fmt.Errorf("conversation %s: %w", c.ID, err)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("tenant %d: %v", tenant, err)
		}
	}
}

func TestGeneratedIDsAreUniquePerTenant(t *testing.T) {
	seen := make(map[string]bool)
	for _, c := range generateAll(t, 0, Options{Day: testDay, ConversationsPerHour: 120}, 1000) {
		if seen[c.ID] {
			t.Fatalf("id %s twice", c.ID)
		}
		seen[c.ID] = true
	}
}

// check returns what breaks the ingestion rules in c, or nil.
func check(c document.Conversation) error {
	h := document.HourOf(c.StartedAt)
	switch {
	case c.ID == "" || len(c.ID) > 256:
		return fmt.Errorf("Id %q", c.ID)
	case c.StartedAt.Before(h.From()) || !c.StartedAt.Before(h.To()):
		return fmt.Errorf("StartedAt %v outside its hour", c.StartedAt)
	case c.StartedAt.Truncate(1e6) != c.StartedAt:
		return fmt.Errorf("StartedAt %v finer than milliseconds", c.StartedAt)
	case len(c.Messages) == 0 || len(c.Messages) > maxMessages:
		return fmt.Errorf("%d messages", len(c.Messages))
	case (c.Status == statusActive) != (c.EndedAt == nil):
		return fmt.Errorf("status %s with EndedAt %v", c.Status, c.EndedAt)
	case c.EndedAt != nil && c.EndedAt.Before(c.Messages[len(c.Messages)-1].SentAt):
		return fmt.Errorf("EndedAt %v before the last message", c.EndedAt)
	}
	for _, s := range []string{c.ID, c.SessionID, c.Channel, c.Language, c.ProjectName, c.Status} {
		if err := checkString(s, 256); err != nil {
			return err
		}
	}
	ids := make(map[string]bool)
	prev := c.StartedAt
	for i, m := range c.Messages {
		if ids[m.ID] {
			return fmt.Errorf("Messages[%d]: Id %s twice", i, m.ID)
		}
		ids[m.ID] = true
		if m.SentAt.Before(prev) {
			return fmt.Errorf("Messages[%d]: SentAt %v before %v", i, m.SentAt, prev)
		}
		prev = m.SentAt
		if err := checkMessage(m); err != nil {
			return fmt.Errorf("Messages[%d]: %w", i, err)
		}
	}
	return nil
}

func checkMessage(m document.Message) error {
	switch {
	case m.ID == "":
		return fmt.Errorf("empty Id")
	case !strings.Contains(" user bot agent system ", " "+m.Sender+" ") || m.Sender == "":
		return fmt.Errorf("Sender %q", m.Sender)
	case m.Confidence != nil && (*m.Confidence < 0 || *m.Confidence > 1):
		return fmt.Errorf("Confidence %v", *m.Confidence)
	case (m.Intent == nil) != (m.Confidence == nil):
		return fmt.Errorf("Intent %v without Confidence %v", m.Intent, m.Confidence)
	case m.Intent != nil && checkString(*m.Intent, 256) != nil:
		return fmt.Errorf("Intent %q", *m.Intent)
	}
	return checkString(m.Text, 64<<10)
}

func checkString(s string, maxLen int) error {
	switch {
	case len(s) > maxLen:
		return fmt.Errorf("%d bytes", len(s))
	case !utf8.ValidString(s):
		return fmt.Errorf("invalid UTF-8 in %q", s)
	case strings.ContainsRune(s, 0):
		return fmt.Errorf("NUL in %q", s)
	}
	return nil
}
