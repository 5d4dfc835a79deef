package auth

import (
	"errors"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

const (
	testKey      = "test-signing-key-0123456789abcdef"
	testIssuer   = "dailyreports"
	testAudience = "dailyreports-api"
)

var testTenant = uuid.MustParse("6f1c2b4e-8d2a-4c1e-9b3f-2a7d5e0c1f88")

func mustSigner(tb testing.TB) *Signer {
	tb.Helper()
	s, err := NewSigner(Config{SigningKey: []byte(testKey), Issuer: testIssuer, Audience: testAudience})
	if err != nil {
		tb.Fatalf("NewSigner: %v", err)
	}
	return s
}

// tenantClaims returns valid claims of a tenant token, changed by edit.
func tenantClaims(edit func(jwt.MapClaims)) jwt.MapClaims {
	now := time.Now()
	c := jwt.MapClaims{
		"sub":       "client-1",
		"tenant_id": testTenant.String(),
		"scope":     viewer.ScopeReportsRead,
		"iss":       testIssuer,
		"aud":       testAudience,
		"iat":       now.Unix(),
		"nbf":       now.Unix(),
		"exp":       now.Add(time.Hour).Unix(),
	}
	if edit != nil {
		edit(c)
	}
	return c
}

func mustSign(tb testing.TB, m jwt.SigningMethod, key any, c jwt.MapClaims) string {
	tb.Helper()
	s, err := jwt.NewWithClaims(m, c).SignedString(key)
	if err != nil {
		tb.Fatalf("sign %s: %v", m.Alg(), err)
	}
	return s
}

// hs256 signs c with the test key.
func hs256(tb testing.TB, c jwt.MapClaims) string {
	tb.Helper()
	return mustSign(tb, jwt.SigningMethodHS256, []byte(testKey), c)
}

// assertUnauthenticated fails unless err is an Unauthenticated apperr with
// message msg and a wrapped cause.
func assertUnauthenticated(tb testing.TB, err error, msg string) {
	tb.Helper()
	if got := apperr.CodeOf(err); got != apperr.Unauthenticated {
		tb.Fatalf("code = %q, want %q (err %v)", got, apperr.Unauthenticated, err)
	}
	if got := apperr.MessageOf(err); got != msg {
		tb.Fatalf("message = %q, want %q", got, msg)
	}
	if errors.Unwrap(err) == nil {
		tb.Fatalf("err %v wraps no cause", err)
	}
}
