package faults

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hibiken/asynq"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/reports"
	"github.com/dailyreports/dailyreports/internal/seed"
	"github.com/dailyreports/dailyreports/internal/store"
	"github.com/dailyreports/dailyreports/internal/testenv"
	"github.com/dailyreports/dailyreports/jobs"
)

// asynqLease is how long asynq leases an active task to its worker: its
// recoverer cannot give a dead worker's task to another before it expires
// (and runs once a minute).
const asynqLease = 30 * time.Second

// taskInfo returns the state of a task, failing the test when Redis does
// not have it.
func (c *cluster) taskInfo(queue, id string) *asynq.TaskInfo {
	c.t.Helper()
	in := asynq.NewInspector(c.App.Redis)
	defer in.Close()
	info, err := in.GetTaskInfo(queue, id)
	if err != nil {
		c.t.Fatalf("task %s: %v", id, err)
	}
	return info
}

// waitActive waits until the task id of queue is active on a worker.
func (c *cluster) waitActive(queue, id string, timeout time.Duration) {
	c.t.Helper()
	in := asynq.NewInspector(c.App.Redis)
	defer in.Close()
	deadline := time.Now().Add(timeout)
	for {
		if info, err := in.GetTaskInfo(queue, id); err == nil && info.State == asynq.TaskStateActive {
			return
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("task %s not active after %s", id, timeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// A worker sent SIGTERM while its run waits for a chunk (which itself waits
// for another build's claim) gives both back at once, well within
// SHUTDOWN_TIMEOUT, and exits; neither counts as a failure. Another worker
// resumes the run from the database and finishes it.
func TestWorkerSIGTERMGivesWaitingRunBack(t *testing.T) {
	t.Parallel()
	const grace = time.Minute
	c := newCluster(t, map[string]string{"SHUTDOWN_TIMEOUT": grace.String()})
	tenant := c.tenants(1)[0]
	day := daysAgo(5)
	dayS := day.Format(document.DayLayout)
	c.seed([]uuid.UUID{tenant}, seed.Options{Day: day, Hours: []int{3}, ConversationsPerHour: 20})
	ref := store.ChunkRef{TenantID: tenant, Hour: document.NewHour(day, 3)}
	// Another process holds the hour's claim (a live build, say).
	row, err := c.App.Store.Chunk(apptest.System(), ref)
	if err != nil || row == nil {
		t.Fatalf("chunk: %+v, %v", row, err)
	}
	if got, err := c.App.Store.ClaimBuild(apptest.System(), ref, store.BuildClaim{Version: row.DataVersion, Token: "other-process", Lease: 10 * time.Minute}); err != nil || !got.Won {
		t.Fatalf("claim: %+v, %v", got, err)
	}

	a := c.serve("worker-a", "worker", nil).Ready()
	c.enqueueRun(jobs.RunPayload{RunID: "handback", Day: dayS, Tenants: []uuid.UUID{tenant}, Hours: []int{3}})
	chunkTask := "chunk:" + tenant.String() + ":" + dayS + ":03:handback:a1"
	c.waitActive(jobs.QueueControl, "run:handback", 30*time.Second)
	c.waitActive(jobs.QueueChunks, chunkTask, 30*time.Second)
	a.Signal(syscall.SIGTERM)
	sent := time.Now()
	st, err := a.Wait(grace)
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(sent)
	if err := testenv.ExitedCleanly(st); err != nil {
		t.Fatalf("worker after SIGTERM: %v", err)
	}
	t.Logf("worker exited %s after SIGTERM (SHUTDOWN_TIMEOUT %s)", took.Round(10*time.Millisecond), grace)
	if took > 10*time.Second {
		t.Errorf("the worker held its waiting tasks for %s after SIGTERM", took)
	}
	c.noActiveTasks()
	for queue, id := range map[string]string{jobs.QueueControl: "run:handback", jobs.QueueChunks: chunkTask} {
		info := c.taskInfo(queue, id)
		if (info.State != asynq.TaskStateRetry && info.State != asynq.TaskStatePending) || info.Retried != 0 {
			t.Errorf("%s after SIGTERM: %s, retried %d; want back in the queue, not counted as a failure", id, info.State, info.Retried)
		}
	}

	if err := c.App.Store.ReleaseBuild(apptest.System(), ref, "other-process"); err != nil {
		t.Fatal(err)
	}
	c.serve("worker-b", "worker", nil).Ready()
	rows := c.waitChunks(dayS, "the hour stored", 30*time.Second, all(1, stored))
	c.waitTask(jobs.QueueControl, "run:handback", 30*time.Second)
	if r := rows[0]; r.RunID != "handback" || r.Attempts != 1 {
		t.Errorf("hour stored by run %s attempt %d, want handback attempt 1", r.RunID, r.Attempts)
	}
	c.uploadedOnce(rows)
}

// A worker killed with SIGKILL in the middle of a build leaves the chunk
// building, its build lease unrenewed and its task active in Redis. The run
// notices the lapsed lease and has another worker take the chunk over long
// before asynq's recoverer could give the lost task to anyone: one object,
// a clean build's document.
func TestKilledWorkersBuildIsTakenOverBeforeTheRecoverer(t *testing.T) {
	t.Parallel()
	c := newCluster(t, nil)
	tenant := c.tenants(1)[0]
	day := daysAgo(5)
	dayS := day.Format(document.DayLayout)
	const hour, size = 7, 24000 // about a second to build
	c.seed([]uuid.UUID{tenant}, seed.Options{Day: day, Hours: []int{hour}, ConversationsPerHour: size})

	// The run waits in this process, so the kill takes only the build.
	runner := c.App.Runner()
	client, inspector := asynq.NewClient(c.App.Redis), asynq.NewInspector(c.App.Redis)
	t.Cleanup(func() { _ = client.Close(); _ = inspector.Close() })
	exec := &jobs.QueueExecutor{Runner: runner, Client: client, Inspector: inspector, Log: apptest.Logger(t), Poll: 100 * time.Millisecond}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	type result struct {
		sum jobs.Summary
		err error
	}
	ran := make(chan result, 1)
	a := c.serve("worker-a", "worker", nil).Ready()
	go func() {
		sum, err := runner.Run(ctx, jobs.RunPayload{RunID: "takeover", Day: dayS, Tenants: []uuid.UUID{tenant}, Hours: []int{hour}}, exec)
		ran <- result{sum, err}
	}()
	ref := store.ChunkRef{TenantID: tenant, Hour: document.NewHour(day, hour)}
	deadline := time.Now().Add(time.Minute)
	for {
		row, err := c.App.Store.Chunk(apptest.System(), ref)
		if err != nil {
			t.Fatal(err)
		}
		if row != nil && row.Building() && row.Lease.Held(time.Now()) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no build claimed the hour: %+v", row)
		}
		time.Sleep(10 * time.Millisecond)
	}
	a.Kill() // SIGKILL
	killed := time.Now()
	rows := c.chunks(dayS)
	if !rows[0].Building() || len(c.versions()[key(rows[0])]) != 0 {
		t.Fatalf("the kill came too late: the hour is %s with %d uploads; seed a bigger hour", rows[0].Phase(), len(c.versions()[key(rows[0])]))
	}

	c.serve("worker-b", "worker", nil).Ready()
	rows = c.waitChunks(dayS, "the hour stored", asynqLease, all(1, stored))
	took := time.Since(killed)
	t.Logf("rebuilt %s after the kill (build lease %s; asynq's lease %s)", took.Round(100*time.Millisecond), reports.DefaultLease, asynqLease)
	if took >= asynqLease {
		t.Errorf("rebuilt %s after the kill: no sooner than asynq's recoverer", took)
	}
	r := <-ran
	if r.err != nil || r.sum.Stored != 1 {
		t.Fatalf("run: %+v, %v", r.sum, r.err)
	}
	if row := rows[0]; row.Attempts != 1 || row.RunID != "takeover" || row.Lease != nil {
		t.Errorf("hour: attempt %d of run %s, claim %+v; want attempt 1 of takeover, no claim", row.Attempts, row.RunID, row.Lease)
	}
	c.uploadedOnce(rows)
	docs := c.checkObjects(rows)
	got := docs[key(rows[0])]
	if got.ConversationCount != size {
		t.Errorf("rebuilt document has %d conversations, want %d", got.ConversationCount, size)
	}
	sameDoc(t, "rebuilt document", got, c.cleanDoc(rows[0]))
}
