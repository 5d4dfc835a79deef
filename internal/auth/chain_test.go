package auth

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"github.com/dailyreports/dailyreports/internal/viewer"
)

// fakeVerifier stands in for a JWKS verifier: it accepts one algorithm and
// trusts every token it is handed.
type fakeVerifier struct {
	alg   string
	calls int
}

func (f *fakeVerifier) Accepts(h Header) bool { return h.Alg == f.alg }

func (f *fakeVerifier) Verify(string) (viewer.Viewer, error) {
	f.calls++
	return viewer.Viewer{Subject: "external"}, nil
}

func TestChainRoutesByHeader(t *testing.T) {
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	valid := tenantClaims(nil)
	tests := []struct {
		name      string
		token     string
		subject   string // "" means rejected
		fakeCalls int
	}{
		{"own token to signer", hs256(t, valid), "client-1", 0},
		{"ES256 to external", mustSign(t, jwt.SigningMethodES256, ecKey, valid), "external", 1},
		{"bad HS256 stays with signer", mustSign(t, jwt.SigningMethodHS256, []byte("wrong-key-wrong-key-wrong-key-!!"), valid), "", 0},
		{"alg none has no taker", mustSign(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, valid), "", 0},
		{"HS512 has no taker", mustSign(t, jwt.SigningMethodHS512, []byte(testKey), valid), "", 0},
		{"malformed header", "e30x.e30.sig", "", 0},
		{"header without alg", "e30.e30.sig", "", 0},
		{"garbage", "garbage", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := &fakeVerifier{alg: "ES256"}
			v, err := Chain{mustSigner(t), fake}.Verify(tt.token)
			if tt.subject == "" {
				assertUnauthenticated(t, err, msgInvalid)
			} else if err != nil || v.Subject != tt.subject {
				t.Fatalf("Verify = %+v, %v; want subject %q", v, err, tt.subject)
			}
			if fake.calls != tt.fakeCalls {
				t.Errorf("external verifier called %d times, want %d", fake.calls, tt.fakeCalls)
			}
		})
	}
}
