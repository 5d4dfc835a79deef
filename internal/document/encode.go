package document

import (
	"errors"
	"fmt"
	"io"
)

const (
	// flushAt is the buffered size past which the encoder hands its bytes to
	// the writer: big enough to amortise writes, small enough that a document
	// of any size is encoded in bounded memory.
	flushAt = 32 << 10
	// maxKeep is the buffer capacity kept after a flush; a larger buffer, grown
	// by one huge message, is dropped so that it is not held for the document.
	maxKeep = 4 * flushAt
)

// ErrCountMismatch is wrapped by the errors of an Encoder whose conversations
// or messages do not add up to the counts its header announced.
var ErrCountMismatch = errors.New("document: counts differ from header")

// Encoder streams one report document to a writer: the header on NewEncoder,
// one conversation per Write, the closing brackets on Close. The output is
// compact JSON with the keys in the order of docs/rest.md (the report document), byte for byte what
// encoding/json would write with HTML escaping off. After an error every
// further call returns it. An Encoder is not safe for concurrent use.
type Encoder struct {
	w         io.Writer
	buf       []byte
	wantConvs int
	wantMsgs  int
	convs     int
	msgs      int
	err       error
	closed    bool
}

// NewEncoder validates h and writes the document to w up to and including
// `"Conversations":[`.
func NewEncoder(w io.Writer, h Header) (*Encoder, error) {
	hr, err := validHeader(h)
	if err != nil {
		return nil, err
	}
	e := &Encoder{w: w, buf: make([]byte, 0, 2*flushAt),
		wantConvs: h.ConversationCount, wantMsgs: h.MessageCount}
	e.buf = appendHeader(e.buf, h, hr)
	if err := e.flush(); err != nil {
		return nil, err
	}
	return e, nil
}

// validHeader checks h and returns its hour normalised to UTC.
func validHeader(h Header) (Hour, error) {
	hr := NewHour(h.Hour.Day, h.Hour.Hour)
	switch {
	case h.Hour.Hour < 0 || h.Hour.Hour > 23:
		return hr, fmt.Errorf("document: hour %d out of range 0..23", h.Hour.Hour)
	case !hr.Day.Equal(h.Hour.Day):
		return hr, fmt.Errorf("document: day %s is not midnight utc", h.Hour.Day)
	case h.ConversationCount < 0 || h.MessageCount < 0:
		return hr, fmt.Errorf("document: negative counts %d, %d", h.ConversationCount, h.MessageCount)
	}
	return hr, nil
}

// Write appends one conversation and its messages. It fails, before writing
// anything, when c would exceed a count announced by the header.
func (e *Encoder) Write(c *Conversation) error {
	switch {
	case e.err != nil:
		return e.err
	case e.closed:
		return errors.New("document: write to closed encoder")
	case c == nil:
		return errors.New("document: nil conversation")
	case e.convs+1 > e.wantConvs || e.msgs+len(c.Messages) > e.wantMsgs:
		return e.fail(fmt.Errorf("%w: conversation %d of %d, messages %d of %d",
			ErrCountMismatch, e.convs+1, e.wantConvs, e.msgs+len(c.Messages), e.wantMsgs))
	}
	if e.convs > 0 {
		e.buf = append(e.buf, ',')
	}
	e.convs++
	e.msgs += len(c.Messages)
	e.buf = appendConversationHead(e.buf, c)
	for i := range c.Messages {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.buf = appendMessage(e.buf, &c.Messages[i])
		if err := e.maybeFlush(); err != nil {
			return err
		}
	}
	e.buf = append(e.buf, ']', '}')
	return e.maybeFlush()
}

// WriteRaw appends one conversation already encoded by AppendConversation,
// with its number of messages. Like Write, it fails, before writing anything,
// when doc would exceed a count announced by the header; doc itself is not
// checked.
func (e *Encoder) WriteRaw(doc []byte, messages int) error {
	return writeRaw(e, doc, messages)
}

// WriteRawString is WriteRaw of a document held as a string, as a database
// row gives it: nothing is copied but into the encoder's buffer.
func (e *Encoder) WriteRawString(doc string, messages int) error {
	return writeRaw(e, doc, messages)
}

// writeRaw is WriteRaw of either form.
func writeRaw[D string | []byte](e *Encoder, doc D, messages int) error {
	switch {
	case e.err != nil:
		return e.err
	case e.closed:
		return errors.New("document: write to closed encoder")
	case len(doc) == 0 || messages < 0:
		return fmt.Errorf("document: empty conversation or negative message count %d", messages)
	case e.convs+1 > e.wantConvs || e.msgs+messages > e.wantMsgs:
		return e.fail(fmt.Errorf("%w: conversation %d of %d, messages %d of %d",
			ErrCountMismatch, e.convs+1, e.wantConvs, e.msgs+messages, e.wantMsgs))
	}
	if e.convs > 0 {
		e.buf = append(e.buf, ',')
	}
	e.convs++
	e.msgs += messages
	if len(doc) >= flushAt {
		// A large conversation goes to the writer directly rather than
		// through (and growing) the buffer.
		if err := e.flush(); err != nil {
			return err
		}
		if _, err := e.w.Write([]byte(doc)); err != nil { // a copy only for a string
			return e.fail(fmt.Errorf("document: write document: %w", err))
		}
		return nil
	}
	e.buf = append(e.buf, doc...)
	return e.maybeFlush()
}

// Close writes the end of the document and flushes it. It fails, leaving the
// document unfinished, when fewer conversations or messages were written than
// the header announced. It does not close the underlying writer.
func (e *Encoder) Close() error {
	if e.err != nil || e.closed {
		return e.err
	}
	if e.convs != e.wantConvs || e.msgs != e.wantMsgs {
		return e.fail(fmt.Errorf("%w: wrote %d conversations and %d messages, header says %d and %d",
			ErrCountMismatch, e.convs, e.msgs, e.wantConvs, e.wantMsgs))
	}
	e.closed = true
	e.buf = append(e.buf, ']', '}')
	return e.flush()
}

// fail makes err sticky and returns it.
func (e *Encoder) fail(err error) error {
	e.err = err
	return err
}

// maybeFlush flushes once the buffer holds flushAt bytes.
func (e *Encoder) maybeFlush() error {
	if len(e.buf) < flushAt {
		return nil
	}
	return e.flush()
}

// flush hands the buffer to the writer.
func (e *Encoder) flush() error {
	_, err := e.w.Write(e.buf)
	e.buf = e.buf[:0]
	if cap(e.buf) > maxKeep {
		e.buf = make([]byte, 0, 2*flushAt)
	}
	if err != nil {
		return e.fail(fmt.Errorf("document: write document: %w", err))
	}
	return nil
}
