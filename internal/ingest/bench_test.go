package ingest

import (
	"strings"
	"testing"
)

// benchBody is 10000 conversations of 12 messages each.
func benchBody(ndjsonBody bool) string {
	rs := manyRecords(10000, 12)
	if ndjsonBody {
		return ndjson(rs...)
	}
	return array(rs...)
}

func BenchmarkDecodeNDJSON(b *testing.B) {
	benchDecode(b, benchBody(true), "application/x-ndjson")
}

func BenchmarkDecodeArray(b *testing.B) {
	benchDecode(b, benchBody(false), "application/json")
}

func benchDecode(b *testing.B, body, contentType string) {
	lim := testLimits()
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(strings.NewReader(body), contentType, lim); err != nil {
			b.Fatal(err)
		}
	}
}
