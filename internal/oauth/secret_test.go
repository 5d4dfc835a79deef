package oauth

import (
	"strings"
	"testing"
)

func TestSecretHash(t *testing.T) {
	s := newSecret()
	h := hashSecret(s)
	if !strings.HasPrefix(s, secretPrefix) || len(s) != len(secretPrefix)+43 || strings.Contains(h, s) {
		t.Fatalf("secret %q hash %q", s, h)
	}
	if !checkSecret(h, s) {
		t.Fatal("the secret does not match its hash")
	}
	if hashSecret(s) == h {
		t.Fatal("two hashes of one secret are equal: no salt")
	}
	for _, bad := range []string{"", s + "x", s[:len(s)-1], strings.ToUpper(s)} {
		if checkSecret(h, bad) {
			t.Fatalf("%q matches", bad)
		}
	}
	for _, stored := range []string{"", "sha256", "sha256$$", "md5$00$00", "sha256$zz$" + strings.Repeat("0", 64), "sha256$00$0000"} {
		if checkSecret(stored, s) {
			t.Fatalf("malformed hash %q matches", stored)
		}
	}
	if id := newClientID(); !strings.HasPrefix(id, clientIDPrefix) || len(id) < 20 || id != strings.ToLower(id) {
		t.Fatalf("client id %q", id)
	}
}
