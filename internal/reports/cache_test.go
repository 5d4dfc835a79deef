package reports

import (
	"testing"
)

// An entry serves only the data version and SHA-256 it was stored under;
// the least recently used entries leave first; a report too large for an
// entry is not kept.
func TestZipCache(t *testing.T) {
	c := newZipCache(10, 4)
	meta := func(v int64, sum string) Meta { return Meta{DataVersion: v, SHA256: sum} }
	c.put("a", meta(1, "sa"), []byte("aaa"))
	c.put("b", meta(1, "sb"), []byte("bbb"))
	if _, ok := c.get("a", 1, "sa"); !ok {
		t.Fatal("a: miss")
	}
	for _, tc := range []struct {
		version int64
		sum     string
	}{{2, "sa"}, {1, "other"}} {
		if _, ok := c.get("a", tc.version, tc.sum); ok {
			t.Fatalf("a at version %d, sha %q: hit", tc.version, tc.sum)
		}
	}
	c.put("c", meta(1, "sc"), []byte("cccc")) // 10 bytes: all fit
	c.put("d", meta(1, "sd"), []byte("dd"))   // 12: b, least recently used, leaves
	if _, ok := c.get("b", 1, "sb"); ok {
		t.Fatal("b survived eviction")
	}
	for _, k := range []string{"a", "c", "d"} {
		if _, ok := c.get(k, 1, "s"+k); !ok {
			t.Fatalf("%s evicted", k)
		}
	}
	c.put("a", meta(2, "sa2"), []byte("a2")) // replaces a
	if e, ok := c.get("a", 2, "sa2"); !ok || string(e.data) != "a2" || c.size != 8 {
		t.Fatalf("replaced a: %v %v, size %d", e, ok, c.size)
	}
	c.put("e", meta(1, "se"), []byte("eeeee"))
	if _, ok := c.get("e", 1, "se"); ok {
		t.Fatal("an entry over the entry limit was kept")
	}
	off := newZipCache(-1, 0)
	off.put("a", meta(1, "sa"), []byte("a"))
	if _, ok := off.get("a", 1, "sa"); ok || off.fits(1) {
		t.Fatal("a disabled cache kept an entry")
	}
}
