// Package access decides whether a principal may read a tenant's reports for
// a day: the tenant it acts on, the tenant's feature setting and retention.
// REST and GraphQL share it, so both answer alike.
package access

import (
	"context"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/auth"
	"github.com/dailyreports/dailyreports/internal/store"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// Tenant is what access knows of a tenant's report setting.
type Tenant struct {
	ID              uuid.UUID
	Enabled         bool
	RetentionMonths int
}

// Checker checks report access. It remembers the last setting it read of
// each tenant, used only while the database is unreachable so stored
// reports can still be served.
type Checker struct {
	Store *store.Store

	mu   sync.Mutex
	last map[uuid.UUID]Tenant
}

// ReportTenant returns the tenant whose reports v may read, as named by
// requested (X-Tenant-Id or the tenantId argument; "" for a tenant's own).
func (c *Checker) ReportTenant(ctx context.Context, v viewer.Viewer, requested string) (Tenant, error) {
	id, err := auth.TenantFor(v, viewer.ScopeReportsRead, requested)
	if err != nil {
		return Tenant{}, err
	}
	t, err := c.tenant(ctx, id)
	if err != nil {
		return Tenant{}, err
	}
	if !t.Enabled {
		return Tenant{}, apperr.New(apperr.Forbidden, "daily conversation reports are not enabled for this tenant")
	}
	return t, nil
}

func (c *Checker) tenant(ctx context.Context, id uuid.UUID) (Tenant, error) {
	row, err := c.Store.Tenant(ctx, id)
	switch apperr.CodeOf(err) {
	case "":
		t := Tenant{ID: row.ID, Enabled: row.ReportEnabled, RetentionMonths: row.RetentionMonths}
		c.mu.Lock()
		if c.last == nil {
			c.last = make(map[uuid.UUID]Tenant)
		}
		c.last[id] = t
		c.mu.Unlock()
		return t, nil
	case apperr.NotFound:
		return Tenant{}, apperr.New(apperr.NotFound, "tenant not found")
	case apperr.Unavailable:
		c.mu.Lock()
		t, ok := c.last[id]
		c.mu.Unlock()
		if ok {
			return t, nil
		}
	}
	return Tenant{}, err
}

// CheckDay returns a Gone error when day lies outside the tenant's retention
// window: days before the same date retentionMonths calendar months before
// today (UTC).
func CheckDay(t Tenant, day, now time.Time) error {
	if day.Before(RetentionStart(now, t.RetentionMonths)) {
		return apperr.New(apperr.Gone, "the day is outside the tenant's retention window")
	}
	return nil
}

// RetentionStart is the first day kept for a retention of months: today's
// date months calendar months ago, UTC.
func RetentionStart(now time.Time, months int) time.Time {
	n := now.UTC()
	today := time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
	return today.AddDate(0, -months, 0)
}
