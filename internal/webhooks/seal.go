package webhooks

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"

	"github.com/google/uuid"
)

// sealInfo names the key derived for webhook secrets, so it is never the
// key of anything else derived from the same material.
const sealInfo = "dailyreports webhook secrets v1"

// sealVersion is the first byte of a sealed secret.
const sealVersion = 1

// ErrUnsealable is the error of a secret sealed under another key: the key
// material changed since the webhook was created.
var ErrUnsealable = errors.New("webhooks: the secret cannot be opened with the configured key")

// Sealer encrypts signing secrets at rest with AES-256-GCM, under a key
// derived with HKDF-SHA256 from the configured material. Each secret is
// bound to its webhook's id (the additional data), so a sealed secret copied
// to another row does not open.
type Sealer struct {
	aead cipher.AEAD
}

// NewSealer derives the sealing key from material (at least 32 bytes:
// WEBHOOK_SECRET_KEY, else AUTH_SIGNING_KEY).
func NewSealer(material []byte) (*Sealer, error) {
	if len(material) < 32 {
		return nil, errors.New("webhooks: the key material must have at least 32 bytes")
	}
	key, err := hkdf.Key(sha256.New, material, nil, sealInfo, 32)
	if err != nil {
		return nil, fmt.Errorf("webhooks: derive key: %w", err)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("webhooks: cipher: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("webhooks: gcm: %w", err)
	}
	return &Sealer{aead: aead}, nil
}

// Seal encrypts the secret of webhook id: a version byte, a random nonce,
// then the ciphertext and its tag.
func (s *Sealer) Seal(secret string, id uuid.UUID) []byte {
	nonce := make([]byte, s.aead.NonceSize(), 1+s.aead.NonceSize()+len(secret)+s.aead.Overhead())
	_, _ = rand.Read(nonce)
	out := append([]byte{sealVersion}, nonce...)
	return s.aead.Seal(out, nonce, []byte(secret), id[:])
}

// Open decrypts a secret Seal sealed for webhook id, or returns
// ErrUnsealable.
func (s *Sealer) Open(sealed []byte, id uuid.UUID) (string, error) {
	n := s.aead.NonceSize()
	if len(sealed) < 1+n || sealed[0] != sealVersion {
		return "", ErrUnsealable
	}
	plain, err := s.aead.Open(nil, sealed[1:1+n], sealed[1+n:], id[:])
	if err != nil {
		return "", ErrUnsealable
	}
	return string(plain), nil
}
