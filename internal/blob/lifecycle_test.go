package blob_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/lifecycle"

	"github.com/dailyreports/dailyreports/internal/blob"
)

const owner = "svc-"

// readRules reads the bucket's rules back through the store.
func readRules(t *testing.T, s *blob.Store) []blob.ExpiryRule {
	t.Helper()
	rules, err := s.ExpiryRules(context.Background())
	if err != nil {
		t.Fatalf("read rules: %v", err)
	}
	slices.SortFunc(rules, func(a, b blob.ExpiryRule) int { return strings.Compare(a.ID, b.ID) })
	return rules
}

// replace replaces the owned rules and checks whether a write happened.
func replace(t *testing.T, s *blob.Store, wantChanged bool, rules ...blob.ExpiryRule) {
	t.Helper()
	changed, err := s.ReplaceExpiryRules(context.Background(), owner, rules)
	if err != nil || changed != wantChanged {
		t.Fatalf("replace %v: changed %t, err %v; want changed %t", rules, changed, err, wantChanged)
	}
}

// The owned rules are replaced as a set and read back as written, MinIO
// accepting them; another owner's rule is kept through every change; an
// unchanged set is not written again; no owned rules and no others leave
// the bucket without a configuration.
func TestReplaceExpiryRules(t *testing.T) {
	s, raw := bucketStore(t, blob.Config{})
	ctx := context.Background()
	if got := readRules(t, s); len(got) != 0 {
		t.Fatalf("a new bucket has rules %v", got)
	}
	foreign := lifecycle.NewConfiguration()
	foreign.Rules = []lifecycle.Rule{{ID: "ops-tmp", Status: "Enabled",
		RuleFilter: lifecycle.Filter{Prefix: "tmp/"}, Expiration: lifecycle.Expiration{Days: 7}}}
	if err := raw.SetBucketLifecycle(ctx, s.Bucket(), foreign); err != nil {
		t.Fatal(err)
	}
	ops := blob.ExpiryRule{ID: "ops-tmp", Prefix: "tmp/", Days: 7}
	a := blob.ExpiryRule{ID: owner + "a", Prefix: "a/", Days: 32}
	b := blob.ExpiryRule{ID: owner + "b", Prefix: "b/", Days: 94}

	replace(t, s, true, b, a)
	if got, want := readRules(t, s), []blob.ExpiryRule{ops, a, b}; !slices.Equal(got, want) {
		t.Fatalf("rules %v, want %v", got, want)
	}
	replace(t, s, false, a, b)
	a.Days = 63
	replace(t, s, true, a)
	if got, want := readRules(t, s), []blob.ExpiryRule{ops, a}; !slices.Equal(got, want) {
		t.Fatalf("after a change and a removal: %v, want %v", got, want)
	}
	replace(t, s, true)
	if got := readRules(t, s); !slices.Equal(got, []blob.ExpiryRule{ops}) {
		t.Fatalf("without owned rules: %v, want the other owner's only", got)
	}
	if err := raw.SetBucketLifecycle(ctx, s.Bucket(), lifecycle.NewConfiguration()); err != nil {
		t.Fatal(err)
	}
	replace(t, s, true, a)
	replace(t, s, true)
	if _, err := raw.GetBucketLifecycle(ctx, s.Bucket()); minio.ToErrorResponse(err).Code != "NoSuchLifecycleConfiguration" {
		t.Fatalf("empty set: configuration left (err %v)", err)
	}
	replace(t, s, false)
}

// An owned rule changed by hand is rewritten; rules not owned or without
// days are refused before any request.
func TestReplaceExpiryRulesRepairsAndRefuses(t *testing.T) {
	s, raw := bucketStore(t, blob.Config{})
	ctx := context.Background()
	a := blob.ExpiryRule{ID: owner + "a", Prefix: "a/", Days: 32}
	replace(t, s, true, a)
	cfg, err := raw.GetBucketLifecycle(ctx, s.Bucket())
	if err != nil {
		t.Fatal(err)
	}
	cfg.Rules[0].Status = "Disabled"
	if err := raw.SetBucketLifecycle(ctx, s.Bucket(), cfg); err != nil {
		t.Fatal(err)
	}
	replace(t, s, true, a)
	if cfg, err = raw.GetBucketLifecycle(ctx, s.Bucket()); err != nil || cfg.Rules[0].Status != "Enabled" {
		t.Fatalf("rule not repaired: %+v, %v", cfg, err)
	}
	for _, bad := range []blob.ExpiryRule{{ID: "other-a", Prefix: "a/", Days: 3}, {ID: owner + "z", Prefix: "z/"}} {
		if _, err := s.ReplaceExpiryRules(ctx, owner, []blob.ExpiryRule{bad}); err == nil {
			t.Errorf("rule %+v accepted", bad)
		}
	}
	if _, err := s.ReplaceExpiryRules(ctx, "", nil); err == nil {
		t.Error("empty owner accepted")
	}
}

// A store without the lifecycle API answers ErrNoLifecycle and sends no
// request: this one points at a port nothing listens on.
func TestNoLifecycle(t *testing.T) {
	s, err := blob.New(blob.Config{Endpoint: "127.0.0.1:1", AccessKey: "k", SecretKey: "s", Bucket: "b", NoLifecycle: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ExpiryRules(context.Background()); !errors.Is(err, blob.ErrNoLifecycle) {
		t.Fatalf("ExpiryRules: %v", err)
	}
	rule := blob.ExpiryRule{ID: owner + "a", Prefix: "a/", Days: 32}
	if _, err := s.ReplaceExpiryRules(context.Background(), owner, []blob.ExpiryRule{rule}); !errors.Is(err, blob.ErrNoLifecycle) {
		t.Fatalf("ReplaceExpiryRules: %v", err)
	}
}
