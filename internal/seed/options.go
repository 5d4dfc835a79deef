package seed

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// Defaults of Options.
const (
	DefaultConversationsPerHour    = 40
	DefaultMessagesPerConversation = 8
	DefaultSeed                    = 1
)

// maxMessages is the most messages one conversation gets: the ingestion
// limit of the public API.
const maxMessages = 5000

// Options of a seed run. Zero fields take their defaults.
type Options struct {
	// Day is the UTC day to write; only its date counts.
	Day time.Time
	// ConversationsPerHour is the exact number of conversations started in
	// each hour (default 40).
	ConversationsPerHour int
	// MessagesPerConversation is the mean number of messages of a
	// conversation (default 8); each conversation has at least one.
	MessagesPerConversation int
	// Seed selects the data set: the same seed gives the same conversations.
	Seed uint64
	// Hours are the UTC hours to write, each at most once (default all 24).
	Hours []int
}

// normalized returns opt with its defaults filled in, Day at UTC midnight and
// Hours sorted, or an error naming the invalid option.
func (opt Options) normalized() (Options, error) {
	if opt.Day.IsZero() {
		return opt, errors.New("seed: day is required")
	}
	if opt.ConversationsPerHour < 0 || opt.MessagesPerConversation < 0 {
		return opt, errors.New("seed: conversations per hour and messages per conversation must not be negative")
	}
	if opt.MessagesPerConversation > maxMessages {
		return opt, fmt.Errorf("seed: messages per conversation must be at most %d", maxMessages)
	}
	d := opt.Day.UTC()
	opt.Day = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
	opt.ConversationsPerHour = orDefault(opt.ConversationsPerHour, DefaultConversationsPerHour)
	opt.MessagesPerConversation = orDefault(opt.MessagesPerConversation, DefaultMessagesPerConversation)
	if opt.Seed == 0 {
		opt.Seed = DefaultSeed
	}
	hours, err := normalizedHours(opt.Hours)
	opt.Hours = hours
	return opt, err
}

// normalizedHours returns a sorted copy of hours, all 24 when empty.
func normalizedHours(hours []int) ([]int, error) {
	if len(hours) == 0 {
		all := make([]int, 24)
		for h := range all {
			all[h] = h
		}
		return all, nil
	}
	out := slices.Clone(hours)
	slices.Sort(out)
	for i, h := range out {
		if h < 0 || h > 23 {
			return nil, fmt.Errorf("seed: hour %d outside 0..23", h)
		}
		if i > 0 && out[i-1] == h {
			return nil, fmt.Errorf("seed: hour %d given twice", h)
		}
	}
	return out, nil
}

func orDefault(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}
