// Package oauth is the service's OAuth 2.0 authorization server for the
// client-credentials grant (RFC 6749 §4.4): API clients created by host
// administrators, their secrets, and the token endpoint that exchanges them
// for the bearer tokens every route accepts.
package oauth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// Prefixes make client ids and secrets recognisable, to people and to
// secret scanners.
const (
	clientIDPrefix = "drc_"
	secretPrefix   = "drs_"
	hashScheme     = "sha256"
)

// newClientID returns a fresh client id: public, unguessable, URL-safe.
func newClientID() string { return clientIDPrefix + strings.ToLower(rand.Text()) }

// newSecret returns a fresh secret of 32 random bytes, URL-safe (so HTTP
// Basic needs no escaping of it).
func newSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return secretPrefix + base64.RawURLEncoding.EncodeToString(b)
}

// hashSecret returns the stored form of secret: "sha256$<salt>$<digest>",
// hex-encoded, over a random 16-byte salt. The secret carries 256 random
// bits, so a fast hash cannot be brute-forced; the salt keeps equal secrets
// apart.
func hashSecret(secret string) string {
	salt := make([]byte, 16)
	_, _ = rand.Read(salt)
	return hashScheme + "$" + hex.EncodeToString(salt) + "$" + hex.EncodeToString(digest(salt, secret))
}

func digest(salt []byte, secret string) []byte {
	h := sha256.New()
	h.Write(salt)
	h.Write([]byte(secret))
	return h.Sum(nil)
}

// checkSecret reports whether secret matches stored, comparing the digests
// in constant time.
func checkSecret(stored, secret string) bool {
	scheme, rest, _ := strings.Cut(stored, "$")
	saltHex, sumHex, _ := strings.Cut(rest, "$")
	salt, err1 := hex.DecodeString(saltHex)
	sum, err2 := hex.DecodeString(sumHex)
	if scheme != hashScheme || err1 != nil || err2 != nil || len(salt) == 0 || len(sum) != sha256.Size {
		return false
	}
	return subtle.ConstantTimeCompare(digest(salt, secret), sum) == 1
}

// decoyHash is compared against when a client id is unknown, so an unknown
// id costs the same as a wrong secret.
var decoyHash = hashSecret(newSecret())
