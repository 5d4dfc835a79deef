package faults

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/seed"
	"github.com/dailyreports/dailyreports/internal/store"
	"github.com/dailyreports/dailyreports/jobs"
)

// A worker killed with SIGKILL in the middle of a chunk's build leaves the
// chunk building and its task active in Redis. Once asynq's lease on the task
// has expired, another worker builds the chunk: exactly one object, whose
// document is a clean build's but for GeneratedAt.
func TestWorkerKilledMidChunk(t *testing.T) {
	t.Parallel()
	c := newCluster(t, nil)
	tenant := c.tenants(1)[0]
	day := daysAgo(5)
	// The big hour takes about a second to build (conversations are stored
	// as their documents: a build only copies them), the others no time.
	const big, bigSize = 7, 24000
	c.seed([]uuid.UUID{tenant}, seed.Options{Day: day, Hours: []int{big}, ConversationsPerHour: bigSize})
	c.seed([]uuid.UUID{tenant}, seed.Options{Day: day, Hours: []int{3, 15}, ConversationsPerHour: 20})

	a := c.serve("worker-a", "worker", nil).Ready()
	c.enqueueRun(jobs.RunPayload{RunID: "killed", Day: day.Format(document.DayLayout)})
	isBig := func(r *store.ChunkState) bool { return r.Ref.Hour.Hour == big }
	c.waitChunks(day.Format(document.DayLayout), "the big hour building, the others stored", time.Minute, func(rows []*store.ChunkState) bool {
		return len(rows) == 24 && count(rows, func(r *store.ChunkState) bool {
			return isBig(r) && r.Building() || !isBig(r) && stored(r)
		}) == 24
	})
	a.Kill() // SIGKILL
	killed := time.Now()
	rows := c.chunks(day.Format(document.DayLayout))
	bigRow := rows[big]
	if !bigRow.Building() || len(c.versions()[key(bigRow)]) != 0 {
		t.Fatalf("the kill came too late: the big hour is %s with %d uploads; seed a bigger hour",
			bigRow.Phase(), len(c.versions()[key(bigRow)]))
	}

	c.serve("worker-b", "worker", nil).Ready()
	rows = c.waitChunks(day.Format(document.DayLayout), "every chunk stored", 3*time.Minute, all(24, stored))
	t.Logf("rebuilt %s after the kill", time.Since(killed).Round(time.Second))
	if r := rows[big]; r.Attempts != 1 || r.RunID != "killed" {
		t.Errorf("big hour: attempts %d run %s, want attempt 1 of run killed", r.Attempts, r.RunID)
	}
	c.uploadedOnce(rows)
	docs := c.checkObjects(rows)
	got := docs[key(bigRow)]
	if got.ConversationCount != bigSize {
		t.Errorf("rebuilt document has %d conversations, want %d", got.ConversationCount, bigSize)
	}
	sameDoc(t, "rebuilt document", got, c.cleanDoc(rows[big]))
}
