package faults

import (
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/seed"
	"github.com/dailyreports/dailyreports/internal/store"
	"github.com/dailyreports/dailyreports/internal/testenv"
	"github.com/dailyreports/dailyreports/jobs"
)

// A worker sent SIGTERM while chunks are building stops taking work, lets
// its builds finish for SHUTDOWN_TIMEOUT, hands the rest back to the queue
// and exits 0. Another worker then stores every chunk long before asynq
// would have recovered an abandoned task, and no object is half-written.
func TestWorkerSIGTERMMidRun(t *testing.T) {
	t.Parallel()
	const grace = 200 * time.Millisecond
	c := newCluster(t, map[string]string{"SHUTDOWN_TIMEOUT": grace.String(), "WORKER_CONCURRENCY": "4"})
	tenant := c.tenants(1)[0]
	day := daysAgo(5)
	dayS := day.Format(document.DayLayout)
	c.seed([]uuid.UUID{tenant}, seed.Options{Day: day, Hours: []int{0, 1}, ConversationsPerHour: 10000})

	a := c.serve("worker-a", "worker", nil).Ready()
	c.enqueueRun(jobs.RunPayload{RunID: "term", Day: dayS})
	building := func(r *store.ChunkState) bool { return r.Building() }
	c.waitChunks(dayS, "two chunks building", time.Minute, func(rows []*store.ChunkState) bool { return count(rows, building) >= 2 })
	a.Signal(syscall.SIGTERM)
	sent := time.Now()
	st, err := a.Wait(grace + 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if err := testenv.ExitedCleanly(st); err != nil {
		t.Fatalf("worker after SIGTERM: %v", err)
	}
	t.Logf("worker exited %s after SIGTERM", time.Since(sent).Round(10*time.Millisecond))

	rows := c.chunks(dayS)
	c.noActiveTasks()
	for _, r := range rows {
		if !stored(r) && !c.queued(r) {
			t.Errorf("%s is %s, and its task is not back in the queue", key(r), r.Phase())
		}
	}
	handedBack := count(rows, building)
	t.Logf("at exit: %d chunks stored, %d building (handed back), %d pending",
		count(rows, stored), handedBack, count(rows, func(r *store.ChunkState) bool { return r.Pending() }))
	if handedBack == 0 {
		t.Fatal("every build finished within the grace period; seed bigger hours to test the hand-back")
	}

	c.serve("worker-b", "worker", nil).Ready()
	// Well before asynq's recovery of abandoned tasks (a minute or more).
	rows = c.waitChunks(dayS, "every chunk stored", 40*time.Second, all(24, stored))
	c.checkObjects(rows)
}
