package auth

import (
	"errors"
	"fmt"

	"github.com/golang-jwt/jwt/v5"

	"github.com/dailyreports/dailyreports/internal/viewer"
)

// Verify checks an HS256 token signed with the signer's key and returns the
// viewer it authenticates. exp, iss and aud are required and must match,
// nbf is honoured, both within the configured leeway, and all three must be
// JSON numbers; a crit header is refused; sub must be set, at most
// MaxSubjectLen bytes of UTF-8 without control characters; tenant_id, when
// present, must be a canonical non-nil UUID; scope must be scope tokens
// separated by spaces (ParseScope). Any failure,
// including another algorithm or alg "none", is an apperr Unauthenticated
// error with the message "invalid token" wrapping the cause.
func (s *Signer) Verify(token string) (viewer.Viewer, error) {
	v, err := s.verify(token)
	if err != nil {
		return viewer.Viewer{}, invalidToken(err)
	}
	return v, nil
}

func (s *Signer) verify(token string) (viewer.Viewer, error) {
	if len(token) > maxTokenLen {
		return viewer.Viewer{}, errors.New("token too long")
	}
	var c claims
	if _, err := s.parser.ParseWithClaims(token, &c, s.keyFor); err != nil {
		return viewer.Viewer{}, err
	}
	return c.viewer()
}

// keyFor returns the key for t. The parser already pins HS256; checking again
// here keeps the key from ever reaching another algorithm's verifier.
func (s *Signer) keyFor(t *jwt.Token) (any, error) {
	if t.Method != jwt.SigningMethodHS256 {
		return nil, fmt.Errorf("unexpected signing method %v", t.Header["alg"])
	}
	if err := checkCrit(t); err != nil {
		return nil, err
	}
	return s.key, nil
}

// checkCrit refuses a token whose header has a crit parameter. RFC 7515
// §4.1.11: a recipient must reject a token naming, in crit, an extension it
// does not understand, and this service understands none.
func checkCrit(t *jwt.Token) error {
	if _, ok := t.Header["crit"]; ok {
		return fmt.Errorf("crit header %v names extensions this service does not understand", t.Header["crit"])
	}
	return nil
}
