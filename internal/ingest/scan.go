package ingest

import (
	"bytes"
	"encoding/json"
	"iter"
)

// The scanner below only finds where values end; encoding/json checks the
// grammar. skipValue is safe on any input (it is how records are cut out of a
// body before they are checked); members and elements assume a valid object
// or array. None of them recurse, so nesting depth costs no stack.

// isSpace reports whether c is JSON whitespace.
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// skipSpace returns the index of the first non-space byte of b at or after i.
func skipSpace(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

// skipString returns the index after the string that opens at b[i], or
// len(b) when it is not closed. A quote ends the string unless an odd run of
// backslashes precedes it.
func skipString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		q := bytes.IndexByte(b[i:], '"')
		if q < 0 {
			break
		}
		i += q
		if !escaped(b, i) {
			return i + 1
		}
	}
	return len(b)
}

// escaped reports whether b[i] follows an odd run of backslashes.
func escaped(b []byte, i int) bool {
	n := 0
	for i--; b[i] == '\\'; i-- {
		n++
	}
	return n%2 == 1
}

// skipValue returns the index after the value that starts at b[i], or len(b)
// when it does not end.
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return len(b)
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		return skipNested(b, i)
	}
	for i < len(b) && !isSpace(b[i]) && b[i] != ',' && b[i] != ']' && b[i] != '}' {
		i++
	}
	return i
}

// skipNested returns the index after the object or array that opens at b[i].
func skipNested(b []byte, i int) int {
	depth := 0
	for i < len(b) {
		switch b[i] {
		case '"':
			i = skipString(b, i)
			continue
		case '{', '[':
			depth++
		case '}', ']':
			depth--
		}
		i++
		if depth == 0 {
			return i
		}
	}
	return len(b)
}

// members yields the key and raw value of each member of obj, a valid JSON
// object without surrounding space, in order. Keys are unescaped.
func members(obj []byte) iter.Seq2[[]byte, []byte] {
	return func(yield func([]byte, []byte) bool) {
		for i := skipSpace(obj, 1); obj[i] == '"'; {
			end := skipString(obj, i)
			key := unquoteKey(obj[i:end])
			i = skipSpace(obj, skipSpace(obj, end)+1)
			end = skipValue(obj, i)
			if !yield(key, obj[i:end]) {
				return
			}
			i = next(obj, end)
		}
	}
}

// elements yields each element of arr, a valid JSON array without surrounding
// space, in order.
func elements(arr []byte) iter.Seq[[]byte] {
	return func(yield func([]byte) bool) {
		for i := skipSpace(arr, 1); arr[i] != ']'; {
			end := skipValue(arr, i)
			if !yield(arr[i:end]) {
				return
			}
			i = next(arr, end)
		}
	}
}

// next returns the index of the member or element after the one ending at
// b[end], or of the closing bracket when there is none.
func next(b []byte, end int) int {
	i := skipSpace(b, end)
	if b[i] == ',' {
		i = skipSpace(b, i+1)
	}
	return i
}

// unquoteKey returns the text of the valid JSON string q.
func unquoteKey(q []byte) []byte {
	for _, c := range q {
		if c == '\\' {
			var s string
			_ = json.Unmarshal(q, &s) // q is valid: cannot fail
			return []byte(s)
		}
	}
	return q[1 : len(q)-1]
}
