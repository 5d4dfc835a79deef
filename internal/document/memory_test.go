package document

import (
	"io"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
)

// TestSpoolMemoryBounded encodes a ~60 MB hour through a spool and checks that
// neither the live heap nor the total allocated grows with the document: it
// would fail if the encoder or the zip held the document in memory.
func TestSpoolMemoryBounded(t *testing.T) {
	const n, m = 20_000, 12
	c := sampleConversation(rand.New(rand.NewPCG(3, 0)), 1, m)
	h := Header{Hour: testHour, ConversationCount: n, MessageCount: n * m}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	s, err := NewSpool(t.TempDir(), h.Hour, h.GeneratedAt)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Remove()
	e, err := NewEncoder(s.Writer(), h)
	if err != nil {
		t.Fatal(err)
	}
	for range n {
		if err := e.Write(&c); err != nil {
			t.Fatal(err)
		}
	}
	runtime.GC() // the encoder and the spool are still live: a buffered document would be too
	runtime.ReadMemStats(&after)
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	checkMemory(t, s.JSONSize(), &before, &after)
}

func checkMemory(t *testing.T, doc int64, before, after *runtime.MemStats) {
	// The spool keeps a zip in memory up to memSpool bytes (its buffer
	// doubling on the way) before it moves it to a file: what is bounded is
	// that share, not the document.
	const bound = 2*memSpool + 1<<20
	if doc < 32<<20 {
		t.Fatalf("document of %d bytes is too small to prove anything", doc)
	}
	inuse := int64(after.HeapInuse) - int64(before.HeapInuse)
	alloc := int64(after.TotalAlloc - before.TotalAlloc)
	t.Logf("document %d bytes, heap in use +%d, allocated %d", doc, inuse, alloc)
	if inuse > bound || alloc > bound {
		t.Errorf("heap in use +%d, allocated %d bytes for a %d-byte document; want both under %d",
			inuse, alloc, doc, bound)
	}
}

func TestEncoderWriteDoesNotAllocate(t *testing.T) {
	c := sampleConversation(rand.New(rand.NewPCG(4, 0)), 1, 12)
	h := Header{Hour: testHour, ConversationCount: math.MaxInt32, MessageCount: math.MaxInt32}
	e, err := NewEncoder(io.Discard, h)
	if err != nil {
		t.Fatal(err)
	}
	allocs := testing.AllocsPerRun(1000, func() {
		if err := e.Write(&c); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("Write allocates %v times per conversation, want 0", allocs)
	}
}
