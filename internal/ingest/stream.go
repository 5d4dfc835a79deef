package ingest

import (
	"bufio"
	"bytes"
	"errors"
	"io"

	"github.com/dailyreports/dailyreports/internal/apperr"
)

// stream is a body read a chunk at a time: it cuts records out of it
// without ever holding more than the record at hand and one read buffer.
// pos counts the bytes consumed, for error messages.
type stream struct {
	br  *bufio.Reader
	pos int64
	max int64
	// rec holds the record being cut; it is reused for the next one.
	rec []byte
}

// readSize is the size of the read buffer of a stream.
const readSize = 64 << 10

// newStream reads r, refusing more than max bytes.
func newStream(r io.Reader, max int64) *stream {
	return &stream{br: bufio.NewReaderSize(&capped{r: r, left: max}, readSize), max: max}
}

// peek returns the bytes buffered ahead, reading more when there are none;
// io.EOF at the end of the body.
func (s *stream) peek() ([]byte, error) {
	if s.br.Buffered() == 0 {
		if _, err := s.br.Peek(1); err != nil {
			return nil, s.readError(err)
		}
	}
	b, _ := s.br.Peek(s.br.Buffered())
	return b, nil
}

// discard consumes n buffered bytes.
func (s *stream) discard(n int) {
	_, _ = s.br.Discard(n)
	s.pos += int64(n)
}

// skipBOM consumes a leading UTF-8 byte order mark.
func (s *stream) skipBOM() error {
	b, err := s.br.Peek(len(bom))
	if err != nil && !errors.Is(err, io.EOF) {
		return s.readError(err)
	}
	if string(b) == bom {
		_, _ = s.br.Discard(len(bom))
	}
	return nil
}

// skipSpace consumes JSON whitespace and returns the next byte without
// consuming it; io.EOF at the end of the body.
func (s *stream) skipSpace() (byte, error) {
	for {
		b, err := s.peek()
		if err != nil {
			return 0, err
		}
		i := skipSpace(b, 0)
		s.discard(i)
		if i < len(b) {
			return b[i], nil
		}
	}
}

// value cuts the JSON value that starts at the next byte, by skipValue's
// rules: up to the end of a string, the bracket that closes an object or
// array, or the delimiter after a scalar; a value the body does not end is
// cut at the end of the body. The result is valid until the next call.
func (s *stream) value() ([]byte, error) {
	s.rec = s.rec[:0]
	var c cutter
	for {
		b, err := s.peek()
		if errors.Is(err, io.EOF) {
			return s.rec, nil
		}
		if err != nil {
			return nil, err
		}
		end := c.scan(b)
		if end < 0 {
			end = len(b)
		}
		s.rec = append(s.rec, b[:end]...)
		s.discard(end)
		if c.done {
			return s.rec, nil
		}
	}
}

// line cuts the next line, without its "\n"; io.EOF once the body is
// consumed. The result is valid until the next call.
func (s *stream) line() ([]byte, error) {
	s.rec = s.rec[:0]
	for {
		b, err := s.peek()
		if errors.Is(err, io.EOF) && len(s.rec) > 0 {
			return s.rec, nil
		}
		if err != nil {
			return nil, err
		}
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			s.rec = append(s.rec, b[:i]...)
			s.discard(i + 1)
			return s.rec, nil
		}
		s.rec = append(s.rec, b...)
		s.discard(len(b))
	}
}

// readError turns what the body's reader returned into the batch's error:
// io.EOF stays, a body over the limit is ErrTooLarge, an *apperr.Error (the
// budget refusing more bytes, say) keeps its code, anything else is Invalid.
func (s *stream) readError(err error) error {
	var ae *apperr.Error
	switch {
	case errors.Is(err, io.EOF):
		return io.EOF
	case errors.Is(err, ErrTooLarge):
		return errTooLarge(s.max)
	case errors.As(err, &ae):
		return err
	}
	return apperr.Wrap(err, apperr.Invalid, "could not read the body")
}

// capped reads at most left bytes of r and fails with ErrTooLarge when r
// holds more; it never asks r for more than one byte past the limit.
type capped struct {
	r    io.Reader
	left int64
}

func (c *capped) Read(p []byte) (int, error) {
	if c.left < 0 {
		return 0, ErrTooLarge
	}
	if int64(len(p)) > c.left+1 {
		p = p[:c.left+1]
	}
	n, err := c.r.Read(p)
	if int64(n) > c.left {
		c.left = -1
		return 0, ErrTooLarge
	}
	c.left -= int64(n)
	return n, err
}

// cutter finds the end of one JSON value across chunks, with the rules of
// skipValue: strings end at an unescaped quote, objects and arrays when the
// brackets balance (either kind closes either), scalars at whitespace, a
// comma or a closing bracket.
type cutter struct {
	started, done bool
	scalar        bool
	depth         int
	inString      bool
	// escape is set after a backslash inside a string.
	escape bool
	// bare is set for a value that is a string, not inside an object.
	bare bool
}

// scan reads chunk, which continues the value; it returns the index after
// the value's end in chunk, or -1 when the value goes on.
func (c *cutter) scan(chunk []byte) int {
	i := 0
	if !c.started && len(chunk) > 0 {
		c.started = true
		switch chunk[0] {
		case '"':
			c.inString, c.bare, i = true, true, 1
		case '{', '[':
		default:
			c.scalar = true
		}
	}
	if c.scalar {
		return c.scanScalar(chunk)
	}
	for i < len(chunk) {
		if c.inString {
			if i = c.scanString(chunk, i); i < 0 || c.done {
				return i
			}
			continue
		}
		switch chunk[i] {
		case '"':
			c.inString = true
		case '{', '[':
			c.depth++
		case '}', ']':
			c.depth--
		}
		i++
		if c.depth == 0 {
			c.done = true
			return i
		}
	}
	return -1
}

// scanScalar finds the delimiter that ends a scalar.
func (c *cutter) scanScalar(chunk []byte) int {
	for i, b := range chunk {
		if isSpace(b) || b == ',' || b == ']' || b == '}' {
			c.done = true
			return i
		}
	}
	return -1
}

// scanString moves through a string from chunk[i]; it returns the index
// after its closing quote, or -1 when the chunk ends first.
func (c *cutter) scanString(chunk []byte, i int) int {
	for i < len(chunk) {
		if c.escape {
			c.escape = false
			i++
			continue
		}
		j := bytes.IndexAny(chunk[i:], `"\`)
		if j < 0 {
			return -1
		}
		i += j
		if chunk[i] == '\\' {
			c.escape = true
			i++
			continue
		}
		c.inString = false
		c.done = c.bare
		return i + 1
	}
	return -1
}
