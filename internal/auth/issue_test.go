package auth

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/viewer"
)

func TestIssueVerifyRoundTrip(t *testing.T) {
	s := mustSigner(t)
	tests := []struct {
		name   string
		tenant uuid.UUID
		scopes []string
	}{
		{"tenant", testTenant, []string{viewer.ScopeReportsRead, viewer.ScopeConversationsWrite}},
		{"host", uuid.Nil, []string{viewer.ScopeHostAdmin}},
		{"no scopes", testTenant, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := time.Now()
			tok, exp, err := s.Issue("client-1", tt.tenant, tt.scopes, time.Hour)
			if err != nil {
				t.Fatalf("Issue: %v", err)
			}
			if d := exp.Sub(before); d < time.Hour-time.Second || d > time.Hour {
				t.Errorf("expiresAt %v is %v after issuing, want about 1h", exp, d)
			}
			v, err := s.Verify(tok)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if v.Subject != "client-1" || v.TenantID != tt.tenant || !slices.Equal(v.Scopes, tt.scopes) || v.System {
				t.Errorf("viewer = %+v", v)
			}
		})
	}
}

func TestIssueClaims(t *testing.T) {
	s := mustSigner(t)
	host := issuedClaims(t, s, uuid.Nil, []string{viewer.ScopeHostAdmin})
	if _, ok := host["tenant_id"]; ok {
		t.Errorf("host token carries tenant_id: %v", host)
	}
	c := issuedClaims(t, s, testTenant, []string{"a", "b"})
	want := map[string]any{"sub": "client-1", "tenant_id": testTenant.String(), "scope": "a b", "iss": testIssuer}
	for k, w := range want {
		if c[k] != w {
			t.Errorf("%s = %v, want %v", k, c[k], w)
		}
	}
	for _, k := range []string{"aud", "iat", "nbf", "exp", "jti"} {
		if c[k] == nil {
			t.Errorf("claim %s missing", k)
		}
	}
	if c["jti"] == host["jti"] {
		t.Errorf("jti repeated: %v", c["jti"])
	}
}

func issuedClaims(t *testing.T, s *Signer, tenant uuid.UUID, scopes []string) jwt.MapClaims {
	t.Helper()
	tok, _, err := s.Issue("client-1", tenant, scopes, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	c := jwt.MapClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(tok, c); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestIssueRejects(t *testing.T) {
	s := mustSigner(t)
	tests := []struct {
		name    string
		subject string
		tenant  uuid.UUID
		scopes  []string
		ttl     time.Duration
	}{
		{"empty subject", "", testTenant, nil, time.Hour},
		{"zero ttl", "c", testTenant, nil, 0},
		{"sub-second ttl", "c", testTenant, nil, time.Millisecond},
		{"host_admin on tenant", "c", testTenant, []string{viewer.ScopeHostAdmin}, time.Hour},
		{"empty scope", "c", testTenant, []string{""}, time.Hour},
		{"scope with space", "c", testTenant, []string{"a b"}, time.Hour},
		{"scope with tab", "c", testTenant, []string{"a\tb"}, time.Hour},
		{"NUL in subject", "a\x00b", testTenant, nil, time.Hour},
		{"newline in subject", "a\nb", testTenant, nil, time.Hour},
		{"invalid UTF-8 subject", "a\xffb", testTenant, nil, time.Hour},
		{"long subject", strings.Repeat("s", MaxSubjectLen+1), testTenant, nil, time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tok, _, err := s.Issue(tt.subject, tt.tenant, tt.scopes, tt.ttl); err == nil {
				t.Fatalf("Issue = %q, want an error", tok)
			}
		})
	}
}
