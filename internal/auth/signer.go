package auth

import (
	"bytes"
	"fmt"

	"github.com/golang-jwt/jwt/v5"
)

// Signer issues and verifies the service's own HS256 tokens. It is safe for
// concurrent use.
type Signer struct {
	key      []byte
	issuer   string
	audience string
	parser   *jwt.Parser
}

// NewSigner returns a Signer for cfg. It fails when the key is shorter than
// MinKeyLen bytes, when the issuer or audience is empty (their checks would
// be skipped) or when the leeway is negative.
func NewSigner(cfg Config) (*Signer, error) {
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("auth: new signer: %w", err)
	}
	return &Signer{
		key:      bytes.Clone(cfg.SigningKey),
		issuer:   cfg.Issuer,
		audience: cfg.Audience,
		parser: jwt.NewParser(
			jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
			jwt.WithExpirationRequired(),
			jwt.WithIssuer(cfg.Issuer),
			jwt.WithAudience(cfg.Audience),
			jwt.WithLeeway(cfg.leeway()),
		),
	}, nil
}

// Accepts reports whether a token with header h is meant for the signer:
// it claims every HS256 token, so a Chain never hands one to another
// verifier.
func (s *Signer) Accepts(h Header) bool { return h.Alg == jwt.SigningMethodHS256.Alg() }
