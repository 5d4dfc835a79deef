package auth

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/input"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// MaxSubjectLen is the longest sub claim accepted, in bytes; the subject is
// written to the audit log.
const MaxSubjectLen = 256

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
	errBadSubject     = fmt.Errorf("sub must be at most %d bytes of UTF-8 without control characters", MaxSubjectLen)
	errBadTenant      = errors.New("malformed tenant_id")
	errTenantHostOnly = errors.New("host_admin scope on a tenant token")
)

// UnmarshalJSON decodes the payload, refusing exp, nbf and iat that are not
// JSON numbers: RFC 7519 §2 defines a NumericDate as a number, while the jwt
// library also reads a string holding one.
func (c *claims) UnmarshalJSON(b []byte) error {
	var dates struct {
		Exp json.RawMessage `json:"exp"`
		Nbf json.RawMessage `json:"nbf"`
		Iat json.RawMessage `json:"iat"`
	}
	if err := json.Unmarshal(b, &dates); err != nil {
		return err
	}
	for name, raw := range map[string]json.RawMessage{"exp": dates.Exp, "nbf": dates.Nbf, "iat": dates.Iat} {
		if raw != nil && !isJSONNumber(raw) {
			return fmt.Errorf("%s is not a NumericDate (a JSON number)", name)
		}
	}
	type plain claims // without this method
	return json.Unmarshal(b, (*plain)(c))
}

// isJSONNumber reports whether raw, one JSON value, is a number.
func isJSONNumber(raw json.RawMessage) bool {
	return len(raw) > 0 && (raw[0] == '-' || ('0' <= raw[0] && raw[0] <= '9'))
}

// viewer returns the principal the claims describe, or why they describe
// none. It runs only on claims whose signature was verified.
func (c *claims) viewer() (viewer.Viewer, error) {
	if err := checkSubject(c.Subject); err != nil {
		return viewer.Viewer{}, err
	}
	tenant, err := parseTenantClaim(c.TenantID)
	if err != nil {
		return viewer.Viewer{}, err
	}
	scopes, err := ParseScope(c.Scope)
	if err != nil {
		return viewer.Viewer{}, err
	}
	if tenant != uuid.Nil && slices.Contains(scopes, viewer.ScopeHostAdmin) {
		return viewer.Viewer{}, errTenantHostOnly
	}
	return viewer.Viewer{Subject: c.Subject, TenantID: tenant, Scopes: scopes}, nil
}

// checkSubject accepts a sub that is not blank and is text the database can
// store: the subject reaches the audit log.
func checkSubject(sub string) error {
	if strings.TrimSpace(sub) == "" {
		return errEmptySubject
	}
	if input.Text(sub, MaxSubjectLen) != nil {
		return errBadSubject
	}
	return nil
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
