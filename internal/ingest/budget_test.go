package ingest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dailyreports/dailyreports/internal/apperr"
)

// reserve takes size bytes of b for body, as a batch's first read does;
// body must not be empty, or that read ends it and gives the share back.
func reserve(b *Budget, ctx context.Context, body io.Reader, size int64) (io.Reader, func(), error) {
	r, release := b.Reader(ctx, body, size)
	_, err := r.Read(nil)
	return r, release, err
}

// held is a Gauge that remembers the most it ever showed.
type held struct {
	mu        sync.Mutex
	now, peak float64
}

func (h *held) Add(v float64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.now += v
	h.peak = max(h.peak, h.now)
}

// TestBudgetRefusesPastItsSize checks that a batch that does not fit waits,
// is refused with a Retry-After once the wait is over, and fits once the
// batch before it is done.
func TestBudgetRefusesPastItsSize(t *testing.T) {
	g := &held{}
	b := NewBudget(4<<20, 50*time.Millisecond, g)
	_, release, err := reserve(b, context.Background(), strings.NewReader("x"), 3<<20)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, release2, err := reserve(b, context.Background(), strings.NewReader("x"), 3<<20)
	if !IsBusy(err) || apperr.CodeOf(err) != apperr.Unavailable || apperr.RetryAfterOf(err) < time.Second {
		t.Fatalf("second batch: %v, want the budget's refusal with a Retry-After", err)
	}
	if waited := time.Since(start); waited < 50*time.Millisecond {
		t.Fatalf("refused after %v, before the wait was over", waited)
	}
	release2()
	release()
	if g.now != 0 || g.peak != 3<<20 {
		t.Fatalf("gauge now %v peak %v", g.now, g.peak)
	}
	_, release, err = reserve(b, context.Background(), strings.NewReader("x"), 3<<20)
	if err != nil {
		t.Fatalf("after the first batch was released: %v", err)
	}
	release()
}

// TestBudgetWaitsForItsShare checks that a batch waiting for its share gets
// it as soon as another batch gives its own back.
func TestBudgetWaitsForItsShare(t *testing.T) {
	b := NewBudget(4<<20, 5*time.Second, nil)
	_, release, err := reserve(b, context.Background(), strings.NewReader("x"), 4<<20)
	if err != nil {
		t.Fatal(err)
	}
	time.AfterFunc(50*time.Millisecond, release)
	_, release2, err := reserve(b, context.Background(), strings.NewReader("x"), 1<<20)
	if err != nil {
		t.Fatalf("waiting batch: %v", err)
	}
	release2()
}

// TestBudgetShrinksAtTheEnd checks that a body that takes more than it
// uses (one of unknown length takes the most a batch may have) gives the
// rest back as soon as it has been read.
func TestBudgetShrinksAtTheEnd(t *testing.T) {
	g := &held{}
	b := NewBudget(4<<20, 50*time.Millisecond, g)
	r, release, err := reserve(b, context.Background(), bytes.NewReader(make([]byte, 1<<20)), 4<<20)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	if _, err := io.Copy(io.Discard, r); err != nil {
		t.Fatal(err)
	}
	if g.now != 1<<20 {
		t.Fatalf("after the body: %v bytes held, want 1 MiB", g.now)
	}
	_, release2, err := reserve(b, context.Background(), strings.NewReader("x"), 3<<20)
	if err != nil {
		t.Fatalf("the rest of the budget: %v", err)
	}
	release2()
	release()
	if _, err := r.Read(make([]byte, 1)); !errors.Is(err, errReleased) {
		t.Fatalf("read after release: %v", err)
	}
}

// TestBudgetConcurrentBodies checks that concurrent batches never hold more
// than the budget together, and that one larger than the whole budget still
// reads to the end, alone.
func TestBudgetConcurrentBodies(t *testing.T) {
	g := &held{}
	b := NewBudget(4<<20, 10*time.Second, g)
	var wg sync.WaitGroup
	for i := range 6 {
		wg.Go(func() {
			body := make([]byte, (i%3+1)<<20+i)
			r, release, err := reserve(b, context.Background(), bytes.NewReader(body), int64(len(body)))
			defer release()
			if err != nil {
				t.Errorf("batch %d: %v", i, err)
				return
			}
			if n, err := io.Copy(io.Discard, r); err != nil || n != int64(len(body)) {
				t.Errorf("batch %d: read %d of %d: %v", i, n, len(body), err)
			}
		})
	}
	wg.Go(func() {
		r, release, err := reserve(b, context.Background(), bytes.NewReader(make([]byte, 6<<20)), 6<<20)
		defer release()
		if err == nil {
			_, err = io.Copy(io.Discard, r)
		}
		if err != nil {
			t.Errorf("batch over the whole budget: %v", err)
		}
	})
	wg.Wait()
	if g.peak > 4<<20 || g.now != 0 {
		t.Fatalf("held at most %v bytes (budget 4 MiB), %v at the end", g.peak, g.now)
	}
}

// TestBudgetGivesUpWithTheRequest checks that a batch stops waiting when its
// request ends.
func TestBudgetGivesUpWithTheRequest(t *testing.T) {
	b := NewBudget(1<<20, time.Minute, nil)
	_, release, _ := reserve(b, context.Background(), strings.NewReader("x"), 1<<20)
	defer release()
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	_, _, err := reserve(b, ctx, strings.NewReader("x"), 1)
	if err == nil || IsBusy(err) {
		t.Fatalf("err %v, want the request's end", err)
	}
}
