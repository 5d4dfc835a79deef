package ingest

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"strings"

	"github.com/dailyreports/dailyreports/internal/apperr"
)

// format is how a body frames its records.
type format int

const (
	formatArray format = iota // a JSON array
	formatLines               // NDJSON: one object a line
)

// formatFor returns the format of a Content-Type header value. A body
// without one is refused rather than guessed at.
func formatFor(contentType string) (format, error) {
	if strings.TrimSpace(contentType) == "" {
		return 0, unsupported("missing content type: use application/json or application/x-ndjson")
	}
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil && !errors.Is(err, mime.ErrInvalidMediaParameter) {
		return 0, unsupported("unsupported content type")
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return 0, unsupported("unsupported charset %q: use utf-8", clip(cs))
	}
	switch mt {
	case "application/json":
		return formatArray, nil
	case "application/x-ndjson", "application/jsonl":
		return formatLines, nil
	}
	return 0, unsupported("unsupported content type %q: use application/json or application/x-ndjson", clip(mt))
}

// unsupported returns the error for a Content-Type Decode does not read.
func unsupported(format string, args ...any) error {
	return apperr.Wrap(ErrUnsupportedType, apperr.UnsupportedMedia, fmt.Sprintf(format, args...))
}

// arraySplitter cuts a JSON array into its elements as the body arrives;
// records are numbered from 0. Each call handles what follows the previous
// record (a comma, or the closing bracket and the end of the body) before
// it cuts the next, so a record's own error comes before the framing
// errors after it.
type arraySplitter struct {
	in     *stream
	n      int
	opened bool
	closed bool
}

// next cuts the next element and hands it to add; io.EOF after the array.
func (a *arraySplitter) next(add func(string, int, []byte) error) error {
	var err error
	if !a.opened {
		err = a.open()
	} else if !a.closed {
		err = a.after()
	}
	if err != nil {
		return err
	}
	if a.closed {
		return io.EOF
	}
	raw, err := a.in.value()
	if err != nil {
		return err
	}
	a.n++
	return add("record", a.n-1, raw)
}

// open consumes a byte order mark and the "[" that opens the array.
func (a *arraySplitter) open() error {
	a.opened = true
	if err := a.in.skipBOM(); err != nil {
		return err
	}
	c, err := a.in.skipSpace()
	switch {
	case errors.Is(err, io.EOF):
		return errEmpty()
	case err != nil:
		return err
	case c != '[':
		return apperr.New(apperr.Invalid, "body must be a JSON array of conversations (send NDJSON as application/x-ndjson)")
	}
	a.in.discard(1)
	return a.expectRecord()
}

// after consumes what follows record n-1: a comma, or the closing bracket.
func (a *arraySplitter) after() error {
	c, err := a.in.skipSpace()
	switch {
	case errors.Is(err, io.EOF):
		return errUnclosed()
	case err != nil:
		return err
	case c == ']':
		return a.close()
	case c != ',':
		return apperr.New(apperr.Invalid, `record %d: expected "," or "]" after the record`, a.n-1)
	}
	a.in.discard(1)
	if c, err := a.in.skipSpace(); err == nil && c == ']' {
		return apperr.New(apperr.Invalid, `record %d: expected a record after ","`, a.n)
	}
	return a.expectRecord()
}

// expectRecord checks that a record, or the end of an array that has
// none, comes next.
func (a *arraySplitter) expectRecord() error {
	c, err := a.in.skipSpace()
	switch {
	case errors.Is(err, io.EOF):
		return errUnclosed()
	case err != nil:
		return err
	case c == ']' && a.n == 0:
		return a.close()
	}
	return nil
}

// close consumes the "]" and checks that nothing but space follows.
func (a *arraySplitter) close() error {
	a.in.discard(1)
	a.closed = true
	_, err := a.in.skipSpace()
	switch {
	case errors.Is(err, io.EOF):
		return nil
	case err != nil:
		return err
	}
	return apperr.New(apperr.Invalid, "unexpected data after the JSON array at byte %d", a.in.pos)
}

// errUnclosed is the error for an array that the body does not close.
func errUnclosed() error {
	return apperr.New(apperr.Invalid, "unexpected end of body: the JSON array is not closed")
}

// lineSplitter cuts NDJSON into lines, one object each, skipping blank
// lines; lines are numbered from 1.
type lineSplitter struct {
	in      *stream
	n       int
	started bool
}

// next cuts the next non-blank line and hands its object to add; io.EOF
// after the last line.
func (l *lineSplitter) next(add func(string, int, []byte) error) error {
	if !l.started {
		l.started = true
		if err := l.in.skipBOM(); err != nil {
			return err
		}
	}
	for {
		line, err := l.in.line()
		if err != nil {
			return err
		}
		l.n++
		line = line[skipSpace(line, 0):]
		if len(line) == 0 {
			continue
		}
		end := skipValue(line, 0)
		if err := add("line", l.n, line[:end]); err != nil {
			return err
		}
		if skipSpace(line, end) != len(line) {
			return apperr.New(apperr.Invalid, "line %d: unexpected data after the JSON object", l.n)
		}
		return nil
	}
}

// byteSize formats a byte count for messages: "32 MiB", "1500 bytes".
func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
