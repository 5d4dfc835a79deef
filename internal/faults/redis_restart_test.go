package faults

import (
	"strings"
	"testing"
	"time"

	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/seed"
	"github.com/dailyreports/dailyreports/internal/store"
	"github.com/dailyreports/dailyreports/jobs"
)

// Redis restarted without persistence in the middle of a run loses every
// queued task. The run, still going in its worker, finds the chunks without
// an outcome in the database and enqueues them again; the builds in flight
// finish. Every chunk is built, and none twice.
func TestRedisRestartedMidRun(t *testing.T) {
	t.Parallel()
	rs := startRedis(t)
	// One chunk at a time per worker, so the run is still young when Redis
	// goes.
	c := newCluster(t, map[string]string{"REDIS_URL": rs.URL(), "WORKER_CONCURRENCY": "1"})
	tenants := c.tenants(3)
	day := daysAgo(5)
	dayS := day.Format(document.DayLayout)
	c.seed(tenants, seed.Options{Day: day, ConversationsPerHour: 20})
	w1 := c.serve("worker-1", "worker", nil).Ready()
	w2 := c.serve("worker-2", "worker", nil).Ready()

	c.enqueueRun(jobs.RunPayload{RunID: "amnesia", Day: dayS})
	before := c.waitChunks(dayS, "a chunk stored", time.Minute, func(rows []*store.ChunkState) bool { return count(rows, stored) > 0 })
	rs.restart()
	if n := count(before, stored); n > 60 {
		t.Fatalf("the run was nearly over (%d of 72 chunks stored) when Redis restarted", n)
	}
	if c.hasTask(jobs.QueueControl, "run:amnesia") {
		t.Fatal("Redis still has the run's task after its restart")
	}
	restarted := time.Now()
	rows := c.waitChunks(dayS, "every chunk stored", 2*time.Minute, all(72, stored))
	t.Logf("%d of 72 chunks stored before the restart; the rest %s after it",
		count(before, stored), time.Since(restarted).Round(100*time.Millisecond))
	if !strings.Contains(w1.Tail(-1)+w2.Tail(-1), "chunk task lost") {
		t.Error("no worker logged re-enqueueing a lost chunk task")
	}
	c.uploadedOnce(rows)
	c.checkObjects(rows)
}
