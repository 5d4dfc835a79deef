package auth

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/MicahParks/jwkset"
	"github.com/golang-jwt/jwt/v5"
)

// idp is a local identity provider: its JWK Set over HTTP, and its keys.
type idp struct {
	srv  *httptest.Server
	mu   sync.Mutex
	keys map[string]any // kid -> public key
	hits int
}

func newIdP(t *testing.T) *idp {
	p := &idp{keys: map[string]any{}}
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.hits++
		var set jwkset.JWKSMarshal
		for kid, pub := range p.keys {
			k, err := jwkset.NewJWKFromKey(pub, jwkset.JWKOptions{Metadata: jwkset.JWKMetadataOptions{KID: kid, USE: jwkset.UseSig}})
			if err != nil {
				t.Errorf("jwk: %v", err)
				return
			}
			set.Keys = append(set.Keys, k.Marshal())
		}
		_ = json.NewEncoder(w).Encode(set)
	}))
	t.Cleanup(p.srv.Close)
	return p
}

func (p *idp) add(kid string, pub any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.keys[kid] = pub
}

func signKid(t *testing.T, m jwt.SigningMethod, key any, kid string, c jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(m, c)
	tok.Header["kid"] = kid
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestJWKS(t *testing.T) {
	p := newIdP(t)
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ec384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	p.add("rsa-1", &rsaKey.PublicKey)
	p.add("ec-1", &ecKey.PublicKey)
	p.add("ec-384", &ec384.PublicKey)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	j, err := NewJWKS(ctx, JWKSConfig{URL: p.srv.URL, Issuer: testIssuer, Audience: testAudience, UnknownKeyRefresh: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	chain := Chain{mustSigner(t), j}

	for name, tok := range map[string]string{
		"RS256":     signKid(t, jwt.SigningMethodRS256, rsaKey, "rsa-1", tenantClaims(nil)),
		"ES256":     signKid(t, jwt.SigningMethodES256, ecKey, "ec-1", tenantClaims(nil)),
		"own HS256": hs256(t, tenantClaims(nil)),
	} {
		v, err := chain.Verify(tok)
		if err != nil || v.Subject != "client-1" || v.TenantID != testTenant || !v.Has("dataservice_external") {
			t.Fatalf("%s: %+v %v", name, v, err)
		}
	}

	// A key published after start is fetched when a token names it.
	rotated, _ := rsa.GenerateKey(rand.Reader, 2048)
	p.add("rsa-2", &rotated.PublicKey)
	if _, err := chain.Verify(signKid(t, jwt.SigningMethodRS256, rotated, "rsa-2", tenantClaims(nil))); err != nil {
		t.Fatalf("rotated key: %v", err)
	}

	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	bad := map[string]string{
		"signed by another key":   signKid(t, jwt.SigningMethodRS256, other, "rsa-1", tenantClaims(nil)),
		"unknown kid":             signKid(t, jwt.SigningMethodRS256, other, "nope", tenantClaims(nil)),
		"no kid":                  mustSign(t, jwt.SigningMethodRS256, rsaKey, tenantClaims(nil)),
		"RSA key named for ES256": signKid(t, jwt.SigningMethodES256, ecKey, "rsa-1", tenantClaims(nil)),
		"P-384 key for ES256":     signKid(t, jwt.SigningMethodES256, ecKey, "ec-384", tenantClaims(nil)),
		"RS384":                   signKid(t, jwt.SigningMethodRS384, rsaKey, "rsa-1", tenantClaims(nil)),
		"expired":                 signKid(t, jwt.SigningMethodRS256, rsaKey, "rsa-1", tenantClaims(func(c jwt.MapClaims) { c["exp"] = time.Now().Add(-time.Hour).Unix() })),
		"no exp":                  signKid(t, jwt.SigningMethodRS256, rsaKey, "rsa-1", tenantClaims(func(c jwt.MapClaims) { delete(c, "exp") })),
		"wrong issuer":            signKid(t, jwt.SigningMethodRS256, rsaKey, "rsa-1", tenantClaims(func(c jwt.MapClaims) { c["iss"] = "evil" })),
		"wrong audience":          signKid(t, jwt.SigningMethodRS256, rsaKey, "rsa-1", tenantClaims(func(c jwt.MapClaims) { c["aud"] = "other" })),
		"tenant and host_admin":   signKid(t, jwt.SigningMethodRS256, rsaKey, "rsa-1", tenantClaims(func(c jwt.MapClaims) { c["scope"] = "host_admin" })),
		"exp as a string":         signKid(t, jwt.SigningMethodRS256, rsaKey, "rsa-1", tenantClaims(func(c jwt.MapClaims) { c["exp"] = strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10) })),
		"NUL in sub":              signKid(t, jwt.SigningMethodRS256, rsaKey, "rsa-1", tenantClaims(func(c jwt.MapClaims) { c["sub"] = "idp\x00user" })),
		"tab-separated scope":     signKid(t, jwt.SigningMethodRS256, rsaKey, "rsa-1", tenantClaims(func(c jwt.MapClaims) { c["scope"] = "dataservice_external\tconversations.write" })),
		"crit header":             signCrit(t, rsaKey, "rsa-1"),
		// The RSA public key used as an HMAC secret: routed to the signer, refused.
		"HS256 with the public key": hs256WithKey(t, rsaKey),
	}
	for name, tok := range bad {
		t.Run(name, func(t *testing.T) {
			_, err := chain.Verify(tok)
			assertUnauthenticated(t, err, "invalid token")
		})
	}
}

// signCrit signs valid claims with key, named kid, and a crit header.
func signCrit(t *testing.T, key *rsa.PrivateKey, kid string) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, tenantClaims(nil))
	tok.Header["kid"] = kid
	tok.Header["crit"] = []string{"exp"}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func hs256WithKey(t *testing.T, k *rsa.PrivateKey) string {
	b, _ := json.Marshal(k.PublicKey)
	return mustSign(t, jwt.SigningMethodHS256, b, tenantClaims(nil))
}

func TestJWKSUnreachable(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	j, err := NewJWKS(ctx, JWKSConfig{URL: "http://127.0.0.1:1/jwks.json", Issuer: testIssuer, Audience: testAudience})
	if err != nil {
		t.Fatalf("an unreachable set must not fail the start: %v", err)
	}
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	_, err = j.Verify(signKid(t, jwt.SigningMethodRS256, key, "k", tenantClaims(nil)))
	assertUnauthenticated(t, err, "invalid token")
	if _, err := NewJWKS(ctx, JWKSConfig{URL: "not a url", Issuer: testIssuer, Audience: testAudience}); err == nil {
		t.Fatal("a malformed URL was accepted")
	}
}
