package store

import (
	"context"

	"github.com/dailyreports/dailyreports/ent"
	"github.com/dailyreports/dailyreports/ent/hook"
)

// TenantWrites counts the tenant writes made through this Store: it changes
// when a write begins and again when its transaction commits. A cache of
// tenant settings that remembers the count it read them under knows they
// may have changed in this process once the count differs.
func (s *Store) TenantWrites() int64 { return s.tenantWrites.Load() }

// countTenantWrites installs the hook behind TenantWrites.
func (s *Store) countTenantWrites() {
	s.client.Tenant.Use(func(next ent.Mutator) ent.Mutator {
		return hook.TenantFunc(func(ctx context.Context, m *ent.TenantMutation) (ent.Value, error) {
			s.tenantWrites.Add(1)
			defer s.tenantWrites.Add(1)
			if tx, err := m.Tx(); err == nil {
				tx.OnCommit(func(next ent.Committer) ent.Committer {
					return ent.CommitFunc(func(ctx context.Context, tx *ent.Tx) error {
						defer s.tenantWrites.Add(1)
						return next.Commit(ctx, tx)
					})
				})
			}
			return next.Mutate(ctx, m)
		})
	})
}
