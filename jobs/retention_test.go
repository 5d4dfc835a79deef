package jobs_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hibiken/asynq"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/retention"
	"github.com/dailyreports/dailyreports/internal/store"
	"github.com/dailyreports/dailyreports/jobs"
)

// storeReport puts a small object at the report key of a tenant's hour and
// records the chunk as stored; it returns the key.
func storeReport(t *testing.T, e *apptest.Env, tenant uuid.UUID, day time.Time, hour int) string {
	t.Helper()
	h := document.NewHour(day, hour)
	key := document.ObjectKey(tenant, h)
	if err := e.App.Blob.Put(context.Background(), key, strings.NewReader("zip"), 3, "application/zip", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := e.App.Store.MarkStored(apptest.System(), store.ChunkRef{TenantID: tenant, Hour: h}, store.Stored{GeneratedAt: time.Now()}, nil); err != nil {
		t.Fatal(err)
	}
	return key
}

// objectKeys lists the keys under a tenant's prefix.
func objectKeys(t *testing.T, e *apptest.Env, tenant uuid.UUID) []string {
	t.Helper()
	var keys []string
	for info, err := range e.App.Blob.List(context.Background(), tenant.String()+"/") {
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, info.Key)
	}
	return keys
}

// The scheduler registers the retention task at RetentionSchedule, beside
// the nightly run and the reconcile (asynq publishes its entries with its
// first heartbeat, 10 s after the start).
func TestSchedulerRegistersRetention(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	s, err := jobs.NewScheduler(e.App.Redis, "30 0 * * *", 10*time.Minute, apptest.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	defer s.Shutdown()
	in := asynq.NewInspector(e.App.Redis)
	defer in.Close()
	deadline := time.Now().Add(25 * time.Second)
	for {
		entries, err := in.SchedulerEntries()
		if err != nil {
			t.Fatal(err)
		}
		specs := map[string]string{}
		for _, en := range entries {
			specs[en.Task.Type()] = en.Spec
		}
		if len(specs) == 4 {
			if specs[jobs.TypeRetention] != jobs.RetentionSchedule || specs[jobs.TypeNightly] != "30 0 * * *" ||
				specs[jobs.TypeWebhookSweep] != "@every 1m0s" {
				t.Fatalf("scheduler entries %v", specs)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("scheduler entries %v after 25s, want the nightly, reconcile, retention and webhook sweep tasks", specs)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// A retention task enqueued as the scheduler does is handled by the worker:
// it deletes the expired report and its row, keeps the recent one and
// writes the tenant's lifecycle rule.
func TestRetentionTaskOnWorker(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	tenant := e.Tenant("a", false, 1)
	today := document.NewHour(time.Now(), 0).Day
	storeReport(t, e, tenant, today.AddDate(0, 0, -40), 4)
	recent := storeReport(t, e, tenant, today.AddDate(0, 0, -10), 4)
	e.StartWorker()
	if _, err := asynqClient(t, e).Enqueue(jobs.NewRetentionTask()); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for !slices.Equal(objectKeys(t, e, tenant), []string{recent}) {
		if time.Now().After(deadline) {
			t.Fatalf("keys %v after 30s, want only %s", objectKeys(t, e, tenant), recent)
		}
		time.Sleep(100 * time.Millisecond)
	}
	deadline = time.Now().Add(10 * time.Second)
	for {
		rows, err := e.App.Store.DayChunks(apptest.System(), tenant, today.AddDate(0, 0, -40).Format(document.DayLayout))
		if err != nil {
			t.Fatal(err)
		}
		rules, err := e.App.Blob.ExpiryRules(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) == 0 && len(rules) == 1 && rules[0].Prefix == tenant.String()+"/" && rules[0].Days == retention.LifecycleDays(1) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("expired rows %d, rules %v", len(rows), rules)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Without a retention service the task cannot succeed and is not retried.
func TestRetentionTaskUnconfigured(t *testing.T) {
	err := (&jobs.Handlers{}).HandleRetention(context.Background(), jobs.NewRetentionTask())
	if !errors.Is(err, asynq.SkipRetry) {
		t.Fatalf("error %v, want SkipRetry", err)
	}
}
