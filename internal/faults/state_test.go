package faults

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dailyreports/dailyreports/ent"
	"github.com/dailyreports/dailyreports/ent/reportchunk"
	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/document"
)

// chunks returns the chunk rows of day.
func (c *cluster) chunks(day string) []*ent.ReportChunk {
	c.t.Helper()
	rows, err := c.App.Store.Client.ReportChunk.Query().Where(reportchunk.Day(day)).
		Order(ent.Asc(reportchunk.FieldTenantID), ent.Asc(reportchunk.FieldHour)).All(apptest.System())
	if err != nil {
		c.t.Fatalf("read chunks: %v", err)
	}
	return rows
}

// waitChunks polls the chunk rows of day until cond holds, failing the
// test with the rows after timeout.
func (c *cluster) waitChunks(day, what string, timeout time.Duration, cond func([]*ent.ReportChunk) bool) []*ent.ReportChunk {
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
func all(n int, pred func(*ent.ReportChunk) bool) func([]*ent.ReportChunk) bool {
	return func(rows []*ent.ReportChunk) bool { return len(rows) == n && count(rows, pred) == n }
}

// count returns how many rows satisfy pred.
func count(rows []*ent.ReportChunk, pred func(*ent.ReportChunk) bool) int {
	n := 0
	for _, r := range rows {
		if pred(r) {
			n++
		}
	}
	return n
}

// stored reports whether a row records a stored report.
func stored(r *ent.ReportChunk) bool { return r.Status == reportchunk.StatusStored }

// describe formats chunk rows for failure messages: how many are in each
// state, then one line for each of the first 40 that are not stored.
func describe(rows []*ent.ReportChunk) string {
	var b strings.Builder
	byStatus := make(map[reportchunk.Status]int)
	for _, r := range rows {
		byStatus[r.Status]++
	}
	fmt.Fprintf(&b, "%d rows %v\n", len(rows), byStatus)
	shown := 0
	for _, r := range rows {
		if stored(r) || shown == 40 {
			continue
		}
		shown++
		fmt.Fprintf(&b, "  %s %s %02d %-8s attempts %d run %s err %q\n", r.TenantID, r.Day, r.Hour, r.Status, r.Attempts, r.RunID, r.LastError)
	}
	return b.String()
}

// key is the object key of a chunk row.
func key(r *ent.ReportChunk) string { return document.ObjectKey(r.TenantID, hourOf(r)) }

// hourOf is the hour a chunk row covers.
func hourOf(r *ent.ReportChunk) document.Hour {
	d, _ := time.Parse(document.DayLayout, r.Day)
	return document.NewHour(d, r.Hour)
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
