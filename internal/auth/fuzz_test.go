package auth

import (
	"testing"
	"time"

	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// FuzzVerify checks that Verify, alone and behind a Chain, never panics and
// answers either a viewer with a subject or an Unauthenticated error.
func FuzzVerify(f *testing.F) {
	s := mustSigner(f)
	tok, _, err := s.Issue("client-1", testTenant, []string{viewer.ScopeReportsRead}, time.Hour)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(tok)
	f.Add(hs256(f, tenantClaims(nil)))
	for _, tc := range rejectedTokens(f) {
		f.Add(tc.token)
	}
	f.Fuzz(func(t *testing.T, token string) {
		for _, v := range []Verifier{s, Chain{s}} {
			got, err := v.Verify(token)
			if err == nil && got.Subject == "" {
				t.Fatalf("accepted %q with empty subject", token)
			}
			if err != nil && (apperr.CodeOf(err) != apperr.Unauthenticated || apperr.MessageOf(err) != msgInvalid) {
				t.Fatalf("err = %v, want an Unauthenticated %q", err, msgInvalid)
			}
		}
	})
}
