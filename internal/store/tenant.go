package store

import (
	"context"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/ent"
	"github.com/dailyreports/dailyreports/ent/tenant"
	"github.com/dailyreports/dailyreports/internal/apperr"
)

// TenantSettings is a tenant's daily-report feature setting.
type TenantSettings struct {
	Enabled         bool
	RetentionMonths int
}

// CreateTenant creates a tenant. Only host administrators and the service may.
func (s *Store) CreateTenant(ctx context.Context, name string, set TenantSettings) (*ent.Tenant, error) {
	if err := validateSettings(set); err != nil {
		return nil, err
	}
	if name == "" || len(name) > 200 {
		return nil, apperr.New(apperr.Invalid, "name must have 1 to 200 characters")
	}
	t, err := s.Client.Tenant.Create().SetName(name).
		SetReportEnabled(set.Enabled).SetRetentionMonths(set.RetentionMonths).Save(ctx)
	return t, dbErr("create tenant", err)
}

// Tenant returns the tenant with id, or a NotFound error when the viewer
// cannot see it.
func (s *Store) Tenant(ctx context.Context, id uuid.UUID) (*ent.Tenant, error) {
	t, err := s.Client.Tenant.Get(ctx, id)
	return t, dbErr("get tenant", err)
}

// Tenants returns the tenants the viewer can see, oldest first.
func (s *Store) Tenants(ctx context.Context) ([]*ent.Tenant, error) {
	ts, err := s.Client.Tenant.Query().Order(ent.Asc(tenant.FieldCreatedAt), ent.Asc(tenant.FieldID)).All(ctx)
	return ts, dbErr("list tenants", err)
}

// EnabledTenants returns the ids of tenants whose reports are enabled.
func (s *Store) EnabledTenants(ctx context.Context) ([]uuid.UUID, error) {
	ids, err := s.Client.Tenant.Query().Where(tenant.ReportEnabled(true)).
		Order(ent.Asc(tenant.FieldID)).IDs(ctx)
	return ids, dbErr("list enabled tenants", err)
}

// UpdateTenantSettings changes a tenant's feature setting.
func (s *Store) UpdateTenantSettings(ctx context.Context, id uuid.UUID, set TenantSettings) (*ent.Tenant, error) {
	if err := validateSettings(set); err != nil {
		return nil, err
	}
	t, err := s.Client.Tenant.UpdateOneID(id).SetReportEnabled(set.Enabled).
		SetRetentionMonths(set.RetentionMonths).Save(ctx)
	return t, dbErr("update tenant", err)
}

func validateSettings(set TenantSettings) error {
	if set.RetentionMonths < 1 || set.RetentionMonths > 3 {
		return apperr.New(apperr.Invalid, "retentionMonths must be 1, 2 or 3")
	}
	return nil
}
