package ingest

import (
	"bytes"
	"io"

	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/report"
)

// Decode reads a batch of conversations from r: a JSON array when
// contentType is application/json or empty, NDJSON when it is
// application/x-ndjson or application/jsonl. It returns the validated
// conversations, each Id once (the last record with that Id wins), or an
// *apperr.Error with code Invalid naming the record and the field at fault,
// e.g. `record 3: Messages[2].SentAt: must be an RFC 3339 time`. IsTooLarge
// and IsUnsupportedType single out the errors HTTP answers with 413 and 415.
// Decode reads at most lim.MaxBytes+1 bytes of r.
func Decode(r io.Reader, contentType string, lim Limits) ([]report.Conversation, error) {
	split, err := splitterFor(contentType)
	if err != nil {
		return nil, err
	}
	lim = lim.withDefaults()
	body, err := readBody(r, lim.MaxBytes)
	if err != nil {
		return nil, err
	}
	b := &batch{decoder: decoder{lim: lim, win: newWindow(lim.Now())}}
	if err := split(bytes.TrimPrefix(body, []byte(bom)), b.add); err != nil {
		return nil, err
	}
	if len(b.out) == 0 {
		return nil, errEmpty()
	}
	return lastByID(b.out), nil
}

// bom is the UTF-8 byte order mark, ignored at the start of a body.
const bom = "\uFEFF"

// readBody reads all of r, failing once it passes max bytes.
func readBody(r io.Reader, max int64) ([]byte, error) {
	body, err := io.ReadAll(&io.LimitedReader{R: r, N: max + 1})
	switch {
	case err != nil:
		return nil, apperr.Wrap(err, apperr.Invalid, "could not read the body")
	case int64(len(body)) > max:
		return nil, apperr.Wrap(ErrTooLarge, apperr.Invalid, "batch is larger than "+byteSize(max))
	}
	return body, nil
}

// batch collects the conversations of one body as the splitter finds them.
type batch struct {
	decoder
	out []report.Conversation
}

// add decodes one record; kind and n name it in errors.
func (b *batch) add(kind string, n int, raw []byte) error {
	if len(b.out) == b.lim.MaxRecords {
		return apperr.New(apperr.Invalid, "batch has more than %d records", b.lim.MaxRecords)
	}
	c, err := b.record(raw)
	if err != nil {
		return inRecord(kind, n, err)
	}
	b.out = append(b.out, c)
	return nil
}

// lastByID drops every conversation that a later one with the same Id
// replaces, keeping the order of the rest.
func lastByID(cs []report.Conversation) []report.Conversation {
	last := make(map[string]int, len(cs))
	for i := range cs {
		last[cs[i].ID] = i
	}
	if len(last) == len(cs) {
		return cs
	}
	out := make([]report.Conversation, 0, len(last))
	for i := range cs {
		if last[cs[i].ID] == i {
			out = append(out, cs[i])
		}
	}
	return out
}
