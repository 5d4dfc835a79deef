package store

import (
	"context"

	"entgo.io/contrib/entgql"
	"entgo.io/ent/dialect"
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

// CreateTenant creates a tenant and records its setting in the audit log,
// in one transaction. Only host administrators and the service may.
func (s *Store) CreateTenant(ctx context.Context, name string, set TenantSettings) (*ent.Tenant, error) {
	if err := validateSettings(set); err != nil {
		return nil, err
	}
	if name == "" || len(name) > 200 {
		return nil, apperr.New(apperr.Invalid, "name must have 1 to 200 characters")
	}
	var t *ent.Tenant
	err := s.withTx(ctx, func(tx *ent.Tx) error {
		var err error
		t, err = tx.Tenant.Create().SetName(name).
			SetReportEnabled(set.Enabled).SetRetentionMonths(set.RetentionMonths).Save(ctx)
		if err != nil {
			return dbErr("create tenant", err)
		}
		return audit(ctx, tx, t.ID, nil, set)
	})
	return t, err
}

// Tenant returns the tenant with id, or apperr.TenantNotFound when the
// viewer cannot see it.
func (s *Store) Tenant(ctx context.Context, id uuid.UUID) (*ent.Tenant, error) {
	t, err := s.client.Tenant.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, apperr.TenantNotFound()
	}
	return t, dbErr("get tenant", err)
}

// Tenants returns the tenants the viewer can see, oldest first.
func (s *Store) Tenants(ctx context.Context) ([]*ent.Tenant, error) {
	ts, err := s.client.Tenant.Query().Order(ent.Asc(tenant.FieldCreatedAt), ent.Asc(tenant.FieldID)).All(ctx)
	return ts, dbErr("list tenants", err)
}

// TenantPage returns first tenants the viewer can see after the cursor
// after, oldest first, as a Relay connection; only those whose name
// contains name, ignoring case, when it is not "".
func (s *Store) TenantPage(ctx context.Context, first int, after *ent.Cursor, name string) (*ent.TenantConnection, error) {
	q := s.client.Tenant.Query()
	if name != "" {
		q = q.Where(tenant.NameContainsFold(name))
	}
	conn, err := q.Paginate(ctx, after, &first, nil, nil,
		ent.WithTenantOrder(&ent.TenantOrder{Direction: entgql.OrderDirectionAsc, Field: ent.TenantOrderFieldCreatedAt}))
	return conn, dbErr("page tenants", err)
}

// EnabledTenants returns the ids of tenants whose reports are enabled.
func (s *Store) EnabledTenants(ctx context.Context) ([]uuid.UUID, error) {
	ids, err := s.client.Tenant.Query().Where(tenant.ReportEnabled(true)).
		Order(ent.Asc(tenant.FieldID)).IDs(ctx)
	return ids, dbErr("list enabled tenants", err)
}

// UpdateTenantSettings changes a tenant's feature setting and records the
// change (old and new setting, the viewer as actor) in the audit log, in one
// transaction. Setting what is already set changes nothing and records
// nothing.
func (s *Store) UpdateTenantSettings(ctx context.Context, id uuid.UUID, set TenantSettings) (*ent.Tenant, error) {
	if err := validateSettings(set); err != nil {
		return nil, err
	}
	var t *ent.Tenant
	err := s.withTx(ctx, func(tx *ent.Tx) error {
		q := tx.Tenant.Query().Where(tenant.ID(id))
		if s.dialect == dialect.Postgres {
			q = q.ForUpdate()
		}
		old, err := q.Only(ctx)
		if ent.IsNotFound(err) {
			return apperr.TenantNotFound()
		}
		if err != nil {
			return dbErr("get tenant", err)
		}
		was := TenantSettings{Enabled: old.ReportEnabled, RetentionMonths: old.RetentionMonths}
		if was == set {
			t = old
			return nil
		}
		if t, err = old.Update().SetReportEnabled(set.Enabled).SetRetentionMonths(set.RetentionMonths).Save(ctx); err != nil {
			return dbErr("update tenant", err)
		}
		return audit(ctx, tx, id, &was, set)
	})
	return t, err
}

func validateSettings(set TenantSettings) error {
	if set.RetentionMonths < 1 || set.RetentionMonths > 3 {
		return apperr.New(apperr.Invalid, "retentionMonths must be 1, 2 or 3")
	}
	return nil
}
