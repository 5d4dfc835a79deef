package seed

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/dailyreports/dailyreports/internal/document"
)

// kind is what a user turn does, which decides the bot's answer.
type kind int

const (
	kindGreet kind = iota
	kindRequest
	kindFollow
	kindUnclear
	kindThanks
)

// dialogue writes the messages of one conversation: user and bot take turns;
// a transferred conversation has the bot hand over, a system message, then an
// agent and the user taking turns.
type dialogue struct {
	r          *rand.Rand
	lx         *lexicon
	topic      topic
	status     string
	ids        *idCache
	n          int
	transferAt int  // index of the system message, -1 without transfer
	lastUser   int  // index of the last user message
	asked      bool // the user has stated the topic
	ref        int  // the order number or amount the conversation is about
}

// build returns n messages, the first sent at start.
func (d *dialogue) build(start time.Time, n int) []document.Message {
	d.n, d.ref = n, between(d.r, 100000, 999999)
	d.transferAt = -1
	if d.status == statusTransferred { // even, so a bot turn precedes it; an agent follows
		d.transferAt = 2 * between(d.r, 1, (n-2)/2)
	}
	d.lastUser = d.lastUserIndex()
	msgs := make([]document.Message, n)
	at, prev := start, kindGreet
	for i := range msgs {
		m := &msgs[i]
		m.ID, m.Sender = d.ids.message(i+1), d.sender(i)
		if i > 0 {
			at = at.Add(d.delay(m.Sender, i))
		}
		m.SentAt = at
		switch m.Sender {
		case senderUser:
			prev = d.userTurn(m, i)
		case senderBot:
			m.Text = d.botText(i, prev)
		case senderAgent:
			m.Text = d.agentText(i)
		case senderSystem:
			m.Text = textTransferred
		}
	}
	return msgs
}

// agentText is what the agent writes as message i: first who they are.
func (d *dialogue) agentText(i int) string {
	if i == d.transferAt+1 {
		return d.lx.agent[0]
	}
	return oneOf(d.r, d.lx.agent[1:])
}

// sender is who writes message i.
func (d *dialogue) sender(i int) string {
	switch {
	case d.transferAt < 0 || i < d.transferAt:
		if i%2 == 0 {
			return senderUser
		}
		return senderBot
	case i == d.transferAt:
		return senderSystem
	case (i-d.transferAt)%2 == 1:
		return senderAgent
	}
	return senderUser
}

func (d *dialogue) lastUserIndex() int {
	for i := d.n - 1; i > 0; i-- {
		if d.sender(i) == senderUser {
			return i
		}
	}
	return 0
}

// delay is the time between message i-1 and message i, written by sender:
// bots answer within seconds, people take longer, agents longest after a
// transfer, while the user waits in the queue.
func (d *dialogue) delay(sender string, i int) time.Duration {
	switch {
	case sender == senderBot:
		return millis(d.r, 400, 2500)
	case sender == senderSystem:
		return millis(d.r, 100, 1000)
	case sender == senderAgent && i == d.transferAt+1:
		return millis(d.r, 20000, 180000)
	case sender == senderAgent:
		return millis(d.r, 5000, 60000)
	}
	return millis(d.r, 3000, 40000)
}

// fill puts the conversation's number into a line that asks for one.
func (d *dialogue) fill(s string) string {
	if i := strings.Index(s, "{n}"); i >= 0 {
		return s[:i] + strconv.Itoa(d.ref) + s[i+3:]
	}
	return s
}

// confidence draws a confidence in [lo, hi], rounded as NLU engines report it.
func (d *dialogue) confidence(lo, hi float64) *float64 {
	c := math.Round((lo+d.r.Float64()*(hi-lo))*1e4) / 1e4
	return &c
}
