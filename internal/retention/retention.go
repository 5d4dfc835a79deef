// Package retention removes what falls outside each tenant's retention
// window: nightly, the stored reports and chunk records of days older than
// the tenant's retentionMonths calendar months (README, Retention); and, so the
// object store expires reports even while the service is down, it keeps the
// bucket's lifecycle rules in step with the tenants' settings.
//
// Conversations and messages are kept: retention applies to reports, and a
// tenant that lengthens its retention can read the days that come back into
// the window, built live from the database.
package retention

import (
	"context"
	"iter"
	"log/slog"

	"github.com/dailyreports/dailyreports/internal/blob"
	"github.com/dailyreports/dailyreports/internal/store"
)

// Bucket is what retention needs of the object store (*blob.Store).
type Bucket interface {
	List(ctx context.Context, prefix string) iter.Seq2[blob.Info, error]
	RemoveObjects(ctx context.Context, keys []string) error
	ExpiryRules(ctx context.Context) ([]blob.ExpiryRule, error)
	ReplaceExpiryRules(ctx context.Context, owner string, rules []blob.ExpiryRule) (bool, error)
}

// Service sweeps expired reports and syncs the bucket's lifecycle rules.
// It holds no state of its own: any number may run, in any processes.
type Service struct {
	Store  *store.Store
	Bucket Bucket
	// Log receives counts and warnings (nil means slog.Default()).
	Log *slog.Logger
}

func (s *Service) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}
