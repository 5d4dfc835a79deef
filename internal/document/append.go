package document

import (
	"math"
	"strconv"
	"time"
	"unicode/utf8"
)

// hexDigits are the digits encoding/json uses in \u escapes.
const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string exactly as encoding/json does with
// HTML escaping off: '"', '\\' and bytes below 0x20 are escaped, U+2028 and
// U+2029 are escaped, and each byte of invalid UTF-8 becomes \ufffd.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		i = plainPrefix(s, i)
		if i == len(s) {
			break
		}
		if c := s[i]; c < utf8.RuneSelf {
			i++
			if c >= 0x20 && c != '"' && c != '\\' {
				continue
			}
			b = appendEscapedByte(append(b, s[start:i-1]...), c)
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if size == 1 || r == '\u2028' || r == '\u2029' {
			b = appendEscapedRune(append(b, s[start:i-size]...), r)
			start = i
		}
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// plainPrefix returns the end of the run of s, from i, of ASCII bytes that
// stand literally in a JSON string. It tests eight bytes at a time: a word
// holds a byte to look at when one is < 0x20, '"', '\\' or ≥ 0x80.
func plainPrefix(s string, i int) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for ; i+8 <= len(s); i += 8 {
		x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		q, bs := x^(ones*'"'), x^(ones*'\\')
		if (x|(x-ones*0x20)|((q-ones)&^q)|((bs-ones)&^bs))&highs != 0 {
			break
		}
	}
	for i < len(s) && s[i] >= 0x20 && s[i] < utf8.RuneSelf && s[i] != '"' && s[i] != '\\' {
		i++
	}
	return i
}

// appendEscapedByte appends the escape of an ASCII byte that cannot stand
// literally in a JSON string.
func appendEscapedByte(b []byte, c byte) []byte {
	switch c {
	case '\\', '"':
		return append(b, '\\', c)
	case '\b':
		return append(b, '\\', 'b')
	case '\f':
		return append(b, '\\', 'f')
	case '\n':
		return append(b, '\\', 'n')
	case '\r':
		return append(b, '\\', 'r')
	case '\t':
		return append(b, '\\', 't')
	}
	return append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
}

// appendEscapedRune appends the escape of U+2028, U+2029, or of an invalid
// byte (r == utf8.RuneError, decoded with size 1).
func appendEscapedRune(b []byte, r rune) []byte {
	if r == utf8.RuneError {
		return append(b, `\ufffd`...)
	}
	return append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
}

// appendStringPtr appends *s, or null when s is nil.
func appendStringPtr(b []byte, s *string) []byte {
	if s == nil {
		return append(b, "null"...)
	}
	return appendString(b, *s)
}

// appendFloat appends f exactly as encoding/json formats a float64. NaN and
// ±Inf have no JSON form; rather than write an invalid document, they become
// null (ingestion refuses them, so a stored row never holds one).
func appendFloat(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(b, "null"...)
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if n := len(b); format == 'e' && n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
		b[n-2] = b[n-1] // e-07 → e-7, as encoding/json does
		b = b[:n-1]
	}
	return b
}

// appendFloatPtr appends *f, or null when f is nil.
func appendFloatPtr(b []byte, f *float64) []byte {
	if f == nil {
		return append(b, "null"...)
	}
	return appendFloat(b, *f)
}

// appendTime appends t in UTC as a quoted RFC 3339 time, with fractional
// seconds only when they are not zero (time.RFC3339Nano).
func appendTime(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = t.UTC().AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

// appendTimePtr appends *t, or null when t is nil.
func appendTimePtr(b []byte, t *time.Time) []byte {
	if t == nil {
		return append(b, "null"...)
	}
	return appendTime(b, *t)
}
