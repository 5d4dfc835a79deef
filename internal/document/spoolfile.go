package document

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
)

// memSpool is how many bytes of a zip are kept in memory before it moves to
// a temporary file: most hours' zips fit, and then building one touches no
// disk; a larger one costs at most this much memory.
const memSpool = 4 << 20

// spoolFile holds a zip as it is written: in memory up to memSpool bytes,
// then in a temporary file of dir. Once written it is read at offsets by
// any number of readers.
type spoolFile struct {
	dir     string
	buf     bytes.Buffer
	f       *os.File
	removed bool
}

// errRemoved is the error of a spool used after Remove.
var errRemoved = errors.New("document: spool removed")

// Write appends p, moving everything to a temporary file once the memory
// share is exceeded.
func (s *spoolFile) Write(p []byte) (int, error) {
	if s.removed {
		return 0, errRemoved
	}
	if s.f == nil && s.buf.Len()+len(p) > memSpool {
		f, err := os.CreateTemp(s.dir, "report-*.zip")
		if err != nil {
			return 0, fmt.Errorf("document: create spool: %w", err)
		}
		s.f = f
		if _, err := f.Write(s.buf.Bytes()); err != nil {
			return 0, fmt.Errorf("document: write spool: %w", err)
		}
		s.buf = bytes.Buffer{}
	}
	if s.f != nil {
		return s.f.Write(p)
	}
	return s.buf.Write(p)
}

// ReadAt reads what was written, at off.
func (s *spoolFile) ReadAt(p []byte, off int64) (int, error) {
	if s.removed {
		return 0, errRemoved
	}
	if s.f != nil {
		return s.f.ReadAt(p, off)
	}
	b := s.buf.Bytes()
	if off < 0 {
		return 0, errors.New("document: negative offset")
	}
	if off >= int64(len(b)) {
		return 0, io.EOF
	}
	n := copy(p, b[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// Remove releases the memory, or closes and deletes the file.
func (s *spoolFile) Remove() error {
	s.removed = true
	s.buf = bytes.Buffer{}
	if s.f == nil {
		return nil
	}
	cerr := s.f.Close()
	if err := os.Remove(s.f.Name()); err != nil {
		return fmt.Errorf("document: remove spool: %w", err)
	}
	if cerr != nil && !errors.Is(cerr, os.ErrClosed) {
		return fmt.Errorf("document: close spool: %w", cerr)
	}
	return nil
}
