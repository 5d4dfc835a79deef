package auth

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/dailyreports/dailyreports/internal/viewer"
)

// Header is the part of a token's unverified JOSE header that routes it to
// a verifier.
type Header struct {
	Alg string `json:"alg"`
	Kid string `json:"kid"`
}

// Acceptor is a Verifier that tells from a token's unverified header whether
// the token is meant for it. Accepts only routes: the verifier still pins
// its own algorithms and checks the signature itself.
type Acceptor interface {
	Verifier
	Accepts(h Header) bool
}

// Chain is a Verifier over several verifiers, such as the Signer and a JWKS
// verifier. It hands each token to the first member that accepts its header,
// and that member's answer is final: a token is never retried against
// another member's keys or algorithms, and a token no member accepts is
// invalid.
type Chain []Acceptor

// Verify routes token by its header to the first accepting member.
func (c Chain) Verify(token string) (viewer.Viewer, error) {
	h, err := parseHeader(token)
	if err != nil {
		return viewer.Viewer{}, invalidToken(err)
	}
	for _, v := range c {
		if v.Accepts(h) {
			return v.Verify(token)
		}
	}
	return viewer.Viewer{}, invalidToken(fmt.Errorf("no verifier for alg %q", h.Alg))
}

func parseHeader(token string) (Header, error) {
	if len(token) > maxTokenLen || strings.Count(token, ".") != 2 {
		return Header{}, errors.New("malformed token")
	}
	seg, _, _ := strings.Cut(token, ".")
	raw, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		return Header{}, fmt.Errorf("malformed header: %w", err)
	}
	var h Header
	if err := json.Unmarshal(raw, &h); err != nil {
		return Header{}, fmt.Errorf("malformed header: %w", err)
	}
	if h.Alg == "" {
		return Header{}, errors.New("header without alg")
	}
	return h, nil
}
