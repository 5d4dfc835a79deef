package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"mime"
	"strings"

	"github.com/dailyreports/dailyreports/internal/apperr"
)

// splitter cuts a body into records and hands each to add, with the kind
// ("record" or "line") and number that name it in errors.
type splitter func(body []byte, add func(kind string, n int, raw []byte) error) error

// splitterFor returns the splitter for a Content-Type header value.
func splitterFor(contentType string) (splitter, error) {
	if strings.TrimSpace(contentType) == "" {
		return splitArray, nil
	}
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil && !errors.Is(err, mime.ErrInvalidMediaParameter) {
		return nil, unsupported("unsupported content type")
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return nil, unsupported("unsupported charset %q: use utf-8", clip(cs))
	}
	switch mt {
	case "application/json":
		return splitArray, nil
	case "application/x-ndjson", "application/jsonl":
		return splitLines, nil
	}
	return nil, unsupported("unsupported content type %q: use application/json or application/x-ndjson", clip(mt))
}

// unsupported returns the error for a Content-Type Decode does not read.
func unsupported(format string, args ...any) error {
	return apperr.Wrap(ErrUnsupportedType, apperr.Invalid, fmt.Sprintf(format, args...))
}

// splitArray cuts a JSON array into its elements; records are numbered from 0.
func splitArray(body []byte, add func(string, int, []byte) error) error {
	i := skipSpace(body, 0)
	switch {
	case i == len(body):
		return errEmpty()
	case body[i] != '[':
		return apperr.New(apperr.Invalid, "body must be a JSON array of conversations (send NDJSON as application/x-ndjson)")
	}
	i = skipSpace(body, i+1)
	for n := 0; i == len(body) || body[i] != ']'; n++ {
		if i == len(body) {
			return errUnclosed()
		}
		end := skipValue(body, i)
		if err := add("record", n, body[i:end]); err != nil {
			return err
		}
		var err error
		if i, err = afterRecord(body, end, n); err != nil {
			return err
		}
	}
	if end := skipSpace(body, i+1); end != len(body) {
		return apperr.New(apperr.Invalid, "unexpected data after the JSON array at byte %d", end)
	}
	return nil
}

// afterRecord returns the index of the record after record n, which ends at
// body[end], or of the "]" that closes the array.
func afterRecord(body []byte, end, n int) (int, error) {
	i := skipSpace(body, end)
	switch {
	case i == len(body):
		return i, errUnclosed()
	case body[i] == ']':
		return i, nil
	case body[i] != ',':
		return i, apperr.New(apperr.Invalid, `record %d: expected "," or "]" after the record`, n)
	}
	if i = skipSpace(body, i+1); i < len(body) && body[i] == ']' {
		return i, apperr.New(apperr.Invalid, `record %d: expected a record after ","`, n+1)
	}
	return i, nil
}

// errUnclosed is the error for an array that the body does not close.
func errUnclosed() error {
	return apperr.New(apperr.Invalid, "unexpected end of body: the JSON array is not closed")
}

// splitLines cuts NDJSON into lines, one object each, skipping blank lines;
// lines are numbered from 1.
func splitLines(body []byte, add func(string, int, []byte) error) error {
	for n := 1; len(body) > 0; n++ {
		line, rest, _ := bytes.Cut(body, []byte{'\n'})
		body = rest
		line = line[skipSpace(line, 0):]
		if len(line) == 0 {
			continue
		}
		end := skipValue(line, 0)
		if err := add("line", n, line[:end]); err != nil {
			return err
		}
		if skipSpace(line, end) != len(line) {
			return apperr.New(apperr.Invalid, "line %d: unexpected data after the JSON object", n)
		}
	}
	return nil
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
