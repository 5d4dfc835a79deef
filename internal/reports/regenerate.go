package reports

import (
	"context"
	"crypto/rand"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/access"
	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/auth"
	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/jobs"
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
	if hour != nil && (*hour < 0 || *hour > 23) {
		return 0, apperr.New(apperr.Invalid, "utcHour must be an hour from 0 to 23")
	}
	t, err := s.Access.ReportTenant(ctx, v, tenantID.String())
	if err != nil {
		return 0, err
	}
	now := s.now()
	d := document.NewHour(day, 0)
	if err := access.CheckDay(t, d.Day, now); err != nil {
		return 0, err
	}
	hours := endedHours(d, hour, now)
	if len(hours) == 0 {
		return 0, apperr.New(apperr.Invalid, "the hour has not ended yet")
	}
	p := jobs.RunPayload{
		RunID: "manual-" + d.DayString() + "-" + strings.ToLower(rand.Text()[:12]),
		Day:   d.DayString(), Tenants: []uuid.UUID{t.ID}, Hours: hours, Force: true,
	}
	if err := s.Queue.EnqueueRun(ctx, p); err != nil {
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
