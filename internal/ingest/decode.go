package ingest

import (
	"errors"
	"io"

	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/document"
)

// Decode reads a batch of conversations from r: a JSON array when
// contentType is application/json, NDJSON when it is application/x-ndjson
// or application/jsonl. It returns the validated conversations, each Id once
// (the last record with that Id wins), or an *apperr.Error with code Invalid
// naming the record and the field at fault, e.g. `record 3: Messages[2].SentAt:
// must be an RFC 3339 time`. IsTooLarge and IsUnsupportedType single out the
// errors HTTP answers with 413 and 415. Decode reads at most lim.MaxBytes+1
// bytes of r, and holds the conversations but never the whole body.
func Decode(r io.Reader, contentType string, lim Limits) ([]document.Conversation, error) {
	d, err := NewDecoder(r, contentType, lim)
	if err != nil {
		return nil, err
	}
	var out []document.Conversation
	for {
		c, err := d.Next()
		if errors.Is(err, io.EOF) {
			return lastByID(out, func(c *document.Conversation) string { return c.ID }), nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
}

// Decoder reads a batch one conversation at a time, holding one record of
// the body, so a caller that stores as it reads keeps memory flat whatever
// the batch's size. It applies every rule of Decode but one: records sharing
// an Id are each returned, in order, and the caller keeps the last.
type Decoder struct {
	in *stream
	// next cuts the next record and hands it to add, with the kind
	// ("record" or "line") and number that name it in errors.
	next    func(add func(kind string, n int, raw []byte) error) error
	dec     decoder
	lim     Limits
	records int
}

// NewDecoder returns a Decoder of r for contentType, or the error of
// IsUnsupportedType.
func NewDecoder(r io.Reader, contentType string, lim Limits) (*Decoder, error) {
	format, err := formatFor(contentType)
	if err != nil {
		return nil, err
	}
	lim = lim.WithDefaults()
	d := &Decoder{in: newStream(r, lim.MaxBytes), dec: decoder{lim: lim, win: newWindow(lim.Now())}, lim: lim}
	if format == formatLines {
		d.next = (&lineSplitter{in: d.in}).next
	} else {
		d.next = (&arraySplitter{in: d.in}).next
	}
	return d, nil
}

// Next returns the next conversation of the batch, io.EOF after the last
// one, or the batch's error (an *apperr.Error; Decode describes them). A
// batch without records is an error, not io.EOF.
func (d *Decoder) Next() (document.Conversation, error) {
	var c document.Conversation
	err := d.next(func(kind string, n int, raw []byte) error {
		if d.records == d.lim.MaxRecords {
			return apperr.New(apperr.Invalid, "batch has more than %d records", d.lim.MaxRecords)
		}
		var err error
		if c, err = d.dec.record(raw); err != nil {
			return inRecord(kind, n, err)
		}
		d.records++
		return nil
	})
	switch {
	case errors.Is(err, io.EOF) && d.records == 0:
		return document.Conversation{}, errEmpty()
	case err != nil:
		return document.Conversation{}, err
	}
	return c, nil
}

// bom is the UTF-8 byte order mark, ignored at the start of a body.
const bom = "\uFEFF"

// lastByID keeps, of the elements sharing an Id (id tells it), the last one,
// in the order the kept elements came.
func lastByID[T any](xs []T, id func(*T) string) []T {
	last := make(map[string]int, len(xs))
	for i := range xs {
		last[id(&xs[i])] = i
	}
	if len(last) == len(xs) {
		return xs
	}
	out := make([]T, 0, len(last))
	for i := range xs {
		if last[id(&xs[i])] == i {
			out = append(out, xs[i])
		}
	}
	return out
}
