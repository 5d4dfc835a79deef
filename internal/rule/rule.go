// Package rule holds the data layer's privacy rules: who may read and write
// which rows. Tenancy is enforced here once, so no handler, resolver or job
// filters by tenant by hand.
package rule

import (
	"context"

	"entgo.io/ent"
	"entgo.io/ent/entql"
	"github.com/dailyreports/dailyreports/ent/privacy"
	"github.com/dailyreports/dailyreports/internal/viewer"
	"github.com/google/uuid"
)

// DenyIfNoViewer denies any query or mutation that carries no viewer, so the
// data layer fails closed.
func DenyIfNoViewer() privacy.QueryMutationRule {
	return privacy.ContextQueryMutationRule(func(ctx context.Context) error {
		if _, ok := viewer.FromContext(ctx); !ok {
			return privacy.Denyf("viewer missing from context")
		}
		return privacy.Skip
	})
}

// AllowIfSystem allows the service acting on its own behalf.
func AllowIfSystem() privacy.QueryMutationRule {
	return privacy.ContextQueryMutationRule(func(ctx context.Context) error {
		if v, _ := viewer.FromContext(ctx); v.System {
			return privacy.Allow
		}
		return privacy.Skip
	})
}

// AllowIfHost allows host administrators.
func AllowIfHost() privacy.QueryMutationRule {
	return privacy.ContextQueryMutationRule(func(ctx context.Context) error {
		if v, _ := viewer.FromContext(ctx); v.IsHost() {
			return privacy.Allow
		}
		return privacy.Skip
	})
}

// tenantFilter is implemented by the generated filters of every entity that
// carries the tenant mixin.
type tenantFilter interface {
	WhereTenantID(entql.ValueP)
}

// FilterTenantRule narrows every query and mutation of a tenant principal to
// its own tenant's rows, and denies principals that have no tenant.
func FilterTenantRule() privacy.QueryMutationRule {
	return privacy.FilterFunc(func(ctx context.Context, f privacy.Filter) error {
		tid, all, ok := Scope(ctx)
		switch {
		case !ok:
			return privacy.Denyf("viewer has no tenant")
		case all:
			return privacy.Skip // reached only past AllowIfSystem and AllowIfHost
		}
		tf, ok := f.(tenantFilter)
		if !ok {
			return privacy.Denyf("unexpected filter type %T", f)
		}
		tf.WhereTenantID(entql.ValueEQ(tid))
		return privacy.Skip
	})
}

// tenantMutation is implemented by the mutations of tenant-scoped entities.
type tenantMutation interface {
	TenantID() (uuid.UUID, bool)
}

// DenyMismatchedTenant denies creating a row for another tenant than the
// viewer's. Updates and deletes are narrowed by FilterTenantRule.
func DenyMismatchedTenant() privacy.MutationRule {
	return privacy.MutationRuleFunc(func(ctx context.Context, m ent.Mutation) error {
		if !m.Op().Is(ent.OpCreate) {
			return privacy.Skip
		}
		tm, ok := m.(tenantMutation)
		if !ok {
			return privacy.Denyf("unexpected mutation type %T", m)
		}
		v, _ := viewer.FromContext(ctx)
		if id, ok := tm.TenantID(); !ok || id != v.TenantID {
			return privacy.Denyf("tenant mismatch")
		}
		return privacy.Skip
	})
}

// FilterOwnTenantRule lets a tenant principal see its own tenant row only.
func FilterOwnTenantRule() privacy.QueryRule {
	type idFilter interface{ WhereID(entql.ValueP) }
	return privacy.FilterFunc(func(ctx context.Context, f privacy.Filter) error {
		v, _ := viewer.FromContext(ctx)
		tid, ok := v.Tenant()
		if !ok {
			return privacy.Denyf("viewer has no tenant")
		}
		idf, ok := f.(idFilter)
		if !ok {
			return privacy.Denyf("unexpected filter type %T", f)
		}
		idf.WhereID(entql.ValueEQ(tid))
		return privacy.Skip
	})
}
