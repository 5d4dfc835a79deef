package faults

import (
	"errors"
	"fmt"
	"time"

	"github.com/hibiken/asynq"

	"github.com/dailyreports/dailyreports/internal/store"
	"github.com/dailyreports/dailyreports/jobs"
)

// enqueueRun puts a run's task on the queue, as the nightly and the
// reconcile do.
func (c *cluster) enqueueRun(p jobs.RunPayload) {
	c.t.Helper()
	client := asynq.NewClient(c.App.Redis)
	defer client.Close()
	task, err := jobs.NewRunTask(p)
	if err != nil {
		c.t.Fatal(err)
	}
	if _, err := client.Enqueue(task); err != nil {
		c.t.Fatalf("enqueue run: %v", err)
	}
}

// waitTask waits until the task id of queue has completed.
func (c *cluster) waitTask(queue, id string, timeout time.Duration) {
	c.t.Helper()
	in := asynq.NewInspector(c.App.Redis)
	defer in.Close()
	deadline := time.Now().Add(timeout)
	for {
		info, err := in.GetTaskInfo(queue, id)
		if err == nil && info.State == asynq.TaskStateCompleted {
			return
		}
		if time.Now().After(deadline) {
			state := "missing"
			if err == nil {
				state = info.State.String() + " " + info.LastErr
			}
			c.t.Fatalf("task %s not completed after %s: %s (%v)", id, timeout, state, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// hasTask reports whether Redis holds the task id of queue, in any state.
func (c *cluster) hasTask(queue, id string) bool {
	c.t.Helper()
	in := asynq.NewInspector(c.App.Redis)
	defer in.Close()
	_, err := in.GetTaskInfo(queue, id)
	switch {
	case err == nil:
		return true
	case errors.Is(err, asynq.ErrTaskNotFound) || errors.Is(err, asynq.ErrQueueNotFound):
		return false
	}
	c.t.Fatalf("inspect task %s: %v", id, err)
	return false
}

// noActiveTasks fails the test if Redis says a task is being worked on.
func (c *cluster) noActiveTasks() {
	c.t.Helper()
	in := asynq.NewInspector(c.App.Redis)
	defer in.Close()
	for _, q := range []string{jobs.QueueControl, jobs.QueueChunks} {
		active, err := in.ListActiveTasks(q)
		if err != nil {
			c.t.Fatalf("list active tasks: %v", err)
		}
		for _, ti := range active {
			c.t.Errorf("task %s still active with no worker", ti.ID)
		}
	}
}

// queued reports whether the task of a row's current attempt waits in the
// chunks queue.
func (c *cluster) queued(r *store.ChunkState) bool {
	c.t.Helper()
	in := asynq.NewInspector(c.App.Redis)
	defer in.Close()
	id := fmt.Sprintf("chunk:%s:%s:%02d:%s:a%d", r.Ref.TenantID, r.Ref.Hour.DayString(), r.Ref.Hour.Hour, r.RunID, max(r.Attempts, 1))
	info, err := in.GetTaskInfo(jobs.QueueChunks, id)
	return err == nil && (info.State == asynq.TaskStatePending || info.State == asynq.TaskStateRetry)
}
