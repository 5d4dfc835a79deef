package blob

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/lifecycle"
)

// MaxLifecycleRules is how many rules one bucket's lifecycle configuration
// may hold (S3 and MinIO alike).
const MaxLifecycleRules = 1000

// ErrNoLifecycle is returned by the lifecycle methods of a store configured
// with NoLifecycle.
var ErrNoLifecycle = errors.New("blob: the object store has no lifecycle api")

// ExpiryRule is a lifecycle rule that expires the objects whose keys start
// with Prefix Days days after they were written (the store rounds the
// instant up to the next midnight UTC).
type ExpiryRule struct {
	ID     string
	Prefix string
	Days   int
}

// ExpiryRules returns the rules of the bucket's lifecycle configuration as
// far as an ExpiryRule describes them (Days is 0 for a rule that does not
// expire by age), in the store's order; none when it has no configuration.
func (s *Store) ExpiryRules(ctx context.Context) ([]ExpiryRule, error) {
	cfg, err := s.lifecycle(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]ExpiryRule, len(cfg.Rules))
	for i, r := range cfg.Rules {
		out[i], _ = expiryOf(r)
	}
	return out, nil
}

// ReplaceExpiryRules makes the rules whose IDs start with owner exactly
// rules, each of whose IDs must start with owner, and keeps every other rule
// of the bucket. The whole configuration is written (or deleted when it ends
// up empty) only when that changes it; changed says whether it was.
func (s *Store) ReplaceExpiryRules(ctx context.Context, owner string, rules []ExpiryRule) (changed bool, err error) {
	if owner == "" {
		return false, errors.New("blob: replace expiry rules: empty owner")
	}
	for _, r := range rules {
		if !strings.HasPrefix(r.ID, owner) || r.Days < 1 {
			return false, fmt.Errorf("blob: replace expiry rules: rule %q is not owned by %q or has no days", r.ID, owner)
		}
	}
	cfg, err := s.lifecycle(ctx)
	if err != nil {
		return false, err
	}
	var kept []lifecycle.Rule
	var mine []ExpiryRule
	for _, r := range cfg.Rules {
		if !strings.HasPrefix(r.ID, owner) {
			kept = append(kept, r)
			continue
		}
		e, ok := expiryOf(r)
		if !ok {
			e.Days = -1 // an owned rule changed by hand: rewrite it
		}
		mine = append(mine, e)
	}
	want := slices.SortedFunc(slices.Values(rules), byID)
	if slices.Equal(slices.SortedFunc(slices.Values(mine), byID), want) {
		return false, nil
	}
	if n := len(kept) + len(want); n > MaxLifecycleRules {
		return false, fmt.Errorf("blob: replace expiry rules: %d rules, the store allows %d", n, MaxLifecycleRules)
	}
	next := lifecycle.NewConfiguration()
	next.Rules = kept
	for _, r := range want {
		next.Rules = append(next.Rules, lifecycleRule(r))
	}
	if err := s.c.SetBucketLifecycle(ctx, s.bucket, next); err != nil {
		return false, classify("set lifecycle", err)
	}
	return true, nil
}

// lifecycle reads the bucket's lifecycle configuration; a bucket without
// one has an empty configuration.
func (s *Store) lifecycle(ctx context.Context) (*lifecycle.Configuration, error) {
	if s.noLifecycle {
		return nil, ErrNoLifecycle
	}
	cfg, err := s.c.GetBucketLifecycle(ctx, s.bucket)
	if minio.ToErrorResponse(err).Code == "NoSuchLifecycleConfiguration" {
		return lifecycle.NewConfiguration(), nil
	}
	if err != nil {
		return nil, classify("get lifecycle", err)
	}
	return cfg, nil
}

// expiryOf describes r; ok says whether r is exactly an enabled expiry by
// age of one prefix, as lifecycleRule writes it.
func expiryOf(r lifecycle.Rule) (e ExpiryRule, ok bool) {
	e = ExpiryRule{ID: r.ID, Prefix: cmp.Or(r.RuleFilter.Prefix, r.Prefix), Days: int(r.Expiration.Days)}
	ok = r.Status == "Enabled" && e.Days > 0 && r.Expiration.IsDateNull() && r.Prefix == "" &&
		r.RuleFilter.Tag.IsEmpty() && r.RuleFilter.And.IsEmpty() &&
		r.RuleFilter.ObjectSizeLessThan == 0 && r.RuleFilter.ObjectSizeGreaterThan == 0 &&
		r.Transition.IsNull() && r.NoncurrentVersionExpiration.IsDaysNull() &&
		r.NoncurrentVersionTransition.IsDaysNull() && r.AbortIncompleteMultipartUpload.IsDaysNull()
	return e, ok
}

func lifecycleRule(r ExpiryRule) lifecycle.Rule {
	return lifecycle.Rule{
		ID:         r.ID,
		Status:     "Enabled",
		RuleFilter: lifecycle.Filter{Prefix: r.Prefix},
		Expiration: lifecycle.Expiration{Days: lifecycle.ExpirationDays(r.Days)},
	}
}

func byID(a, b ExpiryRule) int { return strings.Compare(a.ID, b.ID) }
