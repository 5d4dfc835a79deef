package retention

import (
	"time"

	"github.com/dailyreports/dailyreports/internal/apperr"
)

// Start is the first day a retention of months keeps: today's date (UTC)
// months calendar months ago. Days before it have expired.
func Start(now time.Time, months int) time.Time {
	n := now.UTC()
	today := time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
	return today.AddDate(0, -months, 0)
}

// Expired reports whether day lies before the window of a retention of
// months at now.
func Expired(day time.Time, months int, now time.Time) bool {
	return day.Before(Start(now, months))
}

// Check returns a Gone error when day lies outside the window of a
// retention of months at now.
func Check(day time.Time, months int, now time.Time) error {
	if Expired(day, months, now) {
		return apperr.New(apperr.Gone, "the day is outside the tenant's retention window")
	}
	return nil
}
