package auth

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestNewSignerRejectsBadConfig(t *testing.T) {
	key := []byte(testKey)
	tests := []struct {
		name string
		cfg  Config
	}{
		{"short key", Config{SigningKey: key[:31], Issuer: "i", Audience: "a"}},
		{"no key", Config{Issuer: "i", Audience: "a"}},
		{"empty issuer", Config{SigningKey: key, Audience: "a"}},
		{"empty audience", Config{SigningKey: key, Issuer: "i"}},
		{"negative leeway", Config{SigningKey: key, Issuer: "i", Audience: "a", Leeway: -time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewSigner(tt.cfg)
			if err == nil || !strings.HasPrefix(err.Error(), "auth: new signer: ") {
				t.Fatalf("err = %v, want an auth: new signer error", err)
			}
		})
	}
}

func TestNewSignerCopiesKey(t *testing.T) {
	key := []byte(testKey)
	s, err := NewSigner(Config{SigningKey: key, Issuer: testIssuer, Audience: testAudience})
	if err != nil {
		t.Fatal(err)
	}
	key[0] ^= 0xff
	if _, err := s.Verify(hs256(t, tenantClaims(nil))); err != nil {
		t.Fatalf("caller's change to the key reached the signer: %v", err)
	}
}

func TestConfigMasksKey(t *testing.T) {
	cfg := Config{SigningKey: []byte(testKey), Issuer: testIssuer, Audience: testAudience}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("config", "auth", cfg)
	for _, out := range []string{fmt.Sprint(cfg), fmt.Sprintf("%+v", cfg), buf.String()} {
		if strings.Contains(out, testKey) || strings.Contains(out, "dGVzdC1zaWdu") {
			t.Errorf("key leaked: %s", out)
		}
		if !strings.Contains(out, "redacted") {
			t.Errorf("no redaction marker: %s", out)
		}
	}
}
