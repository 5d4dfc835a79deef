//go:build bench

package bench_test

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/seed"
	"github.com/dailyreports/dailyreports/internal/store"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// The dataset of the issue: one tenant's day of 300 conversations an hour
// × 12 messages, and, the next day, one hour of 4,000 conversations × 20
// messages and one of 400 × 20 (the memory comparison).
const (
	dayConversations = 300
	dayMessages      = 12
	bigHour          = 5
	bigConversations = 4000
	smallHour        = 6
	smallConvs       = 400
	hourMessages     = 20
)

// bench is one run: the harness, the dataset and the table.
type bench struct {
	*harness
	tenant uuid.UUID
	day    time.Time // the 300/hour day
	next   time.Time // the day of the big and small hours
	reps   int
	tab    table

	apiSrv    *server
	readToken string
	generated bool
}

// TestBench runs the whole benchmark and prints the table.
func TestBench(t *testing.T) {
	start := time.Now()
	today := time.Now().UTC().Truncate(24 * time.Hour)
	b := &bench{harness: newHarness(t), day: today.AddDate(0, 0, -2), next: today.AddDate(0, 0, -1), reps: envInt("BENCH_REPS", 3)}
	b.seed()
	phases := []struct {
		name string
		fn   func()
	}{
		{"gen", b.generation}, {"rss", b.memory}, {"serve", b.serving}, {"live", b.liveFallback},
		{"scale", b.scale}, {"ingest", b.ingestion}, {"graphql", b.graphqlLimits}, {"ingestmem", b.ingestMemory},
	}
	if dir := os.Getenv("BENCH_PROFILE"); dir != "" {
		b.profile(dir)
	}
	for _, p := range phases {
		if only := os.Getenv("BENCH_ONLY"); only != "" && !strings.Contains(","+only+",", ","+p.name+",") {
			continue
		}
		p.fn()
	}
	fmt.Printf("\n## dailyreports bench — %s, %d CPUs, %s, %d repetitions, %s\n\n",
		runtime.GOOS+"/"+runtime.GOARCH, runtime.NumCPU(), runtime.Version(), b.reps, time.Since(start).Round(time.Second))
	b.tab.print(os.Stdout)
}

// seed writes the dataset: the day through the `seed` command, the two
// hours of the next day through the same seed.Seed into the same tenant, and
// the floor's table of JSON documents from those rows.
func (b *bench) seed() {
	start := time.Now()
	out := b.run("seed", "--tenants", "1", "--day", b.day.Format("2006-01-02"),
		"--conversations-per-hour", strconv.Itoa(dayConversations), "--messages-per-conversation", strconv.Itoa(dayMessages))
	id, err := uuid.Parse(strings.Fields(out.out)[0])
	if err != nil {
		b.t.Fatalf("seed printed %q", out.out)
	}
	b.tenant = id
	s, err := store.OpenPostgres(b.dbURL)
	if err != nil {
		b.t.Fatal(err)
	}
	defer s.Close()
	ctx := viewer.SystemContext(background(b.t), "bench")
	for _, h := range []struct{ hour, convs int }{{bigHour, bigConversations}, {smallHour, smallConvs}} {
		if _, _, err := seed.Seed(ctx, s, []uuid.UUID{id}, seed.Options{Day: b.next, Hours: []int{h.hour},
			ConversationsPerHour: h.convs, MessagesPerConversation: hourMessages, Seed: seed.DefaultSeed}); err != nil {
			b.t.Fatal(err)
		}
	}
	b.psql("VACUUM ANALYZE conversations")
	fmt.Fprintf(os.Stderr, "bench: seeded in %s: %s\n", time.Since(start).Round(time.Millisecond),
		b.psql("SELECT count(*) || ' conversations, ' || sum(message_count) || ' messages, ' || pg_size_pretty(sum(octet_length(document))) || ' of JSON' FROM conversations"))
}

// floorScript is the bash script of the floor for hours of day: one psql
// session streams each hour's documents, as the service stores them, in
// report order, through one gzip -1: what a build cannot beat, PostgreSQL
// reading the hour and a compressor.
func (b *bench) floorScript(day time.Time, hours ...int) string {
	var sb strings.Builder
	sb.WriteString(`psql -X -q "$DATABASE_URL"`)
	for _, h := range hours {
		from := day.Add(time.Duration(h) * time.Hour)
		fmt.Fprintf(&sb, ` -c "COPY (SELECT document FROM conversations WHERE tenant_id = '%s' AND started_at >= '%s' AND started_at < '%s' ORDER BY started_at, external_id) TO STDOUT"`,
			b.tenant, from.Format(time.RFC3339), from.Add(time.Hour).Format(time.RFC3339))
	}
	sb.WriteString(" | gzip -1 > /dev/null\n")
	return sb.String()
}

// startScript is what floorScript costs with no hour at all (psql's start
// and connection, gzip's start): subtracted from the floor of one hour, so
// that it is the hour's alone.
const startScript = `psql -X -q "$DATABASE_URL" -c "SELECT 1" | gzip -1 > /dev/null` + "\n"

// allHours is 0..23.
func allHours() []int {
	hs := make([]int, 24)
	for i := range hs {
		hs[i] = i
	}
	return hs
}

// generation: `generate` of the whole day, upload included, vs the floor.
func (b *bench) generation() {
	script := b.floorScript(b.day, allHours()...)
	b.shell(script) // warm the cache
	var gen, floor []time.Duration
	for range b.reps {
		floor = append(floor, b.shell(script))
		gen = append(gen, b.run("generate", "--day", b.day.Format("2006-01-02"), "--tenant", b.tenant.String()).elapsed)
	}
	b.generated = true
	b.tab.add(row{name: "generate, whole day (24 h × 300 conv × 12 msg) vs floor (one psql session, one gzip -1)", ratio: median(ratios(gen, floor)),
		target: "≤ 1.3", measured: ms(medianDur(gen)), baseline: ms(medianDur(floor))})
}

// memory: peak RSS of `generate --hour` for 4,000 conversations vs 400.
func (b *bench) memory() {
	day := b.next.Format("2006-01-02")
	var big, small []float64
	for range b.reps {
		small = append(small, float64(b.run("generate", "--day", day, "--tenant", b.tenant.String(), "--hour", strconv.Itoa(smallHour)).maxRSS))
		big = append(big, float64(b.run("generate", "--day", day, "--tenant", b.tenant.String(), "--hour", strconv.Itoa(bigHour)).maxRSS))
	}
	mb, ms := median(big), median(small)
	b.tab.add(row{name: "peak RSS, generate --hour 4,000 conv vs 400 conv (× 20 msg)", ratio: mb / ms, target: "≤ 1.3",
		measured: mib(int64(mb)), baseline: mib(int64(ms))})
	b.tab.add(row{name: "peak RSS, generate --hour 4,000 conv, vs 150 MiB", ratio: mb / (150 << 20), target: "< 1",
		measured: mib(int64(mb)), baseline: "150 MiB"})
}

func envInt(k string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(k)); err == nil && n > 0 {
		return n
	}
	return def
}
