package reports

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/store"
)

// testBuilt returns a finished (empty) spool as a build result.
func testBuilt(t *testing.T, h document.Hour) *Built {
	t.Helper()
	sp, err := document.NewSpool(t.TempDir(), h, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := sp.Close(); err != nil {
		t.Fatal(err)
	}
	return &Built{Spool: sp}
}

// One build is shared by every joiner, the cap counts builds (not joiners)
// per tenant, and the spool lives until the last reader releases it.
func TestFlightGroupSharesAndCaps(t *testing.T) {
	var g flightGroup
	tenant := uuid.New()
	h := document.NewHour(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), 1)
	a := flightKey{ref: store.ChunkRef{TenantID: tenant, Hour: h}}
	b := flightKey{ref: store.ChunkRef{TenantID: tenant, Hour: document.NewHour(h.Day, 2)}}
	release := make(chan struct{})
	built := testBuilt(t, h)
	var calls int
	var mu sync.Mutex
	fn := func() (*Built, bool, error) {
		mu.Lock()
		calls++
		mu.Unlock()
		<-release
		return built, false, nil
	}
	f1, err := g.join(a, 1, fn)
	if err != nil {
		t.Fatal(err)
	}
	f2, err := g.join(a, 1, fn)
	if err != nil || f2 != f1 {
		t.Fatalf("second join: %v, same flight %t", err, f2 == f1)
	}
	if _, err := g.join(b, 1, fn); apperr.CodeOf(err) != apperr.TooMany || apperr.RetryAfterOf(err) == 0 {
		t.Fatalf("another hour over the cap: %v", err)
	}
	if _, err := g.join(flightKey{ref: store.ChunkRef{TenantID: uuid.New(), Hour: h}}, 1, func() (*Built, bool, error) { return nil, true, nil }); err != nil {
		t.Fatalf("another tenant is capped too: %v", err)
	}
	close(release)
	for _, f := range []*flight{f1, f2} {
		if err := f.wait(context.Background()); err != nil || f.built != built {
			t.Fatalf("wait: %v", err)
		}
	}
	if calls != 1 {
		t.Fatalf("%d builds, want 1", calls)
	}
	r := built.Spool.Open()
	f1.release()
	if _, err := r.ReadAt(make([]byte, 1), 0); err != nil {
		t.Fatalf("spool gone while a reader holds it: %v", err)
	}
	f2.release()
	if _, err := r.ReadAt(make([]byte, 1), 0); err == nil {
		t.Fatal("spool still readable after the last release")
	}
	if _, err := g.join(b, 1, func() (*Built, bool, error) { return nil, true, nil }); err != nil {
		t.Fatalf("cap not released after the build: %v", err)
	}
}

// A request that saw newer data than a build in flight does not join it.
func TestFlightGroupKeysByVersion(t *testing.T) {
	var g flightGroup
	ref := store.ChunkRef{TenantID: uuid.New(), Hour: document.NewHour(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), 1)}
	hold := make(chan struct{})
	fn := func() (*Built, bool, error) { <-hold; return nil, true, nil }
	old, err := g.join(flightKey{ref: ref, version: 1}, 2, fn)
	if err != nil {
		t.Fatal(err)
	}
	newer, err := g.join(flightKey{ref: ref, version: 2}, 2, fn)
	if err != nil || newer == old {
		t.Fatalf("newer version joined the older build: %v", err)
	}
	close(hold)
	_ = old.wait(context.Background())
	_ = newer.wait(context.Background())
	old.release()
	newer.release()
}
