// Package viewer says who is asking: a tenant principal, a host administrator
// or the service itself. It is a leaf package carried in the context, read by
// the data layer's privacy rules.
package viewer

import (
	"context"
	"slices"

	"github.com/google/uuid"
)

// Scopes a token can carry.
const (
	ScopeReportsRead        = "dataservice_external"
	ScopeConversationsWrite = "conversations.write"
	ScopeHostAdmin          = "host_admin"
)

// Viewer describes the principal of a request or a job.
type Viewer struct {
	// Subject is the token's sub claim, or a job's name.
	Subject string
	// TenantID is the tenant the principal belongs to; uuid.Nil for host
	// principals and for the service itself.
	TenantID uuid.UUID
	// Scopes the principal was granted.
	Scopes []string
	// System marks the service acting on its own behalf (jobs, migrations).
	System bool
}

// Has reports whether the viewer was granted scope.
func (v Viewer) Has(scope string) bool { return slices.Contains(v.Scopes, scope) }

// IsHost reports whether the viewer is a host administrator.
func (v Viewer) IsHost() bool { return v.TenantID == uuid.Nil && v.Has(ScopeHostAdmin) }

// Tenant returns the viewer's tenant and whether it has one.
func (v Viewer) Tenant() (uuid.UUID, bool) { return v.TenantID, v.TenantID != uuid.Nil }

type ctxKey struct{}

// NewContext returns a copy of ctx carrying v.
func NewContext(ctx context.Context, v Viewer) context.Context {
	return context.WithValue(ctx, ctxKey{}, v)
}

// FromContext returns the viewer carried by ctx, if any.
func FromContext(ctx context.Context) (Viewer, bool) {
	v, ok := ctx.Value(ctxKey{}).(Viewer)
	return v, ok
}

// SystemContext returns ctx acting as the service itself, allowed everything.
func SystemContext(ctx context.Context, subject string) context.Context {
	return NewContext(ctx, Viewer{Subject: subject, System: true})
}

// TenantContext returns ctx acting for one tenant only, as jobs do when they
// rebuild the viewer from a task's tenant id.
func TenantContext(ctx context.Context, subject string, tenantID uuid.UUID) context.Context {
	return NewContext(ctx, Viewer{Subject: subject, TenantID: tenantID})
}
