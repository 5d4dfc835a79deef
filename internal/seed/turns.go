package seed

import "github.com/dailyreports/dailyreports/internal/document"

// Shares of user turns that are unclear to the bot, and that carry a quirk.
const (
	unclearShare = 0.12
	quirkShare   = 0.04
)

// userTurn writes user message i with its intent and returns what it does.
func (d *dialogue) userTurn(m *document.Message, i int) kind {
	r, lx := d.r, d.lx
	k := d.userKind(i)
	switch k {
	case kindGreet:
		m.Text = oneOf(r, lx.greet)
		m.Intent, m.Confidence = intent(intentGreeting), ptr(greetingConfidence)
	case kindRequest:
		m.Text = oneOf(r, lx.request[d.topic])
		m.Intent, m.Confidence = intent(intentOf[d.topic]), d.confidence(0.6, 0.99)
	case kindUnclear:
		m.Text = oneOf(r, lx.unclear)
		m.Intent, m.Confidence = intent(intentFallback), d.confidence(0.05, 0.4)
	case kindThanks:
		m.Text = oneOf(r, lx.thanks)
	case kindFollow:
		m.Text = oneOf(r, lx.followUp)
		if chance(r, 0.7) {
			m.Intent, m.Confidence = intent(intentOf[d.topic]), d.confidence(0.5, 0.95)
		}
	}
	if d.toAgent(i) { // what users tell agents is not classified
		m.Intent, m.Confidence = nil, nil
	}
	m.Text = d.fill(m.Text)
	if chance(r, quirkShare) {
		m.Text += oneOf(r, quirks)
	}
	return k
}

// userKind decides what user message i does: open, state the topic, go on,
// confuse the bot, or (last in a completed conversation) say thanks.
func (d *dialogue) userKind(i int) kind {
	switch {
	case i == 0 && chance(d.r, 0.6):
		return kindGreet
	case !d.asked:
		d.asked = true
		return kindRequest
	case d.status == statusCompleted && i == d.lastUser:
		return kindThanks
	case !d.toAgent(i) && chance(d.r, unclearShare):
		return kindUnclear
	}
	return kindFollow
}

// botText is what the bot writes as message i, after a user turn of kind prev.
func (d *dialogue) botText(i int, prev kind) string {
	r, lx := d.r, d.lx
	switch {
	case i == d.transferAt-1:
		return oneOf(r, lx.handover)
	case d.status == statusAbandoned && i == d.n-1 && i >= 2:
		return oneOf(r, lx.stillThere)
	}
	switch prev {
	case kindGreet:
		return oneOf(r, lx.greetBack)
	case kindRequest:
		return d.fill(oneOf(r, lx.answer[d.topic]))
	case kindUnclear:
		return oneOf(r, lx.fallback)
	case kindThanks:
		return oneOf(r, lx.bye)
	}
	return d.fill(oneOf(r, lx.botFollow))
}

// intent returns a fresh pointer to name, so callers may keep or change it.
func intent(name string) *string { return &name }

func ptr(f float64) *float64 { return &f }

// toAgent reports whether message i is written after the handover.
func (d *dialogue) toAgent(i int) bool { return d.transferAt >= 0 && i > d.transferAt }
