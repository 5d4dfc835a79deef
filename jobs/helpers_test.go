package jobs_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hibiken/asynq"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/store"
	"github.com/dailyreports/dailyreports/jobs"
)

// day is the UTC day the tests generate.
var day = time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC)

func dayString() string { return day.Format(document.DayLayout) }

// enqueueRun puts a run on the queue as the nightly job does; a run
// already queued is not queued twice.
func enqueueRun(t *testing.T, e *apptest.Env, p jobs.RunPayload) {
	t.Helper()
	c := asynq.NewClient(e.App.Redis)
	defer c.Close()
	task, err := jobs.NewRunTask(p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Enqueue(task); err != nil && !errors.Is(err, asynq.ErrTaskIDConflict) {
		t.Fatalf("enqueue run: %v", err)
	}
}

// chunks returns the chunk rows of day.
func chunks(t *testing.T, e *apptest.Env) []*store.ChunkState {
	t.Helper()
	rows, err := e.App.Store.ChunksOfDay(apptest.System(), dayString())
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// waitSettled waits until want chunks of day are stored or failed after
// their last attempt, and returns them.
func waitSettled(t *testing.T, e *apptest.Env, want int, timeout time.Duration) []*store.ChunkState {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		rows := chunks(t, e)
		settled := 0
		for _, c := range rows {
			if c.Stored() || (c.Failed() && c.Attempts >= jobs.MaxAttempts) {
				settled++
			}
		}
		if settled >= want {
			return rows
		}
		if time.Now().After(deadline) {
			for _, c := range rows {
				t.Logf("chunk %s %02d: %s attempts %d run %s err %q", c.Ref.TenantID, c.Ref.Hour.Hour, c.Phase(), c.Attempts, c.RunID, c.LastError)
			}
			t.Fatalf("%d of %d chunks settled after %s", settled, want, timeout)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// storedDoc reads a stored report from MinIO and decodes its document.
func storedDoc(t *testing.T, e *apptest.Env, tenant uuid.UUID, hour int) apptest.Doc {
	t.Helper()
	h := document.NewHour(day, hour)
	obj, err := e.App.Blob.Open(context.Background(), document.ObjectKey(tenant, h))
	if err != nil {
		t.Fatalf("open stored report %s: %v", h, err)
	}
	defer obj.Close()
	b, err := io.ReadAll(obj)
	if err != nil {
		t.Fatal(err)
	}
	return apptest.DecodeDoc(t, apptest.Unzip(t, b, h.EntryName()))
}

// key is the object key of a tenant's hour of day.
func key(tenant uuid.UUID, hour int) string {
	return document.ObjectKey(tenant, document.NewHour(day, hour))
}

// at returns an instant of day.
func at(hour, min, sec, ms int) time.Time {
	return day.Add(time.Duration(hour)*time.Hour + time.Duration(min)*time.Minute +
		time.Duration(sec)*time.Second + time.Duration(ms)*time.Millisecond)
}

// dump formats a value for failure messages.
func dump(v any) string {
	b, _ := json.MarshalIndent(v, "", " ")
	return fmt.Sprintf("%s", b)
}

// asynqClient returns a queue client of the test's Redis.
func asynqClient(t *testing.T, e *apptest.Env) *asynq.Client {
	c := asynq.NewClient(e.App.Redis)
	t.Cleanup(func() { c.Close() })
	return c
}
