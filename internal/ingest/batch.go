package ingest

import (
	"errors"
	"io"

	"github.com/dailyreports/dailyreports/internal/document"
)

// ReadBatch reads a batch as Decode does and returns each conversation in
// its report form (document.Encode), each Id once (the last record with it
// wins), sorted by Id so that batches touching the same conversations store
// them in one order. A decoded record is dropped as soon as it is encoded,
// so the batch costs its encoded form, about the size of the body.
func ReadBatch(r io.Reader, contentType string, lim Limits) ([]document.Encoded, error) {
	d, err := NewDecoder(r, contentType, lim)
	if err != nil {
		return nil, err
	}
	var out []document.Encoded
	for {
		c, err := d.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		out = append(out, document.Encode(&c))
	}
	return document.Unique(out), nil
}
