package document

import (
	"bytes"
	"io"
	"math/rand/v2"
	"os"
	"testing"
)

// A spool stays in memory up to memSpool bytes, then moves what it holds to
// a temporary file; either way it reads back what was written, and Remove
// deletes the file.
func TestSpoolFileMovesToDiskWhenLarge(t *testing.T) {
	for _, size := range []int{0, 1000, memSpool, memSpool + 1, 3 * memSpool} {
		want := make([]byte, size)
		r := rand.New(rand.NewPCG(1, uint64(size)))
		for i := range want {
			want[i] = byte(r.Uint32())
		}
		s := &spoolFile{dir: t.TempDir()}
		for p := want; len(p) > 0; {
			n := min(len(p), 64<<10)
			if _, err := s.Write(p[:n]); err != nil {
				t.Fatal(err)
			}
			p = p[n:]
		}
		if onDisk := s.f != nil; onDisk != (size > memSpool) {
			t.Errorf("%d bytes: on disk %v", size, onDisk)
		}
		got, err := io.ReadAll(io.NewSectionReader(s, 0, int64(size)))
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("%d bytes: read %d (%v)", size, len(got), err)
		}
		name := ""
		if s.f != nil {
			name = s.f.Name()
		}
		if err := s.Remove(); err != nil {
			t.Fatal(err)
		}
		if name != "" {
			if _, err := os.Stat(name); !os.IsNotExist(err) {
				t.Errorf("%d bytes: the file is still there (%v)", size, err)
			}
		}
	}
}
