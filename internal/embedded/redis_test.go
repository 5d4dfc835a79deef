package embedded

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/dailyreports/dailyreports/jobs"
)

// startRedis starts a server and returns asynq's connection options for it,
// parsed from its URL as the service parses REDIS_URL.
func startRedis(t *testing.T) (*Redis, asynq.RedisConnOpt) {
	t.Helper()
	r, err := StartRedis(quietLog())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	opt, err := asynq.ParseRedisURI(r.URL())
	if err != nil {
		t.Fatal(err)
	}
	return r, opt
}

func TestRedisNeedsPassword(t *testing.T) {
	r, _ := startRedis(t)
	c := redis.NewClient(&redis.Options{Addr: r.Addr()})
	defer c.Close()
	if err := c.Ping(context.Background()).Err(); err == nil {
		t.Fatal("ping without the password answered")
	}
}

// TestRedisExpiresKeysInRealTime checks the clock: keys with a TTL expire as
// on a real Redis, which asynq's unique locks and heartbeats rely on.
func TestRedisExpiresKeysInRealTime(t *testing.T) {
	_, opt := startRedis(t)
	c := opt.MakeRedisClient().(redis.UniversalClient)
	defer c.Close()
	ctx := context.Background()
	if err := c.Set(ctx, "lock", "x", 500*time.Millisecond).Err(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(3 * time.Second)
	for c.Exists(ctx, "lock").Val() == 1 {
		if time.Now().After(deadline) {
			t.Fatal("key with a 500ms TTL still there after 3s")
		}
		time.Sleep(50 * time.Millisecond)
	}

	// asynq's unique lock: a duplicate is refused until the lock expires.
	client := asynq.NewClient(opt)
	defer client.Close()
	task := asynq.NewTask("unique", nil, asynq.Queue("idle"), asynq.Unique(time.Second))
	if _, err := client.Enqueue(task); err != nil {
		t.Fatal(err)
	}
	if _, err := client.Enqueue(task); !errors.Is(err, asynq.ErrDuplicateTask) {
		t.Fatalf("duplicate within the lock: %v", err)
	}
	time.Sleep(1500 * time.Millisecond)
	if _, err := client.Enqueue(task); err != nil {
		t.Fatalf("enqueue after the lock expired: %v", err)
	}
}

// TestRedisRunsOurTasks exercises every asynq feature the jobs use on the
// embedded server: deterministic task ids and their conflicts, retention of
// completed tasks, the inspector's GetTaskInfo, a worker server processing
// both queues, and the scheduler.
func TestRedisRunsOurTasks(t *testing.T) {
	_, opt := startRedis(t)
	client := asynq.NewClient(opt)
	inspector := asynq.NewInspector(opt)
	t.Cleanup(func() { _ = client.Close(); _ = inspector.Close() })

	chunk := jobs.ChunkPayload{RunID: "r1", TenantID: uuid.New(), Day: "2026-03-04", Hour: 7, Attempt: 1}
	task, err := jobs.NewChunkTask(chunk)
	if err != nil {
		t.Fatal(err)
	}
	info, err := client.Enqueue(task)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Enqueue(task); !errors.Is(err, asynq.ErrTaskIDConflict) {
		t.Fatalf("second enqueue of one id: %v, want ErrTaskIDConflict", err)
	}
	run, err := jobs.NewRunTask(jobs.RunPayload{RunID: "r1", Day: "2026-03-04"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Enqueue(run); err != nil {
		t.Fatal(err)
	}
	if got, err := inspector.GetTaskInfo(jobs.QueueChunks, info.ID); err != nil || got.State != asynq.TaskStatePending {
		t.Fatalf("GetTaskInfo before processing: %+v %v", got, err)
	}

	var processed atomic.Int32
	mux := asynq.NewServeMux()
	count := func(context.Context, *asynq.Task) error { processed.Add(1); return nil }
	mux.HandleFunc(jobs.TypeChunk, count)
	mux.HandleFunc(jobs.TypeRun, count)
	mux.HandleFunc("tick", count)
	srv := jobs.NewServer(opt, jobs.ServerConfig{Concurrency: 2, ShutdownTimeout: time.Second}, quietLog())
	if err := srv.Start(mux); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Shutdown)

	waitFor(t, "both tasks processed", func() bool { return processed.Load() >= 2 })
	waitFor(t, "chunk task retained as completed", func() bool {
		got, err := inspector.GetTaskInfo(jobs.QueueChunks, info.ID)
		return err == nil && got.State == asynq.TaskStateCompleted
	})
	// A retained id still blocks its reuse.
	if _, err := client.Enqueue(task); !errors.Is(err, asynq.ErrTaskIDConflict) {
		t.Fatalf("enqueue of a retained id: %v, want ErrTaskIDConflict", err)
	}
	if _, err := inspector.GetTaskInfo(jobs.QueueChunks, "no-such-task"); !errors.Is(err, asynq.ErrTaskNotFound) {
		t.Fatalf("GetTaskInfo of a lost task: %v, want ErrTaskNotFound", err)
	}

	sched := asynq.NewScheduler(opt, &asynq.SchedulerOpts{Location: time.UTC, LogLevel: asynq.ErrorLevel})
	if _, err := sched.Register("@every 1s", asynq.NewTask("tick", nil, asynq.Queue(jobs.QueueControl))); err != nil {
		t.Fatal(err)
	}
	if err := sched.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sched.Shutdown)
	waitFor(t, "two scheduler ticks processed", func() bool { return processed.Load() >= 4 })
}

// TestRedisSchedulerOfTheService starts the scheduler role as the service
// does and sees it enqueue the reconcile.
func TestRedisSchedulerOfTheService(t *testing.T) {
	_, opt := startRedis(t)
	s, err := jobs.NewScheduler(opt, "30 0 * * *", time.Second, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Shutdown)
	inspector := asynq.NewInspector(opt)
	defer inspector.Close()
	waitFor(t, "reconcile enqueued", func() bool {
		tasks, err := inspector.ListPendingTasks(jobs.QueueControl)
		return err == nil && len(tasks) > 0 && tasks[0].Type == jobs.TypeReconcile
	})
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting: %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
