package auth

import (
	"errors"
	"strings"
)

// errBadScope is why a scope string is refused.
var errBadScope = errors.New("scope tokens must be printable ASCII other than space, quote and backslash, separated by spaces")

// ParseScope splits a scope parameter or claim into its scope tokens (RFC
// 6749 §3.3): tokens are separated by spaces (%x20) only, and each is made
// of %x21, %x23-5B and %x5D-7E. Runs of spaces and spaces at either end are
// tolerated; a tab, a newline or any other character outside that set is an
// error, never a separator. An empty scope has no tokens.
func ParseScope(s string) ([]string, error) {
	var out []string
	for tok := range strings.SplitSeq(s, " ") {
		if tok == "" {
			continue
		}
		if !ValidScopeToken(tok) {
			return nil, errBadScope
		}
		out = append(out, tok)
	}
	return out, nil
}

// ValidScopeToken reports whether tok is one scope token of RFC 6749 §3.3.
func ValidScopeToken(tok string) bool {
	if tok == "" {
		return false
	}
	for i := range len(tok) {
		c := tok[i]
		if c < 0x21 || c > 0x7e || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}
