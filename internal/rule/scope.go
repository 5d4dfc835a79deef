package rule

import (
	"context"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/viewer"
)

// Scope is which tenants' rows the viewer in ctx may read: every tenant's
// (the service itself, host administrators), its own tenant's only (a
// tenant principal), or none (no viewer, or a principal without a
// tenant). It is the decision the privacy rules of the tenant-scoped
// entities apply; the data layer's few hand-written reads apply it too,
// through ReadsTenant.
func Scope(ctx context.Context) (tenant uuid.UUID, all, ok bool) {
	v, found := viewer.FromContext(ctx)
	switch {
	case !found:
		return uuid.Nil, false, false
	case v.System || v.IsHost():
		return uuid.Nil, true, true
	}
	tid, has := v.Tenant()
	return tid, false, has
}

// ReadsTenant reports whether the viewer in ctx may read tenantID's rows.
func ReadsTenant(ctx context.Context, tenantID uuid.UUID) bool {
	own, all, ok := Scope(ctx)
	return ok && (all || own == tenantID)
}
