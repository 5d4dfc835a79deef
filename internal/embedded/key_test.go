package embedded

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
)

func TestSigningKeyCreatedOnce(t *testing.T) {
	dir := t.TempDir()
	key, created, err := SigningKey(dir)
	if err != nil || !created || len(key) < 32 {
		t.Fatalf("first call: %d bytes, created %t, %v", len(key), created, err)
	}
	st, err := os.Stat(filepath.Join(dir, KeyFile))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v, want mode 0600", st, err)
	}
	again, created, err := SigningKey(dir)
	if err != nil || created || again != key {
		t.Fatalf("second call: created %t, same %t, %v", created, again == key, err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, KeyFile+".tmp-*")); len(left) != 0 {
		t.Fatalf("temporary files left: %v", left)
	}
}

func TestSigningKeyRaceAgrees(t *testing.T) {
	dir := t.TempDir()
	keys := make([]string, 8)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Go(func() {
			k, _, err := SigningKey(dir)
			if err != nil {
				t.Error(err)
			}
			keys[i] = k
		})
	}
	wg.Wait()
	for _, k := range keys {
		if k != keys[0] {
			t.Fatal("racing starts got different keys")
		}
	}
}

func TestSigningKeyTooShort(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, KeyFile), []byte("short\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := SigningKey(dir); err == nil {
		t.Fatal("a short key file was accepted")
	}
}
