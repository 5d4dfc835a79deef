package seed

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dailyreports/dailyreports/internal/document"
)

// hourGen generates the conversations of one tenant's hour from a random
// source of its own.
type hourGen struct {
	r      *rand.Rand
	from   time.Time
	prefix string  // of conversation ids: c-yyyymmdd-hh-
	starts []int64 // start of each conversation, in milliseconds into the hour, ascending
	mean   int     // messages per conversation
	ids    *idCache
}

func newHourGen(tenantIndex int, opt Options, hour int, ids *idCache) *hourGen {
	h := document.NewHour(opt.Day, hour)
	days := uint64(opt.Day.Unix() / 86400)
	r := rand.New(rand.NewPCG(opt.Seed, mix(mix(uint64(tenantIndex))+days*24+uint64(hour))))
	starts := make([]int64, opt.ConversationsPerHour)
	for i := range starts {
		starts[i] = r.Int64N(int64(time.Hour / time.Millisecond))
	}
	slices.Sort(starts)
	return &hourGen{
		r: r, from: h.From(), starts: starts, mean: opt.MessagesPerConversation, ids: ids,
		prefix: "c-" + h.Day.Format("20060102") + "-" + pad(uint64(hour), 10, 2) + "-",
	}
}

// conversation generates the i-th conversation of the hour.
func (g *hourGen) conversation(i int) document.Conversation {
	r := g.r
	start := g.from.Add(time.Duration(g.starts[i]) * time.Millisecond)
	proj := projects.pick(r)
	c := document.Conversation{
		ID:          g.prefix + pad(uint64(i+1), 10, 4),
		SessionID:   "s-" + pad(r.Uint64(), 16, 16),
		Channel:     channels.pick(r),
		Language:    languages.pick(r),
		ProjectName: proj.name,
		StartedAt:   start,
	}
	n := messageCount(r, g.mean)
	c.Status = status(r, n)
	d := dialogue{r: r, lx: lexicons[c.Language], topic: proj.topics.pick(r), status: c.Status, ids: g.ids}
	c.Messages = d.build(start, n)
	if c.Status != statusActive {
		end := c.Messages[len(c.Messages)-1].SentAt.Add(millis(r, 1000, 15000))
		c.EndedAt = &end
	}
	return c
}

// messageCount draws the length of a conversation: one plus a gamma(2)
// variable, so the mean is mean, short chats are common and long ones rare.
func messageCount(r *rand.Rand, mean int) int {
	x := (r.ExpFloat64() + r.ExpFloat64()) * float64(mean-1) / 2
	return min(1+int(x+0.5), 10*mean, maxMessages)
}

// status draws the status of a conversation of n messages. A transfer needs
// four: the request, the handover, the system message and the agent.
func status(r *rand.Rand, n int) string {
	s := statuses.pick(r)
	for s == statusTransferred && n < 4 {
		s = statuses.pick(r)
	}
	return s
}

// millis draws a duration uniformly in [lo, hi] milliseconds.
func millis(r *rand.Rand, lo, hi int) time.Duration {
	return time.Duration(between(r, lo, hi)) * time.Millisecond
}

// mix is the SplitMix64 finalizer: it spreads nearby inputs over the whole
// range, so neighbouring tenants and hours get unrelated streams.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// pad formats x in base, zero-padded to at least width digits.
func pad(x uint64, base, width int) string {
	s := strconv.FormatUint(x, base)
	if len(s) >= width {
		return s
	}
	return strings.Repeat("0", width-len(s)) + s
}

// idCache shares the message ids m-1, m-2, … among all conversations.
type idCache struct{ msg []string }

func (c *idCache) message(n int) string {
	for len(c.msg) < n {
		c.msg = append(c.msg, "m-"+strconv.Itoa(len(c.msg)+1))
	}
	return c.msg[n-1]
}
