package reports

import (
	"container/list"
	"sync"
)

// Defaults of the stored-report cache: hourly zips are mostly well under a
// megabyte, so 64 MiB keeps a few hundred hot hours.
const (
	defaultCacheBytes = 64 << 20
	defaultCacheEntry = 4 << 20
)

// zipCache keeps the bytes of small stored reports in memory, least recently
// used first out, so that a hot hour is served without a round trip to
// object storage. A stored report never changes once written: a rebuild
// writes a new object under a new SHA-256. An entry is therefore used only
// when the database's record of the chunk names the same data version and
// the same SHA-256 (the report's ETag) as the entry — exactly the report
// object storage holds, so the cache serves nothing older than storage would.
// It trusts that record: an object removed behind the service's back (not by
// a rebuild or the retention sweep, which delete the record too) is still
// served by the processes that cache it until it is evicted or the hour
// changes.
type zipCache struct {
	mu       sync.Mutex
	maxBytes int64
	maxEntry int64
	size     int64
	order    *list.List // of *cacheEntry, most recently used first
	entries  map[string]*list.Element
}

// cacheEntry is one stored report's zip.
type cacheEntry struct {
	key  string
	meta Meta
	data []byte
}

// newZipCache returns a cache of at most maxBytes holding entries of at most
// maxEntry bytes; maxBytes < 0 turns it off.
func newZipCache(maxBytes, maxEntry int64) *zipCache {
	if maxBytes == 0 {
		maxBytes = defaultCacheBytes
	}
	if maxEntry <= 0 {
		maxEntry = defaultCacheEntry
	}
	return &zipCache{maxBytes: maxBytes, maxEntry: min(maxEntry, max(maxBytes, 0)),
		order: list.New(), entries: make(map[string]*list.Element)}
}

// fits tells whether a report of size bytes may be cached.
func (c *zipCache) fits(size int64) bool { return c.maxBytes > 0 && size <= c.maxEntry }

// get returns the entry of key when it was built from dataVersion and its
// SHA-256 is sha256.
func (c *zipCache) get(key string, dataVersion int64, sha256 string) (*cacheEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.entries[key]
	if !ok {
		return nil, false
	}
	e := el.Value.(*cacheEntry)
	if e.meta.DataVersion != dataVersion || e.meta.SHA256 != sha256 {
		return nil, false
	}
	c.order.MoveToFront(el)
	return e, true
}

// put stores data as the report of key, replacing any older entry, and
// evicts the least recently used entries beyond the size limit.
func (c *zipCache) put(key string, meta Meta, data []byte) {
	if !c.fits(int64(len(data))) {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.entries[key]; ok {
		c.size -= int64(len(el.Value.(*cacheEntry).data))
		c.order.Remove(el)
	}
	c.entries[key] = c.order.PushFront(&cacheEntry{key: key, meta: meta, data: data})
	c.size += int64(len(data))
	for c.size > c.maxBytes {
		el := c.order.Back()
		e := el.Value.(*cacheEntry)
		c.order.Remove(el)
		delete(c.entries, e.key)
		c.size -= int64(len(e.data))
	}
}
