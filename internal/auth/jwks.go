package auth

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/MicahParks/jwkset"
	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/time/rate"

	"github.com/dailyreports/dailyreports/internal/viewer"
)

// JWKSConfig configures a JWKS verifier.
type JWKSConfig struct {
	// URL is the identity provider's JWK Set.
	URL string
	// Issuer and Audience are required in verified tokens, as for the
	// service's own.
	Issuer, Audience string
	// Leeway is the clock skew tolerated on exp and nbf; zero means
	// DefaultLeeway.
	Leeway time.Duration
	// Refresh is how often the set is fetched again (0 means an hour);
	// UnknownKeyRefresh how often, at most, a token naming an unknown key
	// fetches it early (0 means five minutes).
	Refresh, UnknownKeyRefresh time.Duration
	// Client fetches the set (nil means a client with a 10 s timeout).
	Client *http.Client
	Log    *slog.Logger
}

// JWKS verifies RS256 and ES256 tokens of an external identity provider
// against the keys of its JWK Set, which it keeps fresh in the background
// until ctx ends. Claims are read as for the service's own tokens: sub,
// tenant_id and scope; exp, iss and aud are required.
type JWKS struct {
	keys   jwkset.Storage
	parser *jwt.Parser
}

// jwksAlgs are the algorithms JWKS accepts.
var jwksAlgs = []string{jwt.SigningMethodRS256.Alg(), jwt.SigningMethodES256.Alg()}

// NewJWKS returns a verifier of cfg's identity provider. It fails only on a
// malformed configuration: a set that cannot be fetched yet is fetched
// again later, and its tokens are refused meanwhile.
func NewJWKS(ctx context.Context, cfg JWKSConfig) (*JWKS, error) {
	if cfg.Issuer == "" || cfg.Audience == "" {
		return nil, errors.New("auth: jwks: issuer and audience are required")
	}
	log := cfg.Log
	if log == nil {
		log = slog.Default()
	}
	client := cfg.Client
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	remote, err := jwkset.NewStorageFromHTTP(cfg.URL, jwkset.HTTPClientStorageOptions{
		Ctx: ctx, Client: client, HTTPTimeout: 10 * time.Second,
		NoErrorReturnFirstHTTPReq: true,
		RefreshInterval:           orDefault(cfg.Refresh, time.Hour),
		RefreshErrorHandler: func(ctx context.Context, err error) {
			log.WarnContext(ctx, "jwks: fetching the key set failed", "url", cfg.URL, "err", err)
		},
	})
	if err != nil {
		return nil, fmt.Errorf("auth: jwks: %w", err)
	}
	keys, err := jwkset.NewHTTPClient(jwkset.HTTPClientOptions{
		HTTPURLs:          map[string]jwkset.Storage{cfg.URL: remote},
		RateLimitWaitMax:  5 * time.Second,
		RefreshUnknownKID: rate.NewLimiter(rate.Every(orDefault(cfg.UnknownKeyRefresh, 5*time.Minute)), 1),
	})
	if err != nil {
		return nil, fmt.Errorf("auth: jwks: %w", err)
	}
	return &JWKS{keys: keys, parser: jwt.NewParser(
		jwt.WithValidMethods(jwksAlgs),
		jwt.WithExpirationRequired(),
		jwt.WithIssuer(cfg.Issuer),
		jwt.WithAudience(cfg.Audience),
		jwt.WithLeeway(orDefault(cfg.Leeway, DefaultLeeway)),
	)}, nil
}

func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// Accepts claims RS256 and ES256 tokens.
func (j *JWKS) Accepts(h Header) bool {
	return h.Alg == jwksAlgs[0] || h.Alg == jwksAlgs[1]
}

// Verify checks token against the identity provider's keys and returns the
// viewer it authenticates; every failure is Unauthenticated "invalid token".
func (j *JWKS) Verify(token string) (viewer.Viewer, error) {
	if len(token) > maxTokenLen {
		return viewer.Viewer{}, invalidToken(errors.New("token too long"))
	}
	var c claims
	if _, err := j.parser.ParseWithClaims(token, &c, j.keyFor); err != nil {
		return viewer.Viewer{}, invalidToken(err)
	}
	v, err := c.viewer()
	if err != nil {
		return viewer.Viewer{}, invalidToken(err)
	}
	return v, nil
}

// keyFor returns the public key the token's kid names, when it suits the
// token's algorithm: an RSA key for RS256, a P-256 key for ES256, and the
// key's own alg and use, when it states them, must agree.
func (j *JWKS) keyFor(t *jwt.Token) (any, error) {
	if err := checkCrit(t); err != nil {
		return nil, err
	}
	kid, _ := t.Header["kid"].(string)
	if kid == "" {
		return nil, errors.New("token names no key (kid)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	k, err := j.keys.KeyRead(ctx, kid)
	if err != nil {
		return nil, fmt.Errorf("key %q: %w", kid, err)
	}
	m := k.Marshal()
	if (m.ALG != "" && string(m.ALG) != t.Method.Alg()) || (m.USE != "" && m.USE != jwkset.UseSig) {
		return nil, fmt.Errorf("key %q is not for %s signatures", kid, t.Method.Alg())
	}
	switch key := k.Key().(type) {
	case *rsa.PublicKey:
		if t.Method == jwt.SigningMethodRS256 {
			return key, nil
		}
	case *ecdsa.PublicKey:
		if t.Method == jwt.SigningMethodES256 && key.Curve == elliptic.P256() {
			return key, nil
		}
	}
	return nil, fmt.Errorf("key %q does not suit %s", kid, t.Method.Alg())
}
