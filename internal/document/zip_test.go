package document

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// mustSpool encodes a whole document into a closed spool, removed at the end
// of the test.
func mustSpool(t testing.TB, h Header, cs []Conversation) *Spool {
	t.Helper()
	s, err := NewSpool(t.TempDir(), h.Hour, h.GeneratedAt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Remove() })
	e, err := NewEncoder(s.Writer(), h)
	if err != nil {
		t.Fatal(err)
	}
	for i := range cs {
		if err := e.Write(&cs[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSpoolSizeAndSHA256(t *testing.T) {
	cs := sampleHour(1, 50, 12)
	s := mustSpool(t, header(testHour, cs), cs)
	file := readAll(t, io.NewSectionReader(s.f, 0, s.Size()))
	sum := sha256.Sum256(file)
	if got, want := s.SHA256(), hex.EncodeToString(sum[:]); got != want {
		t.Errorf("SHA256 = %s, want %s", got, want)
	}
	if s.Size() != int64(len(file)) {
		t.Errorf("Size = %d, want %d", s.Size(), len(file))
	}
	if got := readAll(t, s.Open()); !bytes.Equal(got, file) {
		t.Error("Open reads other bytes than the file holds")
	}
}

func TestSpoolEntry(t *testing.T) {
	cs := goldenHour()
	h := header(testHour, cs)
	want := mustEncode(t, h, cs)
	s := mustSpool(t, h, cs)
	if s.JSONSize() != int64(len(want)) {
		t.Errorf("JSONSize = %d, want %d", s.JSONSize(), len(want))
	}
	rc, size, err := OpenEntry(s.Open(), s.Size())
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	if got := readAll(t, rc); !bytes.Equal(got, want) || size != int64(len(want)) {
		t.Errorf("OpenEntry = %d bytes (size %d), want the %d bytes encoded", len(got), size, len(want))
	}
	checkStdlibZip(t, s, h, want)
}

// checkStdlibZip opens the spool with archive/zip's own decompressor.
func checkStdlibZip(t *testing.T, s *Spool, h Header, want []byte) {
	t.Helper()
	zr, err := zip.NewReader(s.Open(), s.Size())
	if err != nil {
		t.Fatal(err)
	}
	f := zr.File[0]
	if len(zr.File) != 1 || f.Name != h.Hour.EntryName() || f.Method != zip.Deflate {
		t.Fatalf("zip holds %d entries, first %q method %d", len(zr.File), f.Name, f.Method)
	}
	if !f.Modified.Equal(h.GeneratedAt) {
		t.Errorf("Modified = %v, want %v", f.Modified, h.GeneratedAt)
	}
	rc, err := f.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	if got := readAll(t, rc); !bytes.Equal(got, want) {
		t.Error("archive/zip reads another document")
	}
}

func TestSpoolUnzip(t *testing.T) {
	if _, err := exec.LookPath("unzip"); err != nil {
		t.Fatal("unzip is missing: make test installs it (scripts/test-services.sh)")
	}
	cs := trickyHour()
	h := header(testHour, cs)
	s := mustSpool(t, h, cs)
	name := filepath.Join(t.TempDir(), h.Hour.ZipName())
	if err := os.WriteFile(name, readAll(t, s.Open()), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("unzip", "-tq", name).CombinedOutput(); err != nil {
		t.Fatalf("unzip -t: %v\n%s", err, out)
	}
	got, err := exec.Command("unzip", "-p", name, h.Hour.EntryName()).Output()
	if err != nil {
		t.Fatalf("unzip -p: %v", err)
	}
	if want := mustEncode(t, h, cs); !bytes.Equal(got, want) {
		t.Error("unzip extracts another document")
	}
}

func TestSpoolConcurrentReaders(t *testing.T) {
	cs := sampleHour(2, 100, 12)
	s := mustSpool(t, header(testHour, cs), cs)
	want := readAll(t, s.Open())
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if got, err := io.ReadAll(s.Open()); err != nil || !bytes.Equal(got, want) {
				t.Errorf("concurrent read: %d bytes, %v", len(got), err)
			}
		})
	}
	wg.Wait()
}

func TestSpoolRemove(t *testing.T) {
	tests := map[string]func(*Spool){
		"after close": func(s *Spool) { s.Close() },
		"midway":      func(s *Spool) { s.Writer().Write([]byte(`{"partial`)) },
		"untouched":   func(*Spool) {},
	}
	for name, use := range tests {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			s, err := NewSpool(dir, testHour, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			use(s)
			if err := s.Remove(); err != nil {
				t.Fatalf("Remove: %v", err)
			}
			if err := s.Remove(); err != nil {
				t.Errorf("second Remove: %v", err)
			}
			if left, _ := filepath.Glob(filepath.Join(dir, "*")); len(left) != 0 {
				t.Errorf("files left: %v", left)
			}
		})
	}
}

func TestSpoolFailures(t *testing.T) {
	// A spool only needs its directory once it outgrows memory.
	missing, err := NewSpool(filepath.Join(t.TempDir(), "missing"), testHour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	noise := make([]byte, 2*memSpool) // random: deflate cannot shrink it
	r := rand.New(rand.NewPCG(7, 7))
	for i := range noise {
		noise[i] = byte(r.Uint32())
	}
	if _, err := missing.Writer().Write(noise); err == nil {
		if err := missing.Close(); err == nil {
			t.Error("a spool outgrowing memory in a missing directory succeeded")
		}
	}
	_ = missing.Remove()
	s, err := NewSpool(t.TempDir(), testHour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	s.Writer().Write(bytes.Repeat([]byte("x"), 1<<20))
	s.Remove()
	if err := s.Close(); err == nil {
		t.Error("Close after Remove succeeded")
	}
	if s.Size() != 0 || s.SHA256() != "" {
		t.Errorf("failed spool reports size %d, sum %q", s.Size(), s.SHA256())
	}
}

func TestOpenEntryRejects(t *testing.T) {
	tests := map[string][]byte{
		"garbage":     []byte("not a zip"),
		"empty":       nil,
		"no entries":  zipOf(t),
		"two entries": zipOf(t, "a.json", "b.json"),
		"directory":   zipOf(t, "dir/"),
	}
	for name, b := range tests {
		if rc, _, err := OpenEntry(bytes.NewReader(b), int64(len(b))); err == nil {
			rc.Close()
			t.Errorf("%s: OpenEntry succeeded", name)
		}
	}
}

// zipOf returns a zip holding empty entries of the given names.
func zipOf(t *testing.T, names ...string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		if _, err := zw.Create(n); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
