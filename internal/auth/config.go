package auth

import (
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// Config configures a Signer.
type Config struct {
	// SigningKey is the HS256 key, at least MinKeyLen bytes.
	SigningKey []byte
	// Issuer and Audience are written into issued tokens and required in
	// verified ones; neither may be empty.
	Issuer, Audience string
	// Leeway is the clock skew tolerated on exp and nbf; zero means
	// DefaultLeeway.
	Leeway time.Duration
}

// String describes the config with the signing key masked.
func (c Config) String() string {
	return fmt.Sprintf("auth.Config{Issuer:%q Audience:%q Leeway:%s SigningKey:%s}",
		c.Issuer, c.Audience, c.Leeway, maskKey(c.SigningKey))
}

// LogValue logs the config with the signing key masked.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("issuer", c.Issuer),
		slog.String("audience", c.Audience),
		slog.Duration("leeway", c.Leeway),
		slog.String("signing_key", maskKey(c.SigningKey)),
	)
}

func maskKey(key []byte) string { return fmt.Sprintf("[%d bytes redacted]", len(key)) }

func (c Config) validate() error {
	switch {
	case len(c.SigningKey) < MinKeyLen:
		return fmt.Errorf("signing key is %d bytes, want at least %d", len(c.SigningKey), MinKeyLen)
	case c.Issuer == "":
		return errors.New("issuer is empty")
	case c.Audience == "":
		return errors.New("audience is empty")
	case c.Leeway < 0:
		return fmt.Errorf("leeway %s is negative", c.Leeway)
	}
	return nil
}

func (c Config) leeway() time.Duration {
	if c.Leeway == 0 {
		return DefaultLeeway
	}
	return c.Leeway
}
