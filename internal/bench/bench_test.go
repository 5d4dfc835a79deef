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
	b.psql(docsTable)
	fmt.Fprintf(os.Stderr, "bench: seeded in %s: %s\n", time.Since(start).Round(time.Millisecond),
		b.psql("SELECT count(*) || ' conversations, ' || sum(json_array_length(doc->'Messages')) || ' messages, ' || pg_size_pretty(sum(octet_length(doc::text))) || ' of JSON' FROM bench_docs"))
}

// docsTable is the floor's plain table: one JSON document per conversation,
// in the report's shape, indexed for the hour's ordered scan.
const docsTable = `
CREATE TABLE bench_docs AS
SELECT c.tenant_id, c.started_at, c.external_id,
  json_build_object('Id', c.external_id, 'SessionId', c.session_id, 'Channel', c.channel,
    'Language', c.language, 'ProjectName', c.project_name, 'StartedAt', c.started_at,
    'EndedAt', c.ended_at, 'Status', c.status,
    'Messages', COALESCE((SELECT json_agg(json_build_object('Id', m.external_id, 'SentAt', m.sent_at,
        'Sender', m.sender, 'Text', m.text, 'Intent', m.intent, 'Confidence', m.confidence)
        ORDER BY m.sent_at, m.external_id)
      FROM messages m WHERE m.conversation_id = c.id), '[]'::json)) AS doc
FROM conversations c;
CREATE INDEX bench_docs_hour ON bench_docs (tenant_id, started_at, external_id);
VACUUM ANALYZE bench_docs;
`

// floorScript is the bash script of the floor for hours of day: for each
// hour, PostgreSQL streams the hour's documents in report order through
// gzip -1.
func (b *bench) floorScript(day time.Time, hours ...int) string {
	var sb strings.Builder
	for _, h := range hours {
		from := day.Add(time.Duration(h) * time.Hour)
		fmt.Fprintf(&sb, "psql -X -q \"$DATABASE_URL\" -c \"COPY (SELECT doc FROM bench_docs WHERE tenant_id = '%s' AND started_at >= '%s' AND started_at < '%s' ORDER BY started_at, external_id) TO STDOUT\" | gzip -1 > /dev/null\n",
			b.tenant, from.Format(time.RFC3339), from.Add(time.Hour).Format(time.RFC3339))
	}
	return sb.String()
}

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
	b.tab.add(row{name: "generate, whole day (24 h × 300 conv × 12 msg) vs floor", ratio: median(ratios(gen, floor)),
		target: "≤ 1.5", measured: ms(medianDur(gen)), baseline: ms(medianDur(floor))})
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
