package soak

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dailyreports/dailyreports/internal/apptest"
)

// hourKey names one hour of one tenant (by index) of the soak's day.
type hourKey struct{ tenant, hour int }

// ledger is what ingestion has acknowledged: for each hour, every
// conversation ingested into it and the latest revision of it that was
// acknowledged. An answer to a request sent later must hold each of them at
// that revision or a newer one.
type ledger struct {
	mu    sync.Mutex
	hours map[hourKey]map[string]int
}

func newLedger() *ledger { return &ledger{hours: make(map[hourKey]map[string]int)} }

// ack records revisions acknowledged by one batch.
func (l *ledger) ack(k hourKey, revs map[string]int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	h := l.hours[k]
	if h == nil {
		h = make(map[string]int)
		l.hours[k] = h
	}
	for id, rev := range revs {
		h[id] = max(h[id], rev)
	}
}

// snapshot returns a copy of what was acknowledged of an hour so far.
func (l *ledger) snapshot(k hourKey) map[string]int {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make(map[string]int, len(l.hours[k]))
	for id, rev := range l.hours[k] {
		out[id] = rev
	}
	return out
}

// count returns how many conversations of an hour were acknowledged so far.
func (l *ledger) count(k hourKey) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.hours[k])
}

// total returns how many conversations were acknowledged in all.
func (l *ledger) total() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, h := range l.hours {
		n += len(h)
	}
	return n
}

// revision is conversation id at revision rev: its Status names the
// revision and its one to three messages say it too, so an answer shows
// which revision it holds and that it holds all of it.
func revision(id string, start time.Time, rev int) apptest.Conv {
	c := apptest.NewConv(id, start)
	c.Status = "rev-" + strconv.Itoa(rev)
	c.Messages = c.Messages[:0]
	for i := range 1 + rev%3 {
		c.Messages = append(c.Messages, apptest.Msg{
			Id: fmt.Sprintf("m-%d", i+1), SentAt: start.Add(time.Duration(i) * time.Second).UTC().Format(time.RFC3339Nano),
			Sender: "user", Text: fmt.Sprintf("%s revision %d message %d", id, rev, i+1),
		})
	}
	return c
}

// check compares an answer for hour k with want, what was acknowledged of
// it before the request was sent, and returns what is wrong: a
// conversation missing, older than acknowledged, or not whole.
func check(doc apptest.Doc, tenantID, day string, k hourKey, want map[string]int) []string {
	var bad []string
	if doc.TenantId != tenantID || doc.UtcDay != day || doc.UtcHour != k.hour || doc.ConversationCount != len(doc.Conversations) {
		bad = append(bad, fmt.Sprintf("document of %s %s %d with %d conversations (count %d), want %s %s %d",
			doc.TenantId, doc.UtcDay, doc.UtcHour, len(doc.Conversations), doc.ConversationCount, tenantID, day, k.hour))
	}
	got := make(map[string]apptest.Conv, len(doc.Conversations))
	for _, c := range doc.Conversations {
		got[c.Id] = c
	}
	for _, id := range sortedKeys(want) {
		c, ok := got[id]
		if !ok {
			bad = append(bad, fmt.Sprintf("%s missing (revision %d acknowledged)", id, want[id]))
			continue
		}
		rev, err := strconv.Atoi(strings.TrimPrefix(c.Status, "rev-"))
		if err != nil || rev < want[id] {
			bad = append(bad, fmt.Sprintf("%s at %q, revision %d acknowledged", id, c.Status, want[id]))
			continue
		}
		start, _ := time.Parse(time.RFC3339Nano, c.StartedAt)
		if w := revision(id, start, rev); !slices.EqualFunc(c.Messages, w.Messages, func(a, b apptest.Msg) bool {
			return a.Id == b.Id && a.Text == b.Text && a.SentAt == b.SentAt
		}) {
			bad = append(bad, fmt.Sprintf("%s at revision %d holds %d messages not of that revision", id, rev, len(c.Messages)))
		}
	}
	return bad
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// ingested is one conversation the soak ingested, at its latest revision.
type ingested struct {
	id    string
	start time.Time
	rev   int
}

// batches makes the ingestion batches: each of one tenant, in turn, with
// new conversations and later revisions of earlier ones (half of each, as
// far as there are earlier ones) in a few hours of the day. Only the one
// ingestion goroutine uses it, and it sends one batch at a time, so no two
// writes of one conversation are ever in flight together.
type batches struct {
	s     settings
	day   time.Time
	convs map[hourKey][]*ingested
	turn  int
	next  int
}

func newBatches(s settings, day time.Time) *batches {
	return &batches{s: s, day: day, convs: make(map[hourKey][]*ingested)}
}

// nextBatch returns the next batch: its tenant, its conversations, and the
// revisions each hour will hold once it is acknowledged.
func (b *batches) nextBatch() (tenant int, convs []apptest.Conv, acks map[hourKey]map[string]int) {
	tenant = b.turn % b.s.Tenants
	b.turn++
	hours := rand.Perm(24)[:b.s.BatchHours]
	acks = make(map[hourKey]map[string]int)
	updated := make(map[string]bool)
	for i := range b.s.BatchSize {
		k := hourKey{tenant: tenant, hour: hours[i%len(hours)]}
		var c *ingested
		if old := b.convs[k]; len(old) > 0 && rand.IntN(2) == 0 {
			if c = old[rand.IntN(len(old))]; updated[c.id] {
				c = nil
			}
		}
		if c == nil {
			b.next++
			start := b.day.Add(time.Duration(k.hour)*time.Hour + time.Duration(rand.IntN(3590))*time.Second)
			c = &ingested{id: fmt.Sprintf("soak-%06d", b.next), start: start}
			b.convs[k] = append(b.convs[k], c)
		}
		c.rev++
		updated[c.id] = true
		convs = append(convs, revision(c.id, c.start, c.rev))
		if acks[k] == nil {
			acks[k] = make(map[string]int)
		}
		acks[k][c.id] = c.rev
	}
	return tenant, convs, acks
}
