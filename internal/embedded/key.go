package embedded

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// KeyFile is the name of the generated signing key under DATA_DIR.
const KeyFile = "signing-key"

// SigningKey returns the HS256 key kept in dir, creating it (48 random
// bytes, base64, mode 0600) when there is none. created reports whether this
// call created it. Processes racing to create it agree on one key: the file
// appears whole or not at all.
func SigningKey(dir string) (key string, created bool, err error) {
	path := filepath.Join(dir, KeyFile)
	if key, err := readKey(path); err == nil || !errors.Is(err, fs.ErrNotExist) {
		return key, false, err
	}
	buf := make([]byte, 48)
	if _, err := rand.Read(buf); err != nil {
		return "", false, fmt.Errorf("embedded: signing key: %w", err)
	}
	tmp, err := os.CreateTemp(dir, KeyFile+".tmp-*")
	if err != nil {
		return "", false, fmt.Errorf("embedded: signing key: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, werr := tmp.WriteString(base64.RawURLEncoding.EncodeToString(buf) + "\n")
	if err := errors.Join(werr, tmp.Chmod(0o600), tmp.Sync(), tmp.Close()); err != nil {
		return "", false, fmt.Errorf("embedded: signing key: %w", err)
	}
	// A hard link fails when the key exists: another process won the race.
	if err := os.Link(tmp.Name(), path); err != nil && !errors.Is(err, fs.ErrExist) {
		return "", false, fmt.Errorf("embedded: signing key: %w", err)
	} else if err != nil {
		key, err := readKey(path)
		return key, false, err
	}
	key, err = readKey(path)
	return key, err == nil, err
}

// readKey reads a key file and checks it is long enough.
func readKey(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	key := strings.TrimSpace(string(b))
	if len(key) < 32 {
		return "", fmt.Errorf("embedded: %s: the key must have at least 32 bytes", path)
	}
	return key, nil
}
