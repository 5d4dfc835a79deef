package reports

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/auth"
	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/retention"
)

// Regenerate queues a forced rebuild of a tenant's day, or of one hour of
// it, and returns how many chunks it queued. Only host administrators may;
// the tenant's reports must be enabled, the day inside its retention window,
// and the hours ended. Without hour, every ended hour of the day is rebuilt.
func (s *Service) Regenerate(ctx context.Context, tenantID uuid.UUID, day time.Time, hour *int) (int, error) {
	v, err := auth.RequireHost(ctx)
	if err != nil {
		return 0, err
	}
	d := document.NewHour(day, 0)
	if hour != nil {
		if d, err = document.CheckedHour(day, *hour); err != nil {
			return 0, err
		}
	}
	t, err := s.Tenants.ReportTenant(ctx, v, tenantID.String())
	if err != nil {
		return 0, err
	}
	now := s.now()
	if err := retention.Check(d.Day, t.RetentionMonths, now); err != nil {
		return 0, err
	}
	hours := endedHours(d, hour, now)
	if len(hours) == 0 {
		return 0, ended(d, now)
	}
	if err := s.Queue.Regenerate(ctx, t.ID, d, hours); err != nil {
		return 0, apperr.Wrap(err, apperr.Unavailable, "the job queue is unavailable")
	}
	return len(hours), nil
}

// endedHours returns the hours of day (only hour, when given) that have
// ended by now.
func endedHours(day document.Hour, hour *int, now time.Time) []int {
	var out []int
	for h := range 24 {
		if (hour == nil || *hour == h) && !document.NewHour(day.Day, h).To().After(now) {
			out = append(out, h)
		}
	}
	return out
}
