package retention

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/store"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// removeBatch is how many keys one multi-object delete carries (S3's limit).
const removeBatch = 1000

// Summary counts what one sweep did.
type Summary struct {
	Tenants int // tenants swept
	Failed  int // tenants whose sweep failed
	Objects int // report objects deleted
	Chunks  int // chunk rows deleted
	// RulesChanged says whether the lifecycle configuration was rewritten.
	RulesChanged bool
}

// Sweep deletes, for every tenant (enabled or not: disabling keeps reports
// until they expire), the report objects and chunk rows of days before the
// tenant's retention window at now (Start), then syncs the
// lifecycle rules. It is idempotent. A tenant that fails does not stop the
// others; the errors are joined.
func (s *Service) Sweep(ctx context.Context, now time.Time) (Summary, error) {
	ctx = viewer.SystemContext(ctx, "job:retention")
	var sum Summary
	tenants, err := s.Store.Retentions(ctx)
	if err != nil {
		return sum, err
	}
	var errs []error
	for _, t := range tenants {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		objects, chunks, err := s.sweepTenant(ctx, t, now)
		sum.Tenants++
		sum.Objects += objects
		sum.Chunks += chunks
		if err != nil {
			sum.Failed++
			errs = append(errs, err)
			s.log().WarnContext(ctx, "retention: tenant not swept", "tenant", t.TenantID, "err", err)
		}
	}
	sum.RulesChanged, err = s.syncLifecycle(ctx)
	errs = append(errs, err)
	s.log().InfoContext(ctx, "retention swept", "tenants", sum.Tenants, "failed", sum.Failed,
		"objects_deleted", sum.Objects, "chunks_deleted", sum.Chunks, "rules_changed", sum.RulesChanged)
	return sum, errors.Join(errs...)
}

// sweepTenant deletes one tenant's expired objects, then its expired chunk
// rows, and returns how many of each it deleted.
func (s *Service) sweepTenant(ctx context.Context, t store.Retention, now time.Time) (objects, chunks int, err error) {
	cutoff := Start(now, t.Months).Format(document.DayLayout)
	if objects, err = s.removeBefore(ctx, reportPrefix(t.TenantID), cutoff); err != nil {
		return objects, 0, fmt.Errorf("retention: tenant %s: %w", t.TenantID, err)
	}
	if chunks, err = s.Store.DeleteChunksBefore(ctx, t.TenantID, cutoff); err != nil {
		return objects, 0, fmt.Errorf("retention: tenant %s: %w", t.TenantID, err)
	}
	if objects+chunks > 0 {
		s.log().InfoContext(ctx, "retention: expired reports deleted", "tenant", t.TenantID,
			"before", cutoff, "objects", objects, "chunks", chunks)
	}
	return objects, chunks, nil
}

// removeBefore deletes the report objects under prefix of days before
// cutoff. Report keys list in day order, so the listing stops at the first
// day kept: a nightly sweep reads about one page per tenant.
func (s *Service) removeBefore(ctx context.Context, prefix, cutoff string) (int, error) {
	var batch []string
	removed := 0
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if err := s.Bucket.RemoveObjects(ctx, batch); err != nil {
			return err
		}
		removed += len(batch)
		batch = batch[:0]
		return nil
	}
	for info, err := range s.Bucket.List(ctx, prefix) {
		if err != nil {
			return removed, err
		}
		day, ok := keyDay(info.Key, prefix)
		if !ok {
			continue
		}
		if day >= cutoff {
			break
		}
		if batch = append(batch, info.Key); len(batch) == removeBatch {
			if err := flush(); err != nil {
				return removed, err
			}
		}
	}
	return removed, flush()
}
