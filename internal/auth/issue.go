package auth

import (
	"crypto/rand"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/viewer"
)

// Issue signs an HS256 token for subject, valid from now for ttl. tenantID is
// uuid.Nil for a host principal, whose token then carries no tenant_id.
// Every token gets a random jti. expiresAt equals the token's exp claim
// (whole seconds). Issue refuses what Verify would reject: a subject Verify
// refuses, a ttl under one second, a scope that is not one scope token (RFC
// 6749 §3.3), and host_admin on a tenant principal.
func (s *Signer) Issue(subject string, tenantID uuid.UUID, scopes []string, ttl time.Duration) (token string, expiresAt time.Time, err error) {
	if err := checkIssue(subject, tenantID, scopes, ttl); err != nil {
		return "", time.Time{}, fmt.Errorf("auth: issue token: %w", err)
	}
	now := time.Now().Truncate(time.Second)
	expiresAt = now.Add(ttl).Truncate(time.Second)
	c := s.newClaims(subject, tenantID, scopes, now, expiresAt)
	token, err = jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(s.key)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("auth: issue token: %w", err)
	}
	return token, expiresAt, nil
}

func (s *Signer) newClaims(subject string, tenantID uuid.UUID, scopes []string, now, exp time.Time) claims {
	c := claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    s.issuer,
			Subject:   subject,
			Audience:  jwt.ClaimStrings{s.audience},
			ExpiresAt: jwt.NewNumericDate(exp),
			NotBefore: jwt.NewNumericDate(now),
			IssuedAt:  jwt.NewNumericDate(now),
			ID:        rand.Text(),
		},
		Scope: strings.Join(scopes, " "),
	}
	if tenantID != uuid.Nil {
		id := tenantID.String()
		c.TenantID = &id
	}
	return c
}

func checkIssue(subject string, tenantID uuid.UUID, scopes []string, ttl time.Duration) error {
	if err := checkSubject(subject); err != nil {
		return err
	}
	switch {
	case ttl < time.Second:
		return fmt.Errorf("ttl %s is under one second", ttl)
	case tenantID != uuid.Nil && slices.Contains(scopes, viewer.ScopeHostAdmin):
		return errTenantHostOnly
	}
	for _, sc := range scopes {
		if !ValidScopeToken(sc) {
			return errBadScope
		}
	}
	return nil
}
