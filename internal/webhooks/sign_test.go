package webhooks

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

// The test vector of the Standard Webhooks reference libraries.
func TestSignMatchesTheSpecificationsVector(t *testing.T) {
	got, err := Sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
		time.Unix(1614265330, 0), []byte(`{"test": 2432232314}`))
	if err != nil {
		t.Fatal(err)
	}
	if want := "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="; got != want {
		t.Errorf("signature %s, want %s", got, want)
	}
	for _, bad := range []string{"MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_!!", "whsec_"} {
		if _, err := Sign(bad, "id", time.Now(), nil); err == nil {
			t.Errorf("secret %q accepted", bad)
		}
	}
}

func TestNewSecretsAreStandardAndDistinct(t *testing.T) {
	a, b := NewSecret(), NewSecret()
	if a == b || !strings.HasPrefix(a, "whsec_") || len(a) != len("whsec_")+44 {
		t.Errorf("secrets %q %q", a, b)
	}
}

// A sealed secret opens with its key and its webhook's id only.
func TestSealedSecretsOpenOnlyWithTheirKeyAndWebhook(t *testing.T) {
	s, err := NewSealer([]byte(strings.Repeat("k", 32)))
	if err != nil {
		t.Fatal(err)
	}
	other, _ := NewSealer([]byte(strings.Repeat("j", 32)))
	id, secret := uuid.New(), NewSecret()
	sealed := s.Seal(secret, id)
	if strings.Contains(string(sealed), secret[6:]) {
		t.Fatal("the sealed secret holds the secret")
	}
	if got, err := s.Open(sealed, id); err != nil || got != secret {
		t.Fatalf("open: %q %v", got, err)
	}
	if _, err := s.Open(sealed, uuid.New()); err != ErrUnsealable {
		t.Errorf("opened for another webhook: %v", err)
	}
	if _, err := other.Open(sealed, id); err != ErrUnsealable {
		t.Errorf("opened with another key: %v", err)
	}
	if _, err := NewSealer([]byte("short")); err == nil {
		t.Error("a short key accepted")
	}
}

func TestOnlyPublicAddressesArePublic(t *testing.T) {
	for addr, want := range map[string]bool{
		"93.184.216.34": true, "2606:2800:220:1:248:1893:25c8:1946": true, "8.8.8.8": true,
		"127.0.0.1": false, "127.8.9.10": false, "::1": false, "10.1.2.3": false, "172.16.0.1": false,
		"192.168.1.1": false, "169.254.169.254": false, "fe80::1": false, "fc00::1": false, "fd12::1": false,
		"0.0.0.0": false, "::": false, "224.0.0.1": false, "ff02::1": false, "100.64.0.1": false,
		"::ffff:127.0.0.1": false, "::ffff:10.0.0.1": false, "64:ff9b::a00:1": false, "255.255.255.255": false,
	} {
		if got := Public(netip.MustParseAddr(addr)); got != want {
			t.Errorf("Public(%s) = %v, want %v", addr, got, want)
		}
	}
}
