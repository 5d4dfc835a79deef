package testenv

import (
	"crypto/rand"
	"encoding/hex"
	"strings"
)

// uniqueName turns a test name into prefix+sep+<sanitised name>+sep+<8 hex
// digits>, at most max bytes, using only [a-z0-9] and sep. It suits both
// PostgreSQL identifiers (sep '_') and S3 bucket names (sep '-').
func uniqueName(prefix, testName string, sep byte, max int) string {
	suffix := string(sep) + randomHex(4)
	room := max - len(prefix) - 1 - len(suffix)
	name := sanitise(testName, sep)
	if len(name) > room {
		name = strings.TrimRight(name[:room], string(sep))
	}
	if name == "" {
		name = "x"
	}
	return prefix + string(sep) + name + suffix
}

// sanitise lowercases s and replaces every run of other characters than
// [a-z0-9] by one sep, trimming sep at both ends.
func sanitise(s string, sep byte) string {
	var b strings.Builder
	pending := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if pending && b.Len() > 0 {
				b.WriteByte(sep)
			}
			pending = false
			b.WriteRune(r)
			continue
		}
		pending = true
	}
	return b.String()
}

// randomHex returns n random bytes as 2n hex digits.
func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails; see crypto/rand.Read
	return hex.EncodeToString(b)
}
