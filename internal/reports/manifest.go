package reports

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/retention"
	"github.com/dailyreports/dailyreports/internal/store"
)

// Manifest is one tenant's day as one answer: its 24 hours, and presigned
// links to the stored ones. Nothing is built to produce it.
type Manifest struct {
	TenantID        uuid.UUID
	Day             time.Time
	RetentionMonths int
	// ExpiresAt is when the day leaves the tenant's retention window.
	ExpiresAt time.Time
	Hours     []ManifestHour
}

// ManifestHour is one hour of a Manifest; Link is set for STORED hours only.
type ManifestHour struct {
	*Hour
	Link *Link
}

// Manifest describes the 24 hours of a tenant's day — the tenant the
// viewer may read (requested names it for host administrators) — with a
// presigned link, valid ttlSeconds (nil: the default), to each STORED
// hour's zip. It builds nothing: hours not stored are described as they
// stand. The statuses of its errors are those of Fetch: a day outside the
// retention window is Gone, a day that has not begun Invalid.
func (s *Service) Manifest(ctx context.Context, requested string, day time.Time, ttlSeconds *int) (*Manifest, error) {
	ttl, err := s.linkTTL(ttlSeconds)
	if err != nil {
		return nil, err
	}
	t, err := s.tenant(ctx, requested)
	if err != nil {
		return nil, err
	}
	now, d := s.now(), document.NewHour(day, 0)
	if err := retention.Check(d.Day, t.RetentionMonths, now); err != nil {
		return nil, err
	}
	if d.From().After(now) {
		return nil, apperr.New(apperr.Invalid, "the day has not begun yet")
	}
	chunks, err := s.Store.DayChunks(ctx, t.ID, d.DayString())
	if err != nil {
		return nil, err
	}
	m := &Manifest{TenantID: t.ID, Day: d.Day, RetentionMonths: t.RetentionMonths,
		ExpiresAt: expiresAt(d.Day, t.RetentionMonths), Hours: make([]ManifestHour, 24)}
	for i, h := range DayOf(t.ID, d.Day, chunks, false, now).Hours {
		m.Hours[i].Hour = h
		if h.status != StatusStored {
			continue
		}
		url, until, err := s.Objects.Presign(ctx, h.ObjectKey(), ttl, h.hour.ZipName())
		if err != nil {
			return nil, err
		}
		m.Hours[i].Link = &Link{URL: url, ExpiresAt: until.UTC().Truncate(time.Second)}
	}
	return m, nil
}

// DayOf describes a tenant's day from the states of its chunks that have
// rows (any order), at now: always 24 hours, hour 0 first.
func DayOf(tenantID uuid.UUID, day time.Time, chunks []*store.ChunkState, expired bool, now time.Time) *Day {
	d := document.NewHour(day, 0)
	states := make(map[int]*store.ChunkState, len(chunks))
	for _, c := range chunks {
		states[c.Ref.Hour.Hour] = c
	}
	out := &Day{UtcDay: d.Day, Hours: make([]*Hour, 24)}
	for i := range out.Hours {
		out.Hours[i] = newHour(tenantID, document.NewHour(d.Day, i), states[i], expired, now)
	}
	return out
}

// expiresAt is the first midnight (UTC) at which day is outside a retention
// of months: the day that many calendar months later, give or take the
// lengths of months, found by the rule itself.
func expiresAt(day time.Time, months int) time.Time {
	t := day.AddDate(0, months, -4)
	for !retention.Expired(day, months, t) {
		t = t.AddDate(0, 0, 1)
	}
	return t
}
