//go:build bench

package bench_test

import (
	"database/sql"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/hibiken/asynq"

	"github.com/dailyreports/dailyreports/jobs"
)

// scale: a night of many tenants with small data (one conversation an hour)
// on worker processes, and the chunks per second of 1 and of 2 workers.
func (b *bench) scale() {
	n := envInt("BENCH_SCALE_TENANTS", 1000)
	compare := min(envInt("BENCH_SCALE_COMPARE", 100), n)
	day := b.day.AddDate(0, 0, -1)
	start := time.Now()
	out := b.run("seed", "--tenants", strconv.Itoa(n), "--day", day.Format("2006-01-02"),
		"--conversations-per-hour", "1", "--messages-per-conversation", "4", "--seed", "2")
	var tenants []uuid.UUID
	for _, f := range strings.Fields(out.out) {
		tenants = append(tenants, uuid.MustParse(f))
	}
	fmt.Fprintf(os.Stderr, "bench: seeded %d tenants in %s\n", len(tenants), time.Since(start).Round(time.Millisecond))
	one := b.night("scale-1w", day, tenants[:compare], 1)
	two := b.night("scale-2w", day, tenants[:compare], 2)
	full := b.night("scale-night", day, tenants, 2)
	cps := func(chunks int, d time.Duration) float64 { return float64(chunks) / d.Seconds() }
	c1, c2, cf := cps(compare*24, one), cps(compare*24, two), cps(n*24, full)
	b.tab.add(row{name: fmt.Sprintf("night, %d tenants × 24 h on workers: chunks/s, 2 workers vs 1", compare), ratio: c2 / c1,
		measured: fmt.Sprintf("%.0f chunks/s (2 workers)", c2), baseline: fmt.Sprintf("%.0f chunks/s (1 worker)", c1)})
	b.tab.add(row{name: fmt.Sprintf("night, %d tenants (%d chunks), 2 workers: completes; chunks/s vs %d tenants", n, n*24, compare),
		ratio: cf / c2, measured: fmt.Sprintf("%.0f chunks/s, %s", cf, full.Round(time.Second)),
		baseline: fmt.Sprintf("%.0f chunks/s", c2)})
}

// night runs the day for tenants on workers worker processes and returns the
// time from enqueuing the run until every chunk is stored.
func (b *bench) night(runID string, day time.Time, tenants []uuid.UUID, workers int) time.Duration {
	b.t.Helper()
	for range workers {
		w := b.serve("worker")
		defer w.stop()
	}
	redis, err := asynq.ParseRedisURI(b.vars["REDIS_URL"])
	if err != nil {
		b.t.Fatal(err)
	}
	client := asynq.NewClient(redis)
	defer client.Close()
	db, err := sql.Open("postgres", b.dbURL)
	if err != nil {
		b.t.Fatal(err)
	}
	defer db.Close()
	time.Sleep(time.Second) // let the workers connect
	task, err := jobs.NewRunTask(jobs.RunPayload{RunID: runID, Day: day.Format("2006-01-02"), Tenants: tenants, Force: true})
	if err != nil {
		b.t.Fatal(err)
	}
	start := time.Now()
	if _, err := client.Enqueue(task); err != nil {
		b.t.Fatal(err)
	}
	want := len(tenants) * 24
	for {
		var stored, failed int
		err := db.QueryRow(`SELECT count(*) FILTER (WHERE status = 'stored'), count(*) FILTER (WHERE status = 'failed')
			FROM report_chunks WHERE run_id = $1`, runID).Scan(&stored, &failed)
		if err != nil {
			b.t.Fatal(err)
		}
		if stored == want {
			d := time.Since(start)
			fmt.Fprintf(os.Stderr, "bench: %s: %d chunks on %d workers in %s\n", runID, want, workers, d.Round(time.Millisecond))
			return d
		}
		if time.Since(start) > 15*time.Minute {
			b.t.Fatalf("%s: %d of %d chunks stored, %d failed after 15 minutes", runID, stored, want, failed)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
