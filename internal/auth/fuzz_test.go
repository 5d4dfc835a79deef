package auth

import (
	"slices"
	"testing"
	"time"

	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// FuzzVerify checks that Verify, alone and behind a Chain, never panics and
// answers either an Unauthenticated error or a viewer whose subject the
// audit log can store and whose scopes are scope tokens. The seeds are a
// good token and every token TestVerifyRejects refuses (a sub with NUL, exp
// as a string, a crit header, tab-separated scopes, …).
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
			if err == nil && checkSubject(got.Subject) != nil {
				t.Fatalf("accepted %q with subject %q", token, got.Subject)
			}
			if err == nil && slices.ContainsFunc(got.Scopes, func(s string) bool { return !ValidScopeToken(s) }) {
				t.Fatalf("accepted %q with scopes %q", token, got.Scopes)
			}
			if err != nil && (apperr.CodeOf(err) != apperr.Unauthenticated || apperr.MessageOf(err) != msgInvalid) {
				t.Fatalf("err = %v, want an Unauthenticated %q", err, msgInvalid)
			}
		}
	})
}
