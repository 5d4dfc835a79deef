package retention_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/blob"
	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/store"
)

// parseDay parses YYYY-MM-DD.
func parseDay(t *testing.T, d string) time.Time {
	t.Helper()
	day, err := time.Parse(document.DayLayout, d)
	if err != nil {
		t.Fatal(err)
	}
	return day
}

// putReport stores a small object under the report key of a tenant's hour.
func putReport(t *testing.T, e *apptest.Env, tenant uuid.UUID, day string, hour int) string {
	t.Helper()
	key := document.ObjectKey(tenant, document.NewHour(parseDay(t, day), hour))
	putObject(t, e, key)
	return key
}

// putObject stores a small object under key.
func putObject(t *testing.T, e *apptest.Env, key string) {
	t.Helper()
	if err := e.App.Blob.Put(context.Background(), key, strings.NewReader("zip"), 3, "application/zip", nil); err != nil {
		t.Fatalf("put %s: %v", key, err)
	}
}

// markStored records a stored chunk of a tenant's hour.
func markStored(t *testing.T, e *apptest.Env, tenant uuid.UUID, day string, hour int) {
	t.Helper()
	ref := store.ChunkRef{TenantID: tenant, Hour: document.NewHour(parseDay(t, day), hour)}
	if _, err := e.App.Store.MarkStored(apptest.System(), ref, store.Stored{GeneratedAt: time.Now()}, nil); err != nil {
		t.Fatal(err)
	}
}

// keys lists the object keys under a tenant's prefix.
func keys(t *testing.T, e *apptest.Env, tenant uuid.UUID) []string {
	t.Helper()
	var out []string
	for info, err := range e.App.Blob.List(context.Background(), tenant.String()+"/") {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, info.Key)
	}
	return out
}

// chunkDays returns a tenant's chunk rows as "day/hour", sorted.
func chunkDays(t *testing.T, e *apptest.Env, tenant uuid.UUID) []string {
	t.Helper()
	out := e.SQL(`SELECT day || '-' || lpad(hour::text, 2, '0') FROM report_chunks WHERE tenant_id = $1`, tenant)
	slices.Sort(out)
	return out
}

// rules reads the bucket's lifecycle rules back from MinIO, sorted by id.
func rules(t *testing.T, e *apptest.Env) []blob.ExpiryRule {
	t.Helper()
	rs, err := e.App.Blob.ExpiryRules(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(rs, func(a, b blob.ExpiryRule) int { return strings.Compare(a.ID, b.ID) })
	return rs
}
