package reports

import (
	"context"
	"sync"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/store"
)

// flightGroup shares one live build between the requests for one hour, like
// golang.org/x/sync/singleflight, and also counts who still reads the result:
// the spooled zip is removed only when the last reader releases it, and the
// number of builds in flight per tenant is capped.
type flightGroup struct {
	mu        sync.Mutex
	flights   map[flightKey]*flight
	perTenant map[uuid.UUID]int
}

// flightKey names a build: one hour, as of the data version the requests
// that share it saw before it began.
type flightKey struct {
	ref     store.ChunkRef
	version int64
}

// flight is one build and its readers.
type flight struct {
	g     *flightGroup
	done  chan struct{}
	refs  int
	built *Built
	// stored is set when the leader found the report already stored.
	stored bool
	err    error
	// finished is set, under the group's lock, once the build returned.
	finished bool
}

// join returns the flight of key, starting it with fn when there is none.
// Every successful join must be released once.
func (g *flightGroup) join(key flightKey, maxPerTenant int, fn func() (*Built, bool, error)) (*flight, error) {
	ref := key.ref
	g.mu.Lock()
	if g.flights == nil {
		g.flights = make(map[flightKey]*flight)
		g.perTenant = make(map[uuid.UUID]int)
	}
	if f, ok := g.flights[key]; ok {
		f.refs++
		g.mu.Unlock()
		return f, nil
	}
	if g.perTenant[ref.TenantID] >= maxPerTenant {
		g.mu.Unlock()
		return nil, &apperr.Error{Code: apperr.TooMany, Message: "too many live report builds in flight for this tenant", RetryAfter: retryAfterBusy}
	}
	f := &flight{g: g, done: make(chan struct{}), refs: 1}
	g.flights[key] = f
	g.perTenant[ref.TenantID]++
	g.mu.Unlock()

	go func() {
		built, stored, err := fn()
		g.mu.Lock()
		f.built, f.stored, f.err, f.finished = built, stored, err, true
		delete(g.flights, key)
		if g.perTenant[ref.TenantID]--; g.perTenant[ref.TenantID] == 0 {
			delete(g.perTenant, ref.TenantID)
		}
		if f.refs == 0 {
			f.built.Remove()
		}
		g.mu.Unlock()
		close(f.done)
	}()
	return f, nil
}

// wait blocks until the flight's build is done or ctx ends.
func (f *flight) wait(ctx context.Context) error {
	select {
	case <-f.done:
		return f.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// release drops one reader; the last reader of a finished build removes its
// spool.
func (f *flight) release() {
	f.g.mu.Lock()
	defer f.g.mu.Unlock()
	f.refs--
	if f.refs == 0 && f.finished { // otherwise the build goroutine removes it
		f.built.Remove()
	}
}
