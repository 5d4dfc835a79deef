package document

import (
	"slices"
	"strings"
	"time"
)

// Encoded is one conversation in its report form: the JSON object it is
// inside a report's "Conversations" array, and what finds, orders and
// counts it without reading the JSON.
type Encoded struct {
	ID        string
	StartedAt time.Time
	Messages  int
	JSON      []byte
}

// Encode normalizes c as a report holds it (times in UTC to the
// microsecond, messages in report order: SentAt, then Id in byte order) and
// encodes it. c is not changed.
func Encode(c *Conversation) Encoded {
	n := *c
	n.StartedAt = micro(c.StartedAt)
	if c.EndedAt != nil {
		t := micro(*c.EndedAt)
		n.EndedAt = &t
	}
	n.Messages = slices.Clone(c.Messages)
	for i := range n.Messages {
		n.Messages[i].SentAt = micro(n.Messages[i].SentAt)
	}
	SortMessages(n.Messages)
	return Encoded{ID: n.ID, StartedAt: n.StartedAt, Messages: len(n.Messages), JSON: AppendConversation(nil, &n)}
}

// SortMessages sorts messages in report order: SentAt, then Id in byte
// order; messages equal in both keep their order.
func SortMessages(msgs []Message) {
	slices.SortStableFunc(msgs, func(a, b Message) int {
		if c := a.SentAt.Compare(b.SentAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}

// micro is t in UTC to the microsecond, the precision a database keeps.
func micro(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// Batch encodes a batch of conversations as ingestion stores them: each
// encoded (Encode), each Id once — the last one with it wins — sorted by Id.
func Batch(cs []Conversation) []Encoded {
	out := make([]Encoded, len(cs))
	for i := range cs {
		out[i] = Encode(&cs[i])
	}
	return Unique(out)
}

// Unique keeps the last of the conversations sharing an Id and sorts them
// by Id, so that batches touching the same conversations store them in one
// order.
func Unique(es []Encoded) []Encoded {
	last := make(map[string]int, len(es))
	for i := range es {
		last[es[i].ID] = i
	}
	out := es
	if len(last) != len(es) {
		out = make([]Encoded, 0, len(last))
		for i := range es {
			if last[es[i].ID] == i {
				out = append(out, es[i])
			}
		}
	}
	slices.SortFunc(out, func(a, b Encoded) int { return strings.Compare(a.ID, b.ID) })
	return out
}
