package document

import (
	"archive/zip"
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"math"
	"sync"
	"time"

	"github.com/klauspost/compress/flate"
)

const (
	// flateLevel is the deflate level of the entry. On a busy hour (300
	// conversations × 12 messages, 850 KB of JSON) level 1 deflates in 1.5 ms
	// to 128 KB and level 5 in 3.0 ms to 109 KB: twice the time for a zip 15%
	// smaller, so level 1 (BenchmarkSpoolLevel compares the levels).
	flateLevel = 1
	// spoolBuffer is the write buffer between the zip writer and the file.
	// archive/zip adopts a *bufio.Writer of at least 4 KiB as its own.
	spoolBuffer = 64 << 10
)

// Spool builds a report's zip in memory, or in a temporary file once it is
// large: one deflated entry, the JSON document, whose bytes are written to
// Writer. The zip's size and
// SHA-256 are computed while it is written. A Spool is not safe for
// concurrent use, except for the readers returned by Open.
type Spool struct {
	f       *spoolFile
	buf     *bufio.Writer // between zw and out; back to buffers once closed
	zw      *zip.Writer
	hash    hash.Hash
	out     countWriter // the zip bytes, to the file and the hash
	entry   countWriter // the JSON bytes, to the zip entry
	closed  bool
	err     error
	size    int64
	sum     string
	removed bool
}

// deflaters keeps deflate writers of flateLevel, and buffers keeps the
// spool's write buffers, between builds: a deflate writer holds some
// hundreds of KiB of state that a new one allocates and clears, which
// showed in the profile of a day's generation.
var (
	deflaters = sync.Pool{New: func() any { w, _ := flate.NewWriter(nil, flateLevel); return w }}
	buffers   = sync.Pool{New: func() any { return bufio.NewWriterSize(nil, spoolBuffer) }}
)

// pooledDeflater is a deflate writer that goes back to deflaters once the
// zip closed it.
type pooledDeflater struct{ *flate.Writer }

func (p pooledDeflater) Close() error {
	err := p.Writer.Close()
	deflaters.Put(p.Writer)
	return err
}

// newDeflater returns a deflate writer of level onto w.
func newDeflater(w io.Writer, level int) (io.WriteCloser, error) {
	if level != flateLevel {
		return flate.NewWriter(w, level)
	}
	fw := deflaters.Get().(*flate.Writer)
	fw.Reset(w)
	return pooledDeflater{fw}, nil
}

// NewSpool opens the entry h.EntryName(), modified at generatedAt, of a zip
// kept in memory up to a few MiB and beyond in a temporary file of dir
// (os.TempDir() when empty).
func NewSpool(dir string, h Hour, generatedAt time.Time) (*Spool, error) {
	return newSpool(dir, h, generatedAt, flateLevel)
}

// newSpool is NewSpool at a given deflate level.
func newSpool(dir string, h Hour, generatedAt time.Time, level int) (*Spool, error) {
	f := &spoolFile{dir: dir}
	s := &Spool{f: f, hash: sha256.New()}
	s.out.w = io.MultiWriter(f, s.hash)
	s.buf = buffers.Get().(*bufio.Writer)
	s.buf.Reset(&s.out)
	s.zw = zip.NewWriter(s.buf)
	s.zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return newDeflater(w, level) })
	ew, err := s.zw.CreateHeader(&zip.FileHeader{
		Name: h.EntryName(), Method: zip.Deflate, Modified: generatedAt.UTC(),
	})
	if err != nil {
		return nil, errors.Join(fmt.Errorf("document: create entry: %w", err), s.Remove())
	}
	s.entry.w = ew
	return s, nil
}

// Writer is the writer of the JSON entry.
func (s *Spool) Writer() io.Writer { return &s.entry }

// Close finishes the zip. After it succeeds, Size, SHA256, JSONSize and Open
// describe the finished file. Calling it again returns the first result.
func (s *Spool) Close() error {
	if s.closed {
		return s.err
	}
	s.closed = true
	if err := s.zw.Close(); err != nil {
		s.err = fmt.Errorf("document: finish zip: %w", err)
		return s.err
	}
	s.buf.Reset(nil)
	buffers.Put(s.buf)
	s.buf = nil
	s.size = s.out.n
	s.sum = hex.EncodeToString(s.hash.Sum(nil))
	return nil
}

// Size is the size in bytes of the finished zip; zero before Close succeeds.
func (s *Spool) Size() int64 { return s.size }

// SHA256 is the lowercase hex SHA-256 of the finished zip; empty before Close
// succeeds.
func (s *Spool) SHA256() string { return s.sum }

// JSONSize is the number of uncompressed JSON bytes written to the entry.
func (s *Spool) JSONSize() int64 { return s.entry.n }

// Open returns a reader of the finished zip. Readers are independent and safe
// for concurrent use; they fail once the spool is removed. Before Close
// succeeds the reader is empty.
func (s *Spool) Open() *io.SectionReader { return io.NewSectionReader(s.f, 0, s.size) }

// Remove releases the spool's memory or deletes its temporary file,
// whatever state it is in. Calling it again does nothing.
func (s *Spool) Remove() error {
	if s.removed {
		return nil
	}
	s.removed = true
	return s.f.Remove()
}

// countWriter counts the bytes written through it.
type countWriter struct {
	w io.Writer
	n int64
}

// Write writes p to the underlying writer and counts what was written.
func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// OpenEntry opens for streaming the one JSON entry of a stored report zip of
// size bytes, and returns its uncompressed size. It fails unless the zip holds
// exactly one entry. The reader verifies the entry's CRC-32 at its end.
func OpenEntry(r io.ReaderAt, size int64) (rc io.ReadCloser, jsonSize int64, err error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, 0, fmt.Errorf("document: open zip: %w", err)
	}
	if len(zr.File) != 1 {
		return nil, 0, fmt.Errorf("document: zip holds %d entries, want 1", len(zr.File))
	}
	zr.RegisterDecompressor(zip.Deflate, flate.NewReader)
	f := zr.File[0]
	if f.UncompressedSize64 > math.MaxInt64 || f.FileInfo().IsDir() {
		return nil, 0, fmt.Errorf("document: zip entry %q is not a document", f.Name)
	}
	if rc, err = f.Open(); err != nil {
		return nil, 0, fmt.Errorf("document: open entry %q: %w", f.Name, err)
	}
	return rc, int64(f.UncompressedSize64), nil
}
