// Package jobs is report generation: the nightly plan, the run of a day in
// passes (a first pass over every tenant, then at most two retry passes over
// the chunks that failed), the chunk task, and the reconcile that catches up
// on missed, stale and failed hours. The database holds every chunk's state;
// Redis (asynq) only carries work, so a lost task is found again.
package jobs

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/hibiken/asynq"
)

// Task types.
const (
	// TypeNightly plans the previous UTC day; the scheduler fires it.
	TypeNightly = "report:nightly"
	// TypeReconcile rebuilds missing, stale and failed chunks; fired periodically.
	TypeReconcile = "report:reconcile"
	// TypeRun runs one day's generation in passes.
	TypeRun = "report:run"
	// TypeChunk builds and stores one chunk.
	TypeChunk = "report:chunk"
	// TypeRetention deletes expired reports and syncs the bucket's lifecycle
	// rules; the scheduler fires it daily at RetentionSchedule.
	TypeRetention = "report:retention"
)

// Queues: control tasks (plans, runs) and chunk builds.
const (
	QueueControl = "control"
	QueueChunks  = "chunks"
)

// MaxAttempts is how many times a run tries a chunk: a first pass and two
// retry passes.
const MaxAttempts = 3

// chunkTimeout bounds one chunk build; runLease is how long a queued or
// building chunk stays reserved for its run before another run may take it.
const (
	chunkTimeout = 10 * time.Minute
	runLease     = chunkTimeout + time.Minute
	runTimeout   = 12 * time.Hour
)

// RunPayload describes one run of one day.
type RunPayload struct {
	RunID string `json:"run_id"`
	Day   string `json:"day"`
	// Tenants to build; empty means every enabled tenant.
	Tenants []uuid.UUID `json:"tenants,omitempty"`
	// Hours to build; empty means all 24.
	Hours []int `json:"hours,omitempty"`
	// Force rebuilds chunks that are stored and fresh.
	Force bool `json:"force,omitempty"`
	// Trigger is what started the run (TriggerNightly, …); empty in
	// payloads of older releases, whose run ids say it.
	Trigger string `json:"trigger,omitempty"`
	// Trace carries the trace context of what enqueued the run (W3C
	// traceparent), so the run and its chunks continue its trace.
	Trace map[string]string `json:"trace,omitempty"`
}

// ChunkPayload is one chunk of one run, at one attempt.
type ChunkPayload struct {
	RunID    string    `json:"run_id"`
	TenantID uuid.UUID `json:"tenant_id"`
	Day      string    `json:"day"`
	Hour     int       `json:"hour"`
	Attempt  int       `json:"attempt"`
	// Takeover names the lapsed build claim (its token) a task taking over
	// a dead worker's build was enqueued for; "" for the attempt's task.
	Takeover string `json:"takeover,omitempty"`
	// Trace carries the run's trace context (W3C traceparent).
	Trace map[string]string `json:"trace,omitempty"`
}

// NewNightlyTask returns the scheduler's nightly task.
func NewNightlyTask() *asynq.Task {
	return asynq.NewTask(TypeNightly, nil, asynq.Queue(QueueControl), asynq.MaxRetry(3))
}

// NewReconcileTask returns the periodic reconcile task.
func NewReconcileTask() *asynq.Task {
	return asynq.NewTask(TypeReconcile, nil, asynq.Queue(QueueControl), asynq.MaxRetry(1), asynq.Timeout(time.Hour))
}

// NewRunTask returns the task of one run. Its id is the run's, so planners
// racing on one run enqueue it once.
func NewRunTask(p RunPayload) (*asynq.Task, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("jobs: run payload: %w", err)
	}
	return asynq.NewTask(TypeRun, b, asynq.Queue(QueueControl), asynq.TaskID("run:"+p.RunID),
		asynq.MaxRetry(10), asynq.Timeout(runTimeout), asynq.Retention(24*time.Hour)), nil
}

// NewChunkTask returns the task of one chunk attempt. The id names the run
// and the attempt: duplicates of one attempt are refused, while each retry
// pass gets ids of its own (an archived or retained id blocks its reuse).
// asynq's own retries only cover a worker lost mid-build (lease expiry);
// build failures are recorded and retried by the run's next pass.
func NewChunkTask(p ChunkPayload) (*asynq.Task, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("jobs: chunk payload: %w", err)
	}
	return asynq.NewTask(TypeChunk, b, asynq.Queue(QueueChunks), asynq.TaskID(chunkTaskID(p)),
		asynq.MaxRetry(2), asynq.Timeout(chunkTimeout), asynq.Retention(24*time.Hour)), nil
}

func chunkTaskID(p ChunkPayload) string {
	id := fmt.Sprintf("chunk:%s:%s:%02d:%s:a%d", p.TenantID, p.Day, p.Hour, p.RunID, p.Attempt)
	if p.Takeover != "" {
		id += ":takeover:" + p.Takeover
	}
	return id
}
