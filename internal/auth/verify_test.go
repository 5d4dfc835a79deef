package auth

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/dailyreports/dailyreports/internal/viewer"
)

type tokenCase struct {
	name  string
	token string
}

// rejectedTokens returns tokens Verify must reject, each hand-crafted.
func rejectedTokens(tb testing.TB) []tokenCase {
	tb.Helper()
	valid := tenantClaims(nil)
	without := func(k string) jwt.MapClaims { return tenantClaims(func(c jwt.MapClaims) { delete(c, k) }) }
	with := func(k string, v any) jwt.MapClaims { return tenantClaims(func(c jwt.MapClaims) { c[k] = v }) }
	now := time.Now()
	return append(algorithmTokens(tb, valid), []tokenCase{
		{"wrong key", mustSign(tb, jwt.SigningMethodHS256, []byte(strings.Repeat("k", 32)), valid)},
		{"tampered payload", splice(hs256(tb, valid), hs256(tb, with("sub", "mallory")))},
		{"no signature", strings.Join(strings.SplitAfterN(hs256(tb, valid), ".", 3)[:2], "")},
		{"expired", hs256(tb, with("exp", now.Add(-time.Hour).Unix()))},
		{"expired beyond leeway", hs256(tb, with("exp", now.Add(-DefaultLeeway-5*time.Second).Unix()))},
		{"not yet valid", hs256(tb, with("nbf", now.Add(time.Hour).Unix()))},
		{"missing exp", hs256(tb, without("exp"))},
		{"exp as string", hs256(tb, with("exp", "soon"))},
		{"exp as numeric string", hs256(tb, with("exp", strconv.FormatInt(now.Add(time.Hour).Unix(), 10)))},
		{"exp null", hs256(tb, with("exp", nil))},
		{"nbf as numeric string", hs256(tb, with("nbf", strconv.FormatInt(now.Unix(), 10)))},
		{"iat as numeric string", hs256(tb, with("iat", strconv.FormatInt(now.Unix(), 10)))},
		{"crit header", withHeader(tb, "crit", []string{"exp"}, valid)},
		{"crit b64 header", withHeader(tb, "crit", []string{"b64"}, valid)},
		{"empty crit header", withHeader(tb, "crit", []string{}, valid)},
		{"wrong iss", hs256(tb, with("iss", "someone-else"))},
		{"missing iss", hs256(tb, without("iss"))},
		{"wrong aud", hs256(tb, with("aud", "another-api"))},
		{"wrong aud list", hs256(tb, with("aud", []string{"a", "b"}))},
		{"missing aud", hs256(tb, without("aud"))},
		{"empty sub", hs256(tb, with("sub", ""))},
		{"blank sub", hs256(tb, with("sub", "  "))},
		{"missing sub", hs256(tb, without("sub"))},
		{"NUL in sub", hs256(tb, with("sub", "client\x00-1"))},
		{"newline in sub", hs256(tb, with("sub", "client\n-1"))},
		{"C1 control in sub", hs256(tb, with("sub", "client\u0085"))},
		{"long sub", hs256(tb, with("sub", strings.Repeat("s", MaxSubjectLen+1)))},
		{"numeric sub", hs256(tb, with("sub", 42))},
		{"malformed tenant_id", hs256(tb, with("tenant_id", "not-a-uuid"))},
		{"braced tenant_id", hs256(tb, with("tenant_id", "{"+testTenant.String()+"}"))},
		{"nil tenant_id", hs256(tb, with("tenant_id", "00000000-0000-0000-0000-000000000000"))},
		{"empty tenant_id", hs256(tb, with("tenant_id", ""))},
		{"numeric tenant_id", hs256(tb, with("tenant_id", 42))},
		{"scope as list", hs256(tb, with("scope", []string{"a"}))},
		{"tab-separated scope", hs256(tb, with("scope", "dataservice_external\tconversations.write"))},
		{"newline in scope", hs256(tb, with("scope", "dataservice_external\nconversations.write"))},
		{"NUL in scope", hs256(tb, with("scope", "dataservice_external\x00"))},
		{"tenant with host_admin", hs256(tb, with("scope", "dataservice_external host_admin"))},
		{"empty", ""},
		{"garbage", "not a token"},
		{"four segments", hs256(tb, valid) + ".x"},
		{"too long", hs256(tb, with("pad", strings.Repeat("x", maxTokenLen)))},
	}...)
}

