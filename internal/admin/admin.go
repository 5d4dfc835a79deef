// Package admin is tenant administration: reading tenants as the viewer may
// see them, and the host administrators' operations on tenants and their
// report settings, whose changes are audited. ent's privacy rules confine
// tenant principals; admin adds the answers clients see.
package admin

import (
	"context"
	"log/slog"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/ent"
	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/auth"
	"github.com/dailyreports/dailyreports/internal/input"
	"github.com/dailyreports/dailyreports/internal/store"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// Admin holds the data layer.
type Admin struct {
	Store *store.Store
	// SettingsChanged, when set, runs after a tenant is created or its
	// setting is changed, to keep what derives from the settings (the
	// bucket's lifecycle rules) in step. Its failure is logged, not
	// returned: the change is committed, and the nightly sweep syncs again.
	SettingsChanged func(ctx context.Context) error
	Log             *slog.Logger
}

// changed runs SettingsChanged after a successful change.
func (a *Admin) changed(ctx context.Context, t *ent.Tenant, err error) (*ent.Tenant, error) {
	if err != nil || a.SettingsChanged == nil {
		return t, err
	}
	if serr := a.SettingsChanged(ctx); serr != nil && a.Log != nil {
		a.Log.WarnContext(ctx, "tenant settings changed; syncing what derives from them failed", "tenant", t.ID, "err", serr)
	}
	return t, nil
}

// Page sizes of lists.
const (
	DefaultPage = 50
	MaxPage     = 100
)

// Tenant returns the tenant with id as the viewer sees it: any tenant for a
// host administrator, its own for a tenant principal. Anything else,
// another tenant's id included, is NotFound "tenant not found", exactly as
// an id no tenant has.
func (a *Admin) Tenant(ctx context.Context, id uuid.UUID) (*ent.Tenant, error) {
	v, err := auth.RequireContext(ctx)
	if err != nil {
		return nil, err
	}
	if _, ok := v.Tenant(); !ok && !v.IsHost() {
		return nil, apperr.TenantNotFound()
	}
	return a.Store.Tenant(ctx, id)
}

// ViewerTenant returns the tenant of v, nil for host principals and for a
// tenant that does not exist.
func (a *Admin) ViewerTenant(ctx context.Context, v *viewer.Viewer) (*ent.Tenant, error) {
	id, ok := v.Tenant()
	if !ok {
		return nil, nil
	}
	t, err := a.Tenant(ctx, id)
	if apperr.CodeOf(err) == apperr.NotFound {
		return nil, nil
	}
	return t, err
}

// Tenants returns a page of every tenant, oldest first; with name, of those
// whose name contains it, ignoring case. Only host administrators may list
// tenants.
func (a *Admin) Tenants(ctx context.Context, first *int, after *ent.Cursor, name *string) (*ent.TenantConnection, error) {
	if _, err := auth.RequireHost(ctx); err != nil {
		return nil, err
	}
	n, err := pageSize(first)
	if err != nil {
		return nil, err
	}
	var filter string
	if name != nil && *name != "" {
		if err := input.Text(*name, 200); err != nil {
			return nil, apperr.New(apperr.Invalid, "name must be at most 200 bytes of text")
		}
		filter = *name
	}
	return a.Store.TenantPage(ctx, n, after, filter)
}

// CreateTenant creates a tenant; enabled defaults to false and
// retentionMonths to 1. The name is trimmed and must be a valid name
// (input.Name). Only host administrators may.
func (a *Admin) CreateTenant(ctx context.Context, name string, enabled *bool, retentionMonths *int) (*ent.Tenant, error) {
	if _, err := auth.RequireHost(ctx); err != nil {
		return nil, err
	}
	name, err := input.Name(name)
	if err != nil {
		return nil, err
	}
	set := store.TenantSettings{RetentionMonths: 1}
	if enabled != nil {
		set.Enabled = *enabled
	}
	if retentionMonths != nil {
		set.RetentionMonths = *retentionMonths
	}
	t, err := a.Store.CreateTenant(ctx, name, set)
	return a.changed(ctx, t, err)
}

// UpdateReportSettings changes a tenant's report setting. Only host
// administrators may.
func (a *Admin) UpdateReportSettings(ctx context.Context, id uuid.UUID, set store.TenantSettings) (*ent.Tenant, error) {
	if _, err := auth.RequireHost(ctx); err != nil {
		return nil, err
	}
	t, err := a.Store.UpdateTenantSettings(ctx, id, set)
	return a.changed(ctx, t, err)
}

// AuditLog returns the latest changes of a tenant's report setting, newest
// first. Only host administrators may read it.
func (a *Admin) AuditLog(ctx context.Context, tenantID uuid.UUID, first *int) ([]*ent.AuditEntry, error) {
	if _, err := auth.RequireHost(ctx); err != nil {
		return nil, err
	}
	n, err := pageSize(first)
	if err != nil {
		return nil, err
	}
	return a.Store.AuditLog(ctx, tenantID, n)
}

func pageSize(first *int) (int, error) {
	if first == nil {
		return DefaultPage, nil
	}
	if *first < 0 || *first > MaxPage {
		return 0, apperr.New(apperr.Invalid, "first must be between 0 and %d", MaxPage)
	}
	return *first, nil
}

// Node returns the Relay node with id. Tenants are the only nodes, so it is
// Tenant.
func (a *Admin) Node(ctx context.Context, id uuid.UUID) (ent.Noder, error) {
	t, err := a.Tenant(ctx, id)
	if err != nil {
		return nil, err
	}
	return t, nil
}

// Nodes returns the Relay nodes with ids, in order, null where the viewer
// sees none; at most MaxPage ids.
func (a *Admin) Nodes(ctx context.Context, ids []uuid.UUID) ([]ent.Noder, error) {
	if len(ids) > MaxPage {
		return nil, apperr.New(apperr.Invalid, "at most %d ids", MaxPage)
	}
	out := make([]ent.Noder, len(ids))
	for i, id := range ids {
		t, err := a.Tenant(ctx, id)
		switch apperr.CodeOf(err) {
		case "":
			out[i] = t
		case apperr.NotFound:
		default:
			return nil, err
		}
	}
	return out, nil
}
