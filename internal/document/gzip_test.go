package document

import (
	"bytes"
	"compress/gzip"
	"io"
	"os/exec"
	"testing"
)

// TestGzipEntryDecodesToTheDocument checks that the gzip stream made from a
// zip's entry, decoded by the standard library and by the gzip command,
// is byte for byte the document inside the zip, and that its announced
// length is its real length.
func TestGzipEntryDecodesToTheDocument(t *testing.T) {
	for name, cs := range map[string][]Conversation{"tricky": trickyHour(), "empty": nil} {
		t.Run(name, func(t *testing.T) {
			s := mustSpool(t, header(testHour, cs), cs)
			want := inflated(t, s)
			stream, length, err := GzipEntry(s.Open(), s.Size())
			if err != nil {
				t.Fatal(err)
			}
			gz, err := io.ReadAll(stream)
			if err != nil {
				t.Fatal(err)
			}
			if int64(len(gz)) != length {
				t.Errorf("length %d, announced %d", len(gz), length)
			}
			zr, err := gzip.NewReader(bytes.NewReader(gz))
			if err != nil {
				t.Fatal(err)
			}
			zr.Multistream(false)
			got, err := io.ReadAll(zr) // checks the trailer's CRC-32 and size
			if err != nil {
				t.Fatalf("gzip decode: %v", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("decoded %d bytes differ from the %d-byte document", len(got), len(want))
			}
			cmd := exec.Command("gzip", "-dc")
			cmd.Stdin = bytes.NewReader(gz)
			out, err := cmd.Output()
			if err != nil || !bytes.Equal(out, want) {
				t.Errorf("gzip -dc: err %v, %d bytes, equal %t", err, len(out), bytes.Equal(out, want))
			}
		})
	}
}

func TestGzipEntryRefusesWhatIsNotAReport(t *testing.T) {
	s := mustSpool(t, header(testHour, nil), nil)
	zipped, err := io.ReadAll(s.Open())
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{
		"not a zip": []byte("hello"),
		"truncated": zipped[:len(zipped)-10],
	} {
		if _, _, err := GzipEntry(bytes.NewReader(b), int64(len(b))); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// inflated reads the document out of a spool's zip.
func inflated(t *testing.T, s *Spool) []byte {
	t.Helper()
	rc, _, err := OpenEntry(s.Open(), s.Size())
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
