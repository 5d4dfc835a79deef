package reports

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

// Tenant is a tenant's report setting, as report access needs it.
type Tenant struct {
	ID              uuid.UUID
	Enabled         bool
	RetentionMonths int
}

// DefaultSettingsTTL is how long Tenants reuses a tenant's setting by default.
const DefaultSettingsTTL = time.Second

// Tenants decides which tenant's reports a principal may read, and reads
// that tenant's setting. It reuses a tenant's setting read from the
// database for TTL, unless a tenant was written through this process's store
// meanwhile: a change made elsewhere takes effect within TTL, one made here at
// once. It also remembers the last setting it read of each tenant, used
// while the database is unreachable so stored reports can still be served.
type Tenants struct {
	Store *store.Store
	// TTL is how long a setting is reused (0 means DefaultSettingsTTL, negative
	// reads the database every time).
	TTL time.Duration
	// Now is the clock (nil means time.Now).
	Now func() time.Time

	mu    sync.Mutex
	last  map[uuid.UUID]Tenant
	fresh map[uuid.UUID]seen
}

// seen is a setting read at a time, under a count of tenant writes.
type seen struct {
	t      Tenant
	at     time.Time
	writes int64
}

// ReportTenant returns the tenant whose reports v may read, as named by
// requested (X-Tenant-Id or the tenantId argument; "" for a tenant's own).
func (c *Tenants) ReportTenant(ctx context.Context, v viewer.Viewer, requested string) (Tenant, error) {
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

func (c *Tenants) tenant(ctx context.Context, id uuid.UUID) (Tenant, error) {
	now, writes := c.now(), c.Store.TenantWrites()
	if t, ok := c.reuse(id, now, writes); ok {
		return t, nil
	}
	row, err := c.Store.Tenant(ctx, id)
	switch apperr.CodeOf(err) {
	case "":
		t := Tenant{ID: row.ID, Enabled: row.ReportEnabled, RetentionMonths: row.RetentionMonths}
		c.mu.Lock()
		if c.last == nil {
			c.last = make(map[uuid.UUID]Tenant)
			c.fresh = make(map[uuid.UUID]seen)
		}
		c.last[id] = t
		c.fresh[id] = seen{t: t, at: now, writes: writes}
		c.mu.Unlock()
		return t, nil
	case apperr.NotFound:
		return Tenant{}, apperr.TenantNotFound()
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

// reuse returns the setting of id read less than TTL before now, under the
// same count of tenant writes.
func (c *Tenants) reuse(id uuid.UUID, now time.Time, writes int64) (Tenant, bool) {
	ttl := c.TTL
	if ttl == 0 {
		ttl = DefaultSettingsTTL
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.fresh[id]
	if !ok || ttl < 0 || s.writes != writes || now.Sub(s.at) >= ttl || now.Before(s.at) {
		return Tenant{}, false
	}
	return s.t, true
}

func (c *Tenants) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}
