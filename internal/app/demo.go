package app

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/ent"
	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/seed"
	"github.com/dailyreports/dailyreports/internal/store"
	"github.com/dailyreports/dailyreports/internal/viewer"
	"github.com/dailyreports/dailyreports/jobs"
)

// The demo data of a first embedded start: DemoDays full UTC days before
// today, DemoPerHour conversations in each hour.
const (
	DemoTenantName = "Demo"
	DemoDays       = 3
	DemoPerHour    = 20
)

// Demo is the tenant the examples of the start banner use.
type Demo struct {
	TenantID uuid.UUID
	Name     string
	// Created reports whether this start created and seeded it.
	Created bool
	// Conversations and Messages were seeded by this start; Built is the
	// summary of the reports it built.
	Conversations, Messages int
	Built                   jobs.Summary
	// Day and Hour name an hour with data, for the example requests; Day
	// is "" when the tenant has no conversation before today.
	Day  string
	Hour int
}

// EnsureDemo makes a fresh database useful: when it has no tenant, it creates
// the demo tenant (reports enabled, retention 3 months), seeds the DemoDays
// full UTC days before now with synthetic conversations and builds the
// reports of the day before now. Otherwise it seeds nothing and returns the
// demo tenant, or the oldest tenant with reports enabled; nil when there is
// none.
func (a *App) EnsureDemo(ctx context.Context, now time.Time) (*Demo, error) {
	ctx = viewer.SystemContext(ctx, "demo")
	all, err := a.Store.Tenants(ctx)
	if err != nil {
		return nil, fmt.Errorf("demo: list tenants: %w", err)
	}
	if len(all) == 0 {
		return a.seedDemo(ctx, now)
	}
	var pick *ent.Tenant
	for _, x := range all {
		if x.ReportEnabled && (pick == nil || x.Name == DemoTenantName && pick.Name != DemoTenantName) {
			pick = x
		}
	}
	if pick == nil {
		return nil, nil
	}
	d := &Demo{TenantID: pick.ID, Name: pick.Name}
	return d, a.exampleHour(ctx, d, now)
}

// seedDemo creates and fills the demo tenant.
func (a *App) seedDemo(ctx context.Context, now time.Time) (*Demo, error) {
	t, err := a.Store.CreateTenant(ctx, DemoTenantName, store.TenantSettings{Enabled: true, RetentionMonths: 3})
	if err != nil {
		return nil, err
	}
	d := &Demo{TenantID: t.ID, Name: t.Name, Created: true}
	today := now.UTC().Truncate(24 * time.Hour)
	for i := DemoDays; i >= 1; i-- {
		c, m, err := seed.Seed(ctx, a.Store, []uuid.UUID{t.ID}, seed.Options{
			Day: today.AddDate(0, 0, -i), ConversationsPerHour: DemoPerHour, Seed: seed.DefaultSeed,
		})
		if err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
		d.Conversations, d.Messages = d.Conversations+c, d.Messages+m
	}
	yesterday := today.AddDate(0, 0, -1).Format(document.DayLayout)
	runner := a.Runner()
	d.Built, err = runner.Run(ctx, jobs.RunPayload{RunID: "demo-" + yesterday, Day: yesterday, Tenants: []uuid.UUID{t.ID}},
		&jobs.LocalExecutor{Runner: runner, Parallel: jobs.DefaultParallel()})
	if err != nil {
		return nil, fmt.Errorf("demo: build %s: %w", yesterday, err)
	}
	return d, a.exampleHour(ctx, d, now)
}

// exampleHour sets d's example hour: the hour of the tenant's latest
// conversation that started before today.
func (a *App) exampleHour(ctx context.Context, d *Demo, now time.Time) error {
	started, ok, err := a.Store.LatestStart(ctx, d.TenantID, now.UTC().Truncate(24*time.Hour))
	switch {
	case err != nil:
		return fmt.Errorf("demo: latest conversation: %w", err)
	case !ok:
		return nil
	}
	h := document.HourOf(started)
	d.Day, d.Hour = h.DayString(), h.Hour
	return nil
}
