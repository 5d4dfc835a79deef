// Package reports is one tenant's hourly reports as both edges serve them:
// REST and GraphQL call this package to fetch an hour, describe an hour or a
// day, link to a zip or inline the document, and regenerate. It decides who
// may read which tenant's reports (the tenant's setting, its retention),
// builds and stores an hour (Builder, also the nightly run's), and serves it:
// stored when fresh, otherwise built live, one build per hour and data
// version however many requests wait, at most MaxLivePerTenant per tenant.
package reports

import (
	"context"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/auth"
	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/retention"
	"github.com/dailyreports/dailyreports/internal/store"
)

// Presigner signs links to objects; *blob.Store implements it.
type Presigner interface {
	Presign(ctx context.Context, key string, ttl time.Duration, filename string) (string, time.Time, error)
}

// Queue starts forced rebuilds on the workers; jobs implements it.
type Queue interface {
	// Regenerate queues a forced rebuild of hours of tenantID's day.
	Regenerate(ctx context.Context, tenantID uuid.UUID, day document.Hour, hours []int) error
}

// Service serves reports under the viewer in the context. One per process,
// so that live builds are shared by all its requests.
type Service struct {
	Store   *store.Store
	Tenants *Tenants
	Builder *Builder
	Objects Presigner
	Queue   Queue
	// PresignTTL is the default lifetime of links (0 means 15 minutes).
	PresignTTL time.Duration
	// MaxInline caps the document size served inline (0 means DefaultMaxInline).
	MaxInline int64
	// MaxLivePerTenant caps a tenant's live builds in flight (0 means 2).
	MaxLivePerTenant int
	// LiveTimeout bounds one live build (0 means 2 minutes).
	LiveTimeout time.Duration
	// LiveWait bounds how long a live request waits for another build of
	// the same hour and data version, in any process, before it serves a
	// build of its own without storing it (0 means DefaultLiveWait).
	LiveWait time.Duration
	// CacheBytes bounds the memory of the cache of small stored reports
	// (0 means 64 MiB, negative turns the cache off).
	CacheBytes int64
	// Now is the clock (nil means time.Now).
	Now func() time.Time
	// Purge deletes stored objects in every version (erasure).
	Purge Purger
	// Erasures counts conversations erased (nil: not counted).
	Erasures func(n int)

	flights   flightGroup
	cacheOnce sync.Once
	cache     *zipCache
}

// DefaultMaxInline is the largest document served inline by default; larger
// ones are fetched through their link.
const DefaultMaxInline = 32 << 20

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// Fetch returns one hour of a tenant's reports, stored or built live: the
// tenant the viewer may read (requested names it for host administrators,
// "" is the viewer's own), inside its retention window, an hour that has
// ended. The caller must Close the report.
func (s *Service) Fetch(ctx context.Context, requested string, day time.Time, hour int) (*Report, error) {
	t, h, err := s.resolve(ctx, requested, day, hour)
	if err != nil {
		return nil, err
	}
	if err := ended(h, s.now()); err != nil {
		return nil, err
	}
	return s.open(ctx, store.ChunkRef{TenantID: t.ID, Hour: h})
}

// Hourly describes one hour's report. A day outside the tenant's retention
// window is Gone.
func (s *Service) Hourly(ctx context.Context, tenantID *uuid.UUID, day time.Time, hour int) (*Hour, error) {
	t, h, err := s.resolve(ctx, idOf(tenantID), day, hour)
	if err != nil {
		return nil, err
	}
	state, err := s.Store.Chunk(ctx, store.ChunkRef{TenantID: t.ID, Hour: h})
	if err != nil {
		return nil, err
	}
	return newHour(t.ID, h, state, false, s.now()), nil
}

// Daily describes the 24 hours of one day. A day outside the retention
// window is 24 EXPIRED hours.
func (s *Service) Daily(ctx context.Context, tenantID *uuid.UUID, day time.Time) (*Day, error) {
	t, err := s.tenant(ctx, idOf(tenantID))
	if err != nil {
		return nil, err
	}
	now := s.now()
	d := document.NewHour(day, 0)
	expired := retention.Expired(d.Day, t.RetentionMonths, now)
	var chunks []*store.ChunkState
	if !expired {
		if chunks, err = s.Store.DayChunks(ctx, t.ID, d.DayString()); err != nil {
			return nil, err
		}
	}
	out := DayOf(t.ID, d.Day, chunks, expired, now)
	gate := make(chan struct{}, 1)
	for _, h := range out.Hours {
		h.gate = gate
	}
	return out, nil
}

// resolve checks a request for one hour of a tenant's reports: the hour, the
// tenant the viewer may read, and its retention window.
func (s *Service) resolve(ctx context.Context, requested string, day time.Time, hour int) (Tenant, document.Hour, error) {
	h, err := document.CheckedHour(day, hour)
	if err != nil {
		return Tenant{}, h, err
	}
	t, err := s.tenant(ctx, requested)
	if err != nil {
		return Tenant{}, h, err
	}
	return t, h, retention.Check(h.Day, t.RetentionMonths, s.now())
}

// tenant returns the tenant whose reports the viewer may read: the one it
// names (host administrators) or its own.
func (s *Service) tenant(ctx context.Context, requested string) (Tenant, error) {
	v, err := auth.RequireContext(ctx)
	if err != nil {
		return Tenant{}, err
	}
	return s.Tenants.ReportTenant(ctx, v, requested)
}

// ended returns an Invalid error unless h has ended by now: only ended hours
// have reports.
func ended(h document.Hour, now time.Time) error {
	if h.To().After(now) {
		return apperr.New(apperr.Invalid, "the hour has not ended yet")
	}
	return nil
}

// idOf names a tenant id for Tenants.ReportTenant: "" for none.
func idOf(id *uuid.UUID) string {
	if id == nil {
		return ""
	}
	return id.String()
}
