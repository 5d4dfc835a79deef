package document

import (
	"fmt"
	"io"
	"testing"
)

// benchHour is a busy hour: 300 conversations of 12 realistic messages.
func benchHour(b *testing.B) (Header, []Conversation, int64) {
	cs := sampleHour(42, 300, 12)
	h := header(testHour, cs)
	return h, cs, int64(len(mustEncode(b, h, cs)))
}

func BenchmarkEncodeHour(b *testing.B) {
	h, cs, size := benchHour(b)
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		encodeHour(b, io.Discard, h, cs)
	}
}

func BenchmarkSpoolHour(b *testing.B) {
	benchSpool(b, flateLevel)
}

// BenchmarkSpoolLevel is how flateLevel was chosen: time and zip size per
// deflate level.
func BenchmarkSpoolLevel(b *testing.B) {
	for _, level := range []int{1, 2, 3, 4, 5, 6} {
		b.Run(fmt.Sprintf("level=%d", level), func(b *testing.B) { benchSpool(b, level) })
	}
}

func benchSpool(b *testing.B, level int) {
	h, cs, size := benchHour(b)
	dir := b.TempDir()
	b.SetBytes(size)
	b.ReportAllocs()
	var zipped int64
	for b.Loop() {
		s, err := newSpool(dir, h.Hour, h.GeneratedAt, level)
		if err != nil {
			b.Fatal(err)
		}
		encodeHour(b, s.Writer(), h, cs)
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
		zipped = s.Size()
		s.Remove()
	}
	b.ReportMetric(float64(zipped), "zip-bytes")
	b.ReportMetric(float64(size)/float64(zipped), "ratio")
}

func encodeHour(b *testing.B, w io.Writer, h Header, cs []Conversation) {
	e, err := NewEncoder(w, h)
	if err != nil {
		b.Fatal(err)
	}
	for i := range cs {
		if err := e.Write(&cs[i]); err != nil {
			b.Fatal(err)
		}
	}
	if err := e.Close(); err != nil {
		b.Fatal(err)
	}
}
