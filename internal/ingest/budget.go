package ingest

import (
	"context"
	"errors"
	"io"
	"time"

	"golang.org/x/sync/semaphore"

	"github.com/dailyreports/dailyreports/internal/apperr"
)

// Budget bounds the body bytes that the batches being ingested hold at
// once, across all requests of a process, so memory stays bounded whatever
// the concurrency: each batch takes its share before its body is read and
// gives it back when the request is done. A batch that cannot get its share
// within the wait is refused with apperr.Unavailable and a Retry-After,
// before any of its body is read.
type Budget struct {
	sem   *semaphore.Weighted
	size  int64
	wait  time.Duration
	gauge Gauge
}

// Gauge is told how the bytes held change (a prometheus.Gauge is one).
type Gauge interface{ Add(float64) }

// NewBudget returns a budget of size bytes whose batches wait at most wait
// for their share; gauge, if not nil, follows the bytes held.
func NewBudget(size int64, wait time.Duration, gauge Gauge) *Budget {
	size = max(size, 1)
	return &Budget{sem: semaphore.NewWeighted(size), size: size, wait: wait, gauge: gauge}
}

// DefaultBudget returns the budget of a process whose soft memory limit is
// memoryLimit: an eighth of it, since a batch decoded takes about 1.3 times
// its body and the garbage collector lets the heap grow to twice what is
// live, and the rest of the process needs room too. A batch waits up to
// 3 seconds for its share.
func DefaultBudget(memoryLimit int64, gauge Gauge) *Budget {
	return NewBudget(memoryLimit/8, 3*time.Second, gauge)
}

// Reader returns body as a reader that draws on the budget: its first read
// takes size bytes (the body's Content-Length, or the most a batch may have
// when the length is unknown) before anything is read, waiting if need be,
// and the share gives back what it did not use once the body ends. No batch
// takes more than the whole budget, so one larger than the budget runs
// alone. A read fails with the budget's refusal, or with ctx's end while
// waiting. release gives back the rest; call it once the batch is no
// longer held.
func (b *Budget) Reader(ctx context.Context, body io.Reader, size int64) (r io.Reader, release func()) {
	s := &share{b: b, ctx: ctx, r: body, want: size}
	return s, s.release
}

// share is one batch's part of a Budget.
type share struct {
	b        *Budget
	ctx      context.Context
	r        io.Reader
	want     int64
	held     int64 // bytes of the budget taken
	read     int64
	taken    bool
	released bool
	refused  error
}

// Read reads the body, taking the share first; at the body's end, the
// share shrinks to what was read.
func (s *share) Read(p []byte) (int, error) {
	switch {
	case s.released:
		return 0, errReleased
	case s.refused != nil:
		return 0, s.refused
	case !s.taken:
		if s.refused = s.take(); s.refused != nil {
			return 0, s.refused
		}
	}
	n, err := s.r.Read(p)
	s.read += int64(n)
	if errors.Is(err, io.EOF) && s.held > s.read {
		s.b.count(s.read - s.held) // before the release, so the gauge never overstates
		s.b.sem.Release(s.held - s.read)
		s.held = s.read
	}
	return n, err
}

// take gives the share what it wants (at most the whole budget), waiting
// up to the budget's wait.
func (s *share) take() error {
	n := min(s.want, s.b.size)
	if n <= 0 {
		s.taken = true
		return nil
	}
	wait, cancel := context.WithTimeout(s.ctx, s.b.wait)
	defer cancel()
	if err := s.b.sem.Acquire(wait, n); err != nil {
		if s.ctx.Err() != nil {
			return apperr.Wrap(s.ctx.Err(), apperr.Unavailable, "the request ended while waiting to be read")
		}
		return &apperr.Error{Code: apperr.Unavailable, Message: "too many batches are being ingested at once; retry shortly",
			RetryAfter: max(s.b.wait, time.Second), Err: errBusy}
	}
	s.taken, s.held = true, n
	s.b.count(n)
	return nil
}

// count tells the gauge that n bytes were taken (negative: given back).
func (b *Budget) count(n int64) {
	if b.gauge != nil {
		b.gauge.Add(float64(n))
	}
}

// release gives the share back to the budget.
func (s *share) release() {
	s.released = true
	if s.held > 0 {
		s.b.count(-s.held)
		s.b.sem.Release(s.held)
		s.held = 0
	}
}

var (
	// errBusy is the cause of the budget's refusal.
	errBusy = errors.New("ingestion budget exhausted")
	// errReleased is what a share reads once given back.
	errReleased = errors.New("ingest: body read after its budget was released")
)

// IsBusy reports whether err is the budget's refusal of a batch.
func IsBusy(err error) bool { return errors.Is(err, errBusy) }
