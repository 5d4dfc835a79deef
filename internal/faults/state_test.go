package faults

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/store"
)

// chunks returns the chunk rows of day.
func (c *cluster) chunks(day string) []*store.ChunkState {
	c.t.Helper()
	rows, err := c.App.Store.ChunksOfDay(apptest.System(), day)
	if err != nil {
		c.t.Fatalf("read chunks: %v", err)
	}
	return rows
}

// waitChunks polls the chunk rows of day until cond holds, failing the
// test with the rows after timeout.
func (c *cluster) waitChunks(day, what string, timeout time.Duration, cond func([]*store.ChunkState) bool) []*store.ChunkState {
	c.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		rows := c.chunks(day)
		if cond(rows) {
			return rows
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("after %s, not %s:\n%s", timeout, what, describe(rows))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// all returns a condition: n rows, each satisfying pred.
func all(n int, pred func(*store.ChunkState) bool) func([]*store.ChunkState) bool {
	return func(rows []*store.ChunkState) bool { return len(rows) == n && count(rows, pred) == n }
}

// count returns how many rows satisfy pred.
func count(rows []*store.ChunkState, pred func(*store.ChunkState) bool) int {
	n := 0
	for _, r := range rows {
		if pred(r) {
			n++
		}
	}
	return n
}

// stored reports whether a row records a stored report.
func stored(r *store.ChunkState) bool { return r.Stored() }

// describe formats chunk rows for failure messages: how many are in each
// state, then one line for each of the first 40 that are not stored.
func describe(rows []*store.ChunkState) string {
	var b strings.Builder
	byStatus := make(map[string]int)
	for _, r := range rows {
		byStatus[r.Phase()]++
	}
	fmt.Fprintf(&b, "%d rows %v\n", len(rows), byStatus)
	shown := 0
	for _, r := range rows {
		if stored(r) || shown == 40 {
			continue
		}
		shown++
		fmt.Fprintf(&b, "  %s %s %02d %-8s attempts %d run %s err %q\n", r.Ref.TenantID, r.Ref.Hour.DayString(), r.Ref.Hour.Hour, r.Phase(), r.Attempts, r.RunID, r.LastError)
	}
	return b.String()
}

// key is the object key of a chunk row.
func key(r *store.ChunkState) string { return document.ObjectKey(r.Ref.TenantID, hourOf(r)) }

// hourOf is the hour a chunk row covers.
func hourOf(r *store.ChunkState) document.Hour {
	d, _ := time.Parse(document.DayLayout, r.Ref.Hour.DayString())
	return document.NewHour(d, r.Ref.Hour.Hour)
}

// daysAgo returns the UTC day n days before today.
func daysAgo(n int) time.Time {
	return time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -n)
}

// yesterday returns the previous UTC day, the one the nightly run and the
// reconcile build. Close to midnight it first waits for the next day, so
// that the day stays the same for the rest of the test.
func yesterday(t *testing.T) time.Time {
	t.Helper()
	now := time.Now().UTC()
	if left := now.Truncate(24 * time.Hour).Add(24 * time.Hour).Sub(now); left < 3*time.Minute {
		t.Logf("waiting %s for midnight UTC", left.Round(time.Second))
		time.Sleep(left + time.Second)
	}
	return daysAgo(1)
}
