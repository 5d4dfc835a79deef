package jobs

import (
	"context"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/retention"
	"github.com/dailyreports/dailyreports/internal/store"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// maxRetentionMonths is the longest retention a tenant can have.
const maxRetentionMonths = 3

// Reconciler plans catch-up runs: every chunk of the last RecentDays days
// that is missing, stale or failed (a night the scheduler missed, a run lost
// with Redis), and any older chunk inside the retention window that late
// data made stale or that failed.
type Reconciler struct {
	Store *store.Store
	// RecentDays is how many days before today are checked in full (0 means 2).
	RecentDays int
	// Slot is the reconcile period; runs planned in one slot share ids, so
	// several schedulers firing at once plan each run once (0 means 10m).
	Slot time.Duration
}

// Plan returns the runs to enqueue at now.
func (r *Reconciler) Plan(ctx context.Context, now time.Time) ([]RunPayload, error) {
	ctx = viewer.SystemContext(ctx, "job:reconcile")
	recent, slot := r.RecentDays, r.Slot
	if recent <= 0 {
		recent = 2
	}
	if slot <= 0 {
		slot = 10 * time.Minute
	}
	now = now.UTC()
	suffix := "-" + now.Truncate(slot).Format("20060102T1504")
	today := document.NewHour(now, 0).Day
	var runs []RunPayload
	for d := recent; d >= 1; d-- {
		day := today.AddDate(0, 0, -d).Format(document.DayLayout)
		runs = append(runs, RunPayload{RunID: "reconcile-" + day + suffix, Day: day, Trigger: TriggerReconcile})
	}
	from := today.AddDate(0, -maxRetentionMonths, 0).Format(document.DayLayout)
	to := today.AddDate(0, 0, -recent).Format(document.DayLayout)
	older, err := r.Store.Unfresh(ctx, from, to)
	if err != nil {
		return nil, err
	}
	keep, err := r.retentionStarts(ctx, now)
	if err != nil {
		return nil, err
	}
	days := make([]string, 0, len(older))
	for day := range older {
		days = append(days, day)
	}
	slices.Sort(days)
	for _, day := range days {
		// A day already outside a tenant's retention is not rebuilt: the
		// retention sweep would only delete it again.
		var tenants []uuid.UUID
		for _, t := range older[day] {
			if start, ok := keep[t]; ok && day >= start {
				tenants = append(tenants, t)
			}
		}
		if len(tenants) > 0 {
			runs = append(runs, RunPayload{RunID: "reconcile-" + day + suffix, Day: day, Tenants: tenants, Trigger: TriggerReconcile})
		}
	}
	return runs, nil
}

// retentionStarts returns each tenant's first retained day, YYYY-MM-DD.
func (r *Reconciler) retentionStarts(ctx context.Context, now time.Time) (map[uuid.UUID]string, error) {
	rets, err := r.Store.Retentions(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[uuid.UUID]string, len(rets))
	for _, t := range rets {
		out[t.TenantID] = retention.Start(now, t.Months).Format(document.DayLayout)
	}
	return out, nil
}