// algorithmTokens returns valid claims signed with everything but HS256 and
// the right key: algorithm confusion and alg none.
func algorithmTokens(tb testing.TB, c jwt.MapClaims) []tokenCase {
	tb.Helper()
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		tb.Fatal(err)
	}
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(&rsaKey.PublicKey)
	if err != nil {
		tb.Fatal(err)
	}
	pub := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	return []tokenCase{
		{"alg none", mustSign(tb, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, c)},
		{"RS256", mustSign(tb, jwt.SigningMethodRS256, rsaKey, c)},
		{"ES256", mustSign(tb, jwt.SigningMethodES256, ecKey, c)},
		{"HS256 with public key as secret", mustSign(tb, jwt.SigningMethodHS256, pub, c)},
		{"HS384 with right key", mustSign(tb, jwt.SigningMethodHS384, []byte(testKey), c)},
		{"HS512 with right key", mustSign(tb, jwt.SigningMethodHS512, []byte(testKey), c)},
	}
}

// withHeader signs c with the test key and the header parameter k set to v.
func withHeader(tb testing.TB, k string, v any, c jwt.MapClaims) string {
	tb.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, c)
	tok.Header[k] = v
	s, err := tok.SignedString([]byte(testKey))
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// splice returns a's header and signature around b's payload.
func splice(a, b string) string {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	return pa[0] + "." + pb[1] + "." + pa[2]
}

func TestVerifyRejects(t *testing.T) {
	s := mustSigner(t)
	for _, tt := range rejectedTokens(t) {
		t.Run(tt.name, func(t *testing.T) {
			v, err := s.Verify(tt.token)
			assertUnauthenticated(t, err, msgInvalid)
			t.Log(err)
			if v.Subject != "" || len(v.Scopes) != 0 {
				t.Errorf("rejected token yielded viewer %+v", v)
			}
		})
	}
}

func TestVerifyAccepts(t *testing.T) {
	s := mustSigner(t)
	now := time.Now()
	skew := DefaultLeeway - 10*time.Second
	tests := []struct {
		name   string
		claims jwt.MapClaims
		host   bool
	}{
		{"tenant", tenantClaims(nil), false},
		{"host", tenantClaims(func(c jwt.MapClaims) {
			delete(c, "tenant_id")
			c["scope"] = viewer.ScopeHostAdmin
		}), true},
		{"aud in a list", tenantClaims(func(c jwt.MapClaims) { c["aud"] = []string{"other", testAudience} }), false},
		{"expired within leeway", tenantClaims(func(c jwt.MapClaims) { c["exp"] = now.Add(-skew).Unix() }), false},
		{"nbf within leeway", tenantClaims(func(c jwt.MapClaims) { c["nbf"] = now.Add(skew).Unix() }), false},
		{"no nbf", tenantClaims(func(c jwt.MapClaims) { delete(c, "nbf") }), false},
		{"fractional exp", tenantClaims(func(c jwt.MapClaims) { c["exp"] = float64(now.Add(time.Hour).Unix()) + 0.5 }), false},
		{"spaces around scope", tenantClaims(func(c jwt.MapClaims) { c["scope"] = "  dataservice_external  " }), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := s.Verify(hs256(t, tt.claims))
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if v.Subject != "client-1" || v.IsHost() != tt.host {
				t.Errorf("viewer = %+v", v)
			}
		})
	}
}

func TestVerifyHonoursConfiguredLeeway(t *testing.T) {
	s, err := NewSigner(Config{SigningKey: []byte(testKey), Issuer: testIssuer, Audience: testAudience, Leeway: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	tok := hs256(t, tenantClaims(func(c jwt.MapClaims) { c["exp"] = time.Now().Add(-10 * time.Second).Unix() }))
	_, err = s.Verify(tok)
	assertUnauthenticated(t, err, msgInvalid)
}
