package reports

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/ent"

	"github.com/dailyreports/dailyreports/internal/access"
	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/auth"
	"github.com/dailyreports/dailyreports/internal/chunk"
	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/store"
	"github.com/dailyreports/dailyreports/jobs"
)

// Objects is what the service needs of the object store.
type Objects interface {
	Presign(ctx context.Context, key string, ttl time.Duration, filename string) (string, time.Time, error)
}

// Queue enqueues generation runs; *jobs.QueueExecutor implements it.
type Queue interface {
	EnqueueRun(ctx context.Context, p jobs.RunPayload) error
}

// Service answers report queries under the viewer in the context.
type Service struct {
	Store   *store.Store
	Access  *access.Checker
	Reports *chunk.Server
	Objects Objects
	Queue   Queue
	// PresignTTL is the default lifetime of links (0 means 15 minutes).
	PresignTTL time.Duration
	// MaxInline caps the document size served inline (0 means DefaultMaxInline).
	MaxInline int64
	// Now is the clock (nil means time.Now).
	Now func() time.Time
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

// tenant returns the tenant whose reports the viewer may read: the one it
// names (host administrators) or its own.
func (s *Service) tenant(ctx context.Context, requested *uuid.UUID) (access.Tenant, error) {
	v, err := auth.RequireContext(ctx)
	if err != nil {
		return access.Tenant{}, err
	}
	name := ""
	if requested != nil {
		name = requested.String()
	}
	return s.Access.ReportTenant(ctx, v, name)
}

// Hourly describes one hour's report. A day outside the tenant's retention
// window is Gone.
func (s *Service) Hourly(ctx context.Context, tenantID *uuid.UUID, day time.Time, hour int) (*Hour, error) {
	if hour < 0 || hour > 23 {
		return nil, apperr.New(apperr.Invalid, "utcHour must be an hour from 0 to 23")
	}
	t, err := s.tenant(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	if err := access.CheckDay(t, day, now); err != nil {
		return nil, err
	}
	h := document.NewHour(day, hour)
	row, err := s.Store.Chunk(ctx, store.ChunkRef{TenantID: t.ID, Hour: h})
	if err != nil {
		return nil, err
	}
	return newHour(t.ID, h, row, false, now), nil
}

// Daily describes the 24 hours of one day. A day outside the retention
// window is 24 EXPIRED hours.
func (s *Service) Daily(ctx context.Context, tenantID *uuid.UUID, day time.Time) (*Day, error) {
	t, err := s.tenant(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	d := document.NewHour(day, 0)
	expired := access.CheckDay(t, d.Day, now) != nil
	rows := make(map[int]*ent.ReportChunk, 24)
	if !expired {
		cs, err := s.Store.DayChunks(ctx, t.ID, d.DayString())
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			rows[c.Hour] = c
		}
	}
	out := &Day{UtcDay: d.Day, Hours: make([]*Hour, 24)}
	gate := make(chan struct{}, 1)
	for i := range out.Hours {
		out.Hours[i] = newHour(t.ID, document.NewHour(d.Day, i), rows[i], expired, now)
		out.Hours[i].gate = gate
	}
	return out, nil
}
