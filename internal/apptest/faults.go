package apptest

import (
	"context"
	"io"
	"sync"

	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/blob"
	"github.com/dailyreports/dailyreports/internal/reports"
)

// Objects wraps the real object store, records every upload and fails the
// ones Fail picks, the way an unreachable MinIO would.
type Objects struct {
	reports.Objects
	// Fail reports whether the n-th upload (from 1) of key must fail.
	Fail func(key string, n int) bool

	mu    sync.Mutex
	puts  []string
	count map[string]int
}

// Put records the upload, then fails it or passes it on.
func (o *Objects) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string, meta map[string]string) error {
	o.mu.Lock()
	if o.count == nil {
		o.count = make(map[string]int)
	}
	o.count[key]++
	n := o.count[key]
	o.puts = append(o.puts, key)
	o.mu.Unlock()
	if o.Fail != nil && o.Fail(key, n) {
		return apperr.Wrap(io.ErrClosedPipe, apperr.Unavailable, blob.UnavailableMessage)
	}
	return o.Objects.Put(ctx, key, r, size, contentType, meta)
}

// Puts returns the keys uploaded so far, in order, failed ones included.
func (o *Objects) Puts() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]string(nil), o.puts...)
}

// Count returns how many uploads of key were tried.
func (o *Objects) Count(key string) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.count[key]
}
