package auth

import (
	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// TenantFor returns the tenant a request by v acts on with scope;
// requestedTenant is the tenant the request names (X-Tenant-Id on REST,
// tenantId in GraphQL), or "".
//
// A tenant principal needs scope and acts on its own tenant; naming another
// (or a malformed id) is NotFound "tenant not found", exactly as for a
// tenant that does not exist. A host principal (host_admin, no tenant) must
// name a tenant: none is Invalid, a malformed or nil id NotFound.
// host_admin implies reading reports (dataservice_external); any other
// scope a host must hold itself. Otherwise the answer is Forbidden. Whether
// the tenant exists and is enabled is checked by the caller.
func TenantFor(v viewer.Viewer, scope string, requestedTenant string) (uuid.UUID, error) {
	if v.IsHost() {
		return hostTenant(v, scope, requestedTenant)
	}
	if !v.Has(scope) {
		return uuid.Nil, missingScope(scope)
	}
	own, ok := v.Tenant()
	if !ok {
		return uuid.Nil, apperr.New(apperr.Forbidden, "token is not bound to a tenant")
	}
	if requestedTenant != "" && parseTenant(requestedTenant) != own {
		return uuid.Nil, apperr.TenantNotFound()
	}
	return own, nil
}

func hostTenant(v viewer.Viewer, scope, requested string) (uuid.UUID, error) {
	if !hostImplies(scope) && !v.Has(scope) {
		return uuid.Nil, missingScope(scope)
	}
	if requested == "" {
		return uuid.Nil, apperr.New(apperr.Invalid, "host tokens must name a tenant (X-Tenant-Id, or tenantId in GraphQL)")
	}
	id := parseTenant(requested)
	if id == uuid.Nil {
		return uuid.Nil, apperr.TenantNotFound()
	}
	return id, nil
}

// hostImplies reports whether host_admin alone grants scope on a named tenant.
func hostImplies(scope string) bool {
	return scope == viewer.ScopeHostAdmin || scope == viewer.ScopeReportsRead
}

// parseTenant returns the tenant id s names, or uuid.Nil when it names none.
func parseTenant(s string) uuid.UUID {
	id, err := uuid.Parse(s)
	if err != nil {
		return uuid.Nil
	}
	return id
}

func missingScope(scope string) error {
	return apperr.New(apperr.Forbidden, "missing scope %s", scope)
}
