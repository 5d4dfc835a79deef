package seed

import (
	"math"
	"strings"
	"testing"

	"github.com/dailyreports/dailyreports/internal/document"
)

// tally counts what a day of conversations holds.
type tally struct {
	channels, languages, projects, statuses, senders, intents map[string]int
	nullIntents, quirky, transfers                            int
}

func count(convs []document.Conversation) tally {
	t := tally{channels: map[string]int{}, languages: map[string]int{}, projects: map[string]int{},
		statuses: map[string]int{}, senders: map[string]int{}, intents: map[string]int{}}
	for _, c := range convs {
		t.channels[c.Channel]++
		t.languages[c.Language]++
		t.projects[c.ProjectName]++
		t.statuses[c.Status]++
		for _, m := range c.Messages {
			t.senders[m.Sender]++
			switch {
			case m.Intent != nil:
				t.intents[*m.Intent]++
			case m.Sender == senderUser:
				t.nullIntents++
			}
			if strings.ContainsAny(m.Text, "\"\\\n") {
				t.quirky++
			}
			if m.Text == textTransferred {
				t.transfers++
			}
		}
	}
	return t
}

func TestGenerateIsVaried(t *testing.T) {
	convs := generateAll(t, 0, Options{Day: testDay}, 1000)
	got := count(convs)
	for name, tc := range map[string]struct {
		seen map[string]int
		want []string
	}{
		"channel":  {got.channels, []string{"webchat", "whatsapp", "facebook", "voice", "teams", "sms"}},
		"language": {got.languages, []string{"en-US", "de-DE", "tr-TR", "es-ES", "fr-FR", "ja-JP", "ar-SA"}},
		"project":  {got.projects, []string{"support", "sales", "billing", "onboarding"}},
		"status":   {got.statuses, []string{statusCompleted, statusAbandoned, statusTransferred, statusActive}},
		"sender":   {got.senders, []string{senderUser, senderBot, senderAgent, senderSystem}},
		"intent":   {got.intents, []string{intentGreeting, intentFallback, "order_status", "cancel_subscription", "refund_request"}},
	} {
		for _, v := range tc.want {
			if tc.seen[v] == 0 {
				t.Errorf("no %s %q in %d conversations: %v", name, v, len(convs), tc.seen)
			}
		}
		if len(tc.seen) != len(tc.want) {
			t.Errorf("%ss %v, want only %v", name, tc.seen, tc.want)
		}
	}
	if got.channels["webchat"] <= got.channels["sms"]*3 || got.languages["en-US"] <= got.languages["ar-SA"]*3 {
		t.Errorf("weights not skewed: channels %v, languages %v", got.channels, got.languages)
	}
	if got.nullIntents == 0 || got.quirky == 0 || got.transfers != got.statuses[statusTransferred] {
		t.Errorf("%d user messages without intent, %d with quotes, backslashes or newlines, %d transfers for %d transferred",
			got.nullIntents, got.quirky, got.transfers, got.statuses[statusTransferred])
	}
}

func TestGenerateMessageCountsVaryAroundTheMean(t *testing.T) {
	for _, mean := range []int{1, 3, 8, 20} {
		convs := generateAll(t, 1, Options{Day: testDay, MessagesPerConversation: mean}, 1000)
		lengths := map[int]bool{}
		for _, c := range convs {
			lengths[len(c.Messages)] = true
		}
		avg := float64(countMessages(convs)) / float64(len(convs))
		if math.Abs(avg-float64(mean)) > 0.12*float64(mean) {
			t.Errorf("mean %d: average %.2f messages per conversation", mean, avg)
		}
		if mean >= 8 && len(lengths) < mean {
			t.Errorf("mean %d: only %d distinct lengths", mean, len(lengths))
		}
	}
}

func TestGenerateSpreadsStartsOverTheHour(t *testing.T) {
	convs := generateAll(t, 0, Options{Day: testDay, ConversationsPerHour: 600, Hours: []int{10}}, 1000)
	var quarters [4]int
	for _, c := range convs {
		quarters[c.StartedAt.Minute()/15]++
	}
	for q, n := range quarters {
		if n < 100 || n > 200 {
			t.Errorf("quarter %d of the hour has %d of 600 starts: %v", q, n, quarters)
		}
	}
}
