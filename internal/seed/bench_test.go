package seed

import (
	"context"
	"testing"
	"time"

	"github.com/dailyreports/dailyreports/internal/document"
)

// benchOptions make a day of about 100k messages for one tenant.
var benchOptions = Options{Day: testDay, ConversationsPerHour: 520, MessagesPerConversation: 8}

func BenchmarkGenerate(b *testing.B) {
	var convs, msgs int
	for b.Loop() {
		convs, msgs = 0, 0
		err := Generate(0, benchOptions, BatchSize, func(batch []document.Conversation) error {
			convs += len(batch)
			msgs += countMessages(batch)
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	perOp := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(float64(msgs)/perOp, "msgs/s")
	b.ReportMetric(float64(convs)/perOp, "convs/s")
}

// BenchmarkSeed writes about 100k messages into PostgreSQL per iteration, for
// a new tenant each time, and reports the throughput.
func BenchmarkSeed(b *testing.B) {
	s := openStore(b)
	ctx := context.Background()
	var convs, msgs int
	var took time.Duration
	for b.Loop() {
		b.StopTimer()
		tenants := createTenants(b, s, 1)
		b.StartTimer()
		start := time.Now()
		c, m, err := Seed(ctx, s, tenants, benchOptions)
		if err != nil {
			b.Fatal(err)
		}
		took += time.Since(start)
		convs, msgs = convs+c, msgs+m
	}
	b.ReportMetric(float64(convs)/took.Seconds(), "convs/s")
	b.ReportMetric(float64(msgs)/took.Seconds(), "msgs/s")
	b.Logf("seeded %d conversations, %d messages in %v: %.0f conversations/s, %.0f messages/s",
		convs, msgs, took.Round(time.Millisecond), float64(convs)/took.Seconds(), float64(msgs)/took.Seconds())
}
