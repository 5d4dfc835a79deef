package retention

import (
	"testing"
	"time"
)

// A report written on its day D or later, expiring LifecycleDays after it
// was written, outlives the last day on which D is inside the retention
// window (Start), for every D of four years, leap days and
// month ends included. For one month the bound is tight.
func TestLifecycleDaysOutliveTheWindow(t *testing.T) {
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for months := 1; months <= 3; months++ {
		worst := 0
		for d := start; d.Year() < 2029; d = d.AddDate(0, 0, 1) {
			today := d
			for !d.Before(Start(today.Add(12*time.Hour), months)) {
				today = today.AddDate(0, 0, 1)
			}
			// today is the first day D is gone; it must be kept through
			// the end of the day before, so the object needs that many days.
			need := int(today.Sub(d) / (24 * time.Hour))
			worst = max(worst, need)
			if need > LifecycleDays(months) {
				t.Fatalf("%d months: day %s is kept until %s, %d days, beyond the lifecycle's %d",
					months, d.Format("2006-01-02"), today.AddDate(0, 0, -1).Format("2006-01-02"), need, LifecycleDays(months))
			}
		}
		if months == 1 && worst != LifecycleDays(1) {
			t.Errorf("1 month: the longest need is %d days, the lifecycle gives %d", worst, LifecycleDays(1))
		}
		t.Logf("%d months: longest need %d days, lifecycle %d", months, worst, LifecycleDays(months))
	}
}
