package seed

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/dailyreports/dailyreports/internal/document"
)

func TestGenerateIsDeterministic(t *testing.T) {
	opt := Options{Day: testDay, Seed: 7}
	a := encode(t, generateAll(t, 3, opt, 100))
	b := encode(t, generateAll(t, 3, opt, 100))
	if !bytes.Equal(a, b) {
		t.Fatal("two runs with the same inputs differ")
	}
	other := func(name string, tenant int, o Options) {
		if bytes.Equal(a, encode(t, generateAll(t, tenant, o, 100))) {
			t.Errorf("%s gives the same conversations", name)
		}
	}
	other("another seed", 3, Options{Day: testDay, Seed: 8})
	other("another tenant", 4, opt)
	other("another day", 3, Options{Day: testDay.AddDate(0, 0, 1), Seed: 7})
}

func TestGenerateDoesNotDependOnBatchSize(t *testing.T) {
	opt := Options{Day: testDay, Hours: []int{0, 13}}
	want := encode(t, generateAll(t, 0, opt, 1000))
	for _, size := range []int{1, 7, 40, 80} {
		if got := encode(t, generateAll(t, 0, opt, size)); !bytes.Equal(got, want) {
			t.Errorf("batch size %d changes the conversations", size)
		}
	}
}

func TestGenerateHourDoesNotDependOnOtherHours(t *testing.T) {
	all := generateAll(t, 2, Options{Day: testDay}, 500)
	one := generateAll(t, 2, Options{Day: testDay, Hours: []int{9}}, 500)
	var hour9 []document.Conversation
	for _, c := range all {
		if c.StartedAt.Hour() == 9 {
			hour9 = append(hour9, c)
		}
	}
	if !bytes.Equal(encode(t, one), encode(t, hour9)) {
		t.Error("hour 9 alone differs from hour 9 of the whole day")
	}
}

func TestGenerateCounts(t *testing.T) {
	convs := generateAll(t, 0, Options{Day: testDay, ConversationsPerHour: 5, Hours: []int{23, 1, 4}}, 4)
	if len(convs) != 15 {
		t.Fatalf("got %d conversations, want 15", len(convs))
	}
	for i, want := range []int{1, 4, 23} { // hours come in ascending order
		if h := convs[i*5].StartedAt.Hour(); h != want {
			t.Errorf("group %d is hour %d, want %d", i, h, want)
		}
	}
	if n := len(generateAll(t, 0, Options{Day: testDay}, 1000)); n != 24*DefaultConversationsPerHour {
		t.Errorf("default day has %d conversations, want %d", n, 24*DefaultConversationsPerHour)
	}
}

func TestGenerateStopsOnError(t *testing.T) {
	boom := errors.New("boom")
	calls := 0
	err := Generate(0, Options{Day: testDay}, 10, func([]document.Conversation) error {
		calls++
		return boom
	})
	if !errors.Is(err, boom) || calls != 1 {
		t.Fatalf("got %v after %d calls, want boom after 1", err, calls)
	}
}

func TestGenerateRefusesInvalidOptions(t *testing.T) {
	noop := func([]document.Conversation) error { return nil }
	for name, tc := range map[string]struct {
		opt    Options
		tenant int
		batch  int
	}{
		"no day":            {opt: Options{}, batch: 10},
		"hour 24":           {opt: Options{Day: testDay, Hours: []int{24}}, batch: 10},
		"hour twice":        {opt: Options{Day: testDay, Hours: []int{3, 3}}, batch: 10},
		"negative count":    {opt: Options{Day: testDay, ConversationsPerHour: -1}, batch: 10},
		"too many messages": {opt: Options{Day: testDay, MessagesPerConversation: maxMessages + 1}, batch: 10},
		"zero batch":        {opt: Options{Day: testDay}, batch: 0},
		"negative tenant":   {opt: Options{Day: testDay}, tenant: -1, batch: 10},
	} {
		err := Generate(tc.tenant, tc.opt, tc.batch, noop)
		if err == nil || err.Error()[:5] != "seed:" {
			t.Errorf("%s: got %v, want a seed: error", name, err)
		}
	}
}

func TestGenerateNormalizesDay(t *testing.T) {
	local := time.FixedZone("UTC+2", 2*3600)
	noon := time.Date(2025, 4, 22, 12, 30, 0, 0, local)
	a := encode(t, generateAll(t, 0, Options{Day: noon, Hours: []int{5}}, 100))
	b := encode(t, generateAll(t, 0, Options{Day: testDay, Hours: []int{5}}, 100))
	if !bytes.Equal(a, b) {
		t.Error("a time during the day gives other conversations than its UTC midnight")
	}
}
