package graph_test

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/MicahParks/jwkset"
	"github.com/golang-jwt/jwt/v5"

	"github.com/dailyreports/dailyreports/internal/apptest"
)

// Tokens of an external identity provider (AUTH_JWKS_URL) work on GraphQL
// and REST alike.
func TestExternalIdentityProvider(t *testing.T) {
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	jwk, err := jwkset.NewJWKFromKey(&key.PublicKey, jwkset.JWKOptions{Metadata: jwkset.JWKMetadataOptions{KID: "idp-1", ALG: jwkset.AlgRS256, USE: jwkset.UseSig}})
	if err != nil {
		t.Fatal(err)
	}
	idp := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(jwkset.JWKSMarshal{Keys: []jwkset.JWKMarshal{jwk.Marshal()}})
	}))
	defer idp.Close()
	w := newWorld(t, apptest.Options{Env: map[string]string{"AUTH_JWKS_URL": idp.URL}})

	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{
		"sub": "user@idp", "tenant_id": w.a.String(), "scope": "dataservice_external",
		"iss": "dailyreports", "aud": "dailyreports", "exp": time.Now().Add(time.Hour).Unix(),
	})
	tok.Header["kid"] = "idp-1"
	signed, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	var d viewerData
	do(t, w.e, signed, viewerQuery, nil).ok(t, &d)
	if d.Viewer.Subject != "user@idp" || d.Viewer.Tenant == nil || d.Viewer.Tenant.ID != w.a.String() {
		t.Fatalf("viewer %+v", d.Viewer)
	}
	if body, _ := rest(t, w.e, signed, yesterday(), 1, false); len(body) == 0 {
		t.Fatal("empty REST answer")
	}
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	forged, _ := tok.SignedString(other)
	do(t, w.e, forged, viewerQuery, nil).wantCode(t, "UNAUTHENTICATED")
}
