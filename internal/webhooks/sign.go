// Package webhooks tells integrators when reports are ready: endpoints that
// host administrators register, events raised by generation and erasure,
// the outbox of deliveries (rows in the database, the record of truth), and
// delivery itself, signed as the Standard Webhooks specification describes
// (webhook-id, webhook-timestamp, webhook-signature) so receivers verify
// messages with its published libraries. Delivery is at least once: one
// task per attempt with a deterministic id, a claim on the delivery's row so
// no two workers make one attempt at once, retries after configured waits,
// and a sweep that finds again what the queue lost.
package webhooks

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"time"
)

// secretPrefix starts every signing secret, as in Standard Webhooks.
const secretPrefix = "whsec_"

// secretBytes is the size of a new secret's key (the specification asks for
// 24 to 64 bytes).
const secretBytes = 32

// NewSecret returns a new signing secret: "whsec_" and the base64 of 32
// random bytes.
func NewSecret() string {
	b := make([]byte, secretBytes)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return secretPrefix + base64.StdEncoding.EncodeToString(b)
}

// errSecret is the error of a secret that is not "whsec_" and base64.
var errSecret = errors.New("webhooks: malformed signing secret")

// Sign returns the webhook-signature header of a message: "v1," and the
// base64 of the HMAC-SHA256 of "id.timestamp.body", keyed with the
// base64-decoded part of secret after "whsec_".
func Sign(secret, id string, at time.Time, body []byte) (string, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, secretPrefix))
	if err != nil || !strings.HasPrefix(secret, secretPrefix) || len(key) == 0 {
		return "", errSecret
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id + "." + strconv.FormatInt(at.Unix(), 10) + "."))
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil)), nil
}
