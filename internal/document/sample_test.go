package document

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// phrases are the stuff of realistic chat messages.
var phrases = []string{
	"Hi, I need help with my order.", "Sure, could you share the order number?",
	"It was supposed to arrive yesterday but the tracking page still says \"in transit\".",
	"I'm sorry to hear that. Let me check the status for you.", "My card was charged twice.",
	"Thanks for waiting! The parcel is at the local depot & will be delivered tomorrow.",
	"Can I change the delivery address?", "Yes, you can update it under Account > Orders.",
	"Siparişim ne zaman gelir?", "Merci beaucoup, très utile !", "Danke, das hat geholfen.",
	"The app crashes when I open the invoices tab on Android 14.", "ok", "thanks 👍",
	"Is there a discount for annual plans?", "Please hold on while I transfer you to an agent.",
	"I'd like to cancel my subscription.\nReason: too expensive.", "您好，我想查询订单。",
}

var (
	channels = []string{"webchat", "voice", "whatsapp", "sms"}
	intents  = []string{"greeting", "order_status", "billing", "cancel", "fallback", "transfer"}
)

// sampleHour returns n realistic conversations of m messages each, the same
// for a given seed.
func sampleHour(seed uint64, n, m int) []Conversation {
	rng := rand.New(rand.NewPCG(seed, 0))
	cs := make([]Conversation, n)
	for i := range cs {
		cs[i] = sampleConversation(rng, i, m)
	}
	return cs
}

func sampleConversation(rng *rand.Rand, i, m int) Conversation {
	start := testHour.From().Add(time.Duration(rng.Int64N(int64(50 * time.Minute))))
	c := Conversation{ID: fmt.Sprintf("c-%06d", i), SessionID: fmt.Sprintf("s-%08x", rng.Uint32()),
		Channel: channels[rng.IntN(len(channels))], Language: "en-US", ProjectName: "support",
		StartedAt: start, Status: "completed", Messages: make([]Message, m)}
	sent := start
	for j := range c.Messages {
		sent = sent.Add(time.Duration(rng.Int64N(int64(20 * time.Second))))
		c.Messages[j] = sampleMessage(rng, fmt.Sprintf("m-%06d-%02d", i, j), sent, j%2 == 0)
	}
	c.EndedAt = &sent
	return c
}

func sampleMessage(rng *rand.Rand, id string, sent time.Time, user bool) Message {
	var text strings.Builder
	for k := 1 + rng.IntN(3); k > 0; k-- {
		text.WriteString(phrases[rng.IntN(len(phrases))])
		text.WriteByte(' ')
	}
	if rng.IntN(2) == 0 { // the unique bits of real chats: order numbers, amounts
		fmt.Fprintf(&text, "Order #%07d, %d.%02d EUR.", rng.IntN(1e7), rng.IntN(500), rng.IntN(100))
	}
	m := Message{ID: id, SentAt: sent, Sender: "user", Text: strings.TrimSpace(text.String())}
	if !user {
		m.Sender = "bot"
		m.Intent = &intents[rng.IntN(len(intents))]
		m.Confidence = ptr(float64(rng.IntN(10000)) / 10000)
	}
	return m
}
