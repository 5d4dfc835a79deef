package retention

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/dailyreports/dailyreports/internal/blob"
	"github.com/dailyreports/dailyreports/internal/store"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// RuleOwner starts the ID of every lifecycle rule the service owns; the
// bucket's other rules are left as they are.
const RuleOwner = "dailyreports-retention-"

// syncAttempts bounds the rewrites of one sync while settings keep changing
// under it; settings change rarely, so one or two passes are the rule.
const syncAttempts = 10

// LifecycleDays is the object age, in days, at which the lifecycle expires a
// tenant's reports for a retention of months: 31 days a month, the most any
// run of calendar months spans, plus one. A report of day D is written on D
// or later, and D stays inside the window at most 31×months days after D, so
// the store never expires a report the service still serves; it may keep one
// up to a few days longer, which the nightly sweep removes.
func LifecycleDays(months int) int { return 31*months + 1 }

// SyncLifecycle makes the bucket's lifecycle rules match every tenant's
// retention setting, enabled or not, whoever the viewer in ctx is. Call it
// after a tenant is created or its settings change; the nightly sweep calls
// it too. It writes only when the rules change. Syncs racing in several
// processes converge: each one re-reads the settings after writing and
// writes again when they changed meanwhile. A store configured with
// blob.Config.NoLifecycle makes it a no-op.
func (s *Service) SyncLifecycle(ctx context.Context) error {
	_, err := s.syncLifecycle(ctx)
	return err
}

func (s *Service) syncLifecycle(ctx context.Context) (changed bool, err error) {
	ctx = viewer.SystemContext(ctx, "retention:lifecycle")
	current, err := s.Bucket.ExpiryRules(ctx)
	if errors.Is(err, blob.ErrNoLifecycle) {
		s.log().DebugContext(ctx, "retention: the object store has no lifecycle api; the nightly sweep alone expires reports")
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("retention: lifecycle: %w", err)
	}
	budget := blob.MaxLifecycleRules
	for _, r := range current {
		if !strings.HasPrefix(r.ID, RuleOwner) {
			budget--
		}
	}
	for range syncAttempts {
		before, err := s.Store.Retentions(ctx)
		if err != nil {
			return changed, err
		}
		rules, err := Rules(before, budget)
		if err != nil {
			return changed, err
		}
		wrote, err := s.Bucket.ReplaceExpiryRules(ctx, RuleOwner, rules)
		if err != nil {
			return changed, fmt.Errorf("retention: lifecycle: %w", err)
		}
		changed = changed || wrote
		if wrote {
			s.log().InfoContext(ctx, "retention: lifecycle rules written", "rules", len(rules))
		}
		after, err := s.Store.Retentions(ctx)
		if err != nil {
			return changed, err
		}
		if slices.Equal(before, after) {
			return changed, nil
		}
	}
	return changed, errors.New("retention: lifecycle: tenant settings kept changing during the sync")
}

// Rules returns the lifecycle rules of tenants: one per tenant prefix
// ("<tenantId>/", LifecycleDays of its retention) when at most limit rules
// fit. Beyond that (the store allows 1,000 rules in all), tenants sharing
// the longest leading run of id characters that fits share a rule, which
// expires at the longest retention among them: later than some need, never
// earlier.
func Rules(tenants []store.Retention, limit int) ([]blob.ExpiryRule, error) {
	const idLen = 36 // a tenant id's text
	for n := idLen; n >= 1; n-- {
		months := make(map[string]int)
		for _, t := range tenants {
			p := t.TenantID.String()[:n]
			if n == idLen {
				p += "/"
			}
			months[p] = max(months[p], t.Months)
		}
		if len(months) > limit {
			continue
		}
		rules := make([]blob.ExpiryRule, 0, len(months))
		for p, m := range months {
			id := RuleOwner + strings.TrimSuffix(p, "/")
			rules = append(rules, blob.ExpiryRule{ID: id, Prefix: p, Days: LifecycleDays(m)})
		}
		slices.SortFunc(rules, func(a, b blob.ExpiryRule) int { return strings.Compare(a.ID, b.ID) })
		return rules, nil
	}
	return nil, fmt.Errorf("retention: lifecycle: no room for rules: other rules leave %d of %d", limit, blob.MaxLifecycleRules)
}
