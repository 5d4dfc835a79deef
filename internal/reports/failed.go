package reports

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/auth"
	"github.com/dailyreports/dailyreports/internal/retention"
)

// Page sizes of the failed hours.
const (
	DefaultFailedPage = 50
	MaxFailedPage     = 100
)

// Failed returns the FAILED hours of every tenant, newest day first, then by
// tenant and hour: only those of day when it is given, at most first.
// Hours of days outside their tenant's retention window are not listed.
// Only host administrators may.
func (s *Service) Failed(ctx context.Context, day *time.Time, first *int) ([]*Hour, error) {
	if _, err := auth.RequireHost(ctx); err != nil {
		return nil, err
	}
	n := DefaultFailedPage
	if first != nil {
		if *first < 0 || *first > MaxFailedPage {
			return nil, apperr.New(apperr.Invalid, "first must be between 0 and %d", MaxFailedPage)
		}
		n = *first
	}
	var d string
	if day != nil {
		d = day.UTC().Format(time.DateOnly)
	}
	states, err := s.Store.FailedChunks(ctx, d, n)
	if err != nil {
		return nil, err
	}
	rets, err := s.Store.Retentions(ctx)
	if err != nil {
		return nil, err
	}
	months := make(map[uuid.UUID]int, len(rets))
	for _, r := range rets {
		months[r.TenantID] = r.Months
	}
	now := s.now()
	out := make([]*Hour, 0, len(states))
	for _, c := range states {
		m, ok := months[c.Ref.TenantID]
		if !ok || retention.Expired(c.Ref.Hour.Day, m, now) {
			continue
		}
		out = append(out, newHour(c.Ref.TenantID, c.Ref.Hour, c, false, now))
	}
	return out, nil
}
