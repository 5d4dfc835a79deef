package auth

import (
	"errors"
	"slices"
	"strings"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/viewer"
)

// claims is the payload of the service's tokens.
type claims struct {
	jwt.RegisteredClaims
	// TenantID is nil for host principals; present, it must be a tenant's
	// UUID in canonical form.
	TenantID *string `json:"tenant_id,omitempty"`
	// Scope holds space-separated scopes (RFC 8693 section 4.2).
	Scope string `json:"scope,omitempty"`
}

var (
	errEmptySubject   = errors.New("empty sub")
	errBadTenant      = errors.New("malformed tenant_id")
	errTenantHostOnly = errors.New("host_admin scope on a tenant token")
)

// viewer returns the principal the claims describe, or why they describe
// none. It runs only on claims whose signature was verified.
func (c *claims) viewer() (viewer.Viewer, error) {
	if strings.TrimSpace(c.Subject) == "" {
		return viewer.Viewer{}, errEmptySubject
	}
	tenant, err := parseTenantClaim(c.TenantID)
	if err != nil {
		return viewer.Viewer{}, err
	}
	scopes := strings.Fields(c.Scope)
	if tenant != uuid.Nil && slices.Contains(scopes, viewer.ScopeHostAdmin) {
		return viewer.Viewer{}, errTenantHostOnly
	}
	return viewer.Viewer{Subject: c.Subject, TenantID: tenant, Scopes: scopes}, nil
}

// parseTenantClaim accepts only the canonical 36-character form and never the
// nil UUID, which would turn a tenant token into a host one.
func parseTenantClaim(s *string) (uuid.UUID, error) {
	if s == nil {
		return uuid.Nil, nil
	}
	id, err := uuid.Parse(*s)
	if err != nil || len(*s) != 36 || id == uuid.Nil {
		return uuid.Nil, errBadTenant
	}
	return id, nil
}
