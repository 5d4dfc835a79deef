package reports

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/dailyreports/dailyreports/internal/store"
)

// DefaultLease is how long a build's claim on its hour holds without being
// renewed; a build renews it every third of it. A build whose process died
// is taken up once its lease has lapsed.
const DefaultLease = 10 * time.Second

// Outcomes of deduplicated builds (metrics.DedupOutcomes).
const (
	dedupStored    = "stored"
	dedupWaited    = "waited"
	dedupUnstored  = "unstored"
	dedupTakenOver = "taken_over"
)

// ErrStopping ends a wait for another build when the process stops: the
// work goes back to the queue.
var ErrStopping = errors.New("reports: the process is stopping")

// errTakenOver is the outcome of a build that lost its claim before its
// upload: it stores nothing.
var errTakenOver = errors.New("reports: the build's claim was taken over")

// refusedError aborts a build whose claim was refused: the hour is stored
// from the data version it read, or another build of that version (or a
// newer one) holds the claim.
type refusedError struct {
	version int64
	claimed store.BuildClaimed
}

func (e *refusedError) Error() string {
	if e.claimed.Stored {
		return fmt.Sprintf("reports: the hour is stored from data version %d", e.claimed.Version)
	}
	return fmt.Sprintf("reports: data version %d of the hour is being built until %s", e.claimed.Version, e.claimed.Until.Format(time.RFC3339Nano))
}

// refusal returns the refusal err carries, nil when it carries none.
func refusal(err error) *refusedError {
	var r *refusedError
	if errors.As(err, &r) {
		return r
	}
	return nil
}

func (b *Builder) lease() time.Duration {
	if b.Lease > 0 {
		return b.Lease
	}
	return DefaultLease
}

// claim is one build's hold on its hour's row: renewed every third of the
// lease while the build runs, released when it ends without a record.
type claim struct {
	b     *Builder
	ref   store.ChunkRef
	token string
	lease time.Duration
	stop  chan struct{}
	done  chan struct{}
	// lost is set once a renewal found the claim taken over.
	lost atomic.Bool
}

// unknownVersion asks buildClaimed to read the hour's data version itself.
const unknownVersion = -1

// claimRounds bounds how often a build claims its hour again because
// ingestion moved the hour's data version between the claim and the
// build's snapshot.
const claimRounds = 3

// errVersionMoved aborts a build whose snapshot reads a newer data version
// than its claim names: it claims that version and reads again.
type errVersionMoved struct{ version int64 }

func (e *errVersionMoved) Error() string {
	return fmt.Sprintf("reports: the hour moved on to data version %d", e.version)
}

// buildClaimed builds ref under a claim on the data version the hour has
// now, taken before the build's snapshot: a build never holds a
// connection while it asks for another, so builds do not wait on each
// other for the pool however many run at once. A snapshot that reads a
// newer version (ingestion between the two) claims that version and reads
// again; after claimRounds the build goes on with the newer data under the
// older claim, which a build of the newer version may take over (the
// older build then stores nothing). A refused claim aborts the build (a
// refusedError). version is the hour's data version as the caller just
// read it, or unknownVersion: the build reads it first.
func (b *Builder) buildClaimed(ctx context.Context, ref store.ChunkRef, version int64, overwrite bool) (*Built, *claim, error) {
	c := &claim{b: b, ref: ref, token: strings.ToLower(rand.Text()), lease: b.lease()}
	var err error
	if version == unknownVersion {
		version, err = b.dataVersion(ctx, ref)
	}
	for round := 1; err == nil; round++ {
		if err = c.take(ctx, version, overwrite); err != nil {
			break
		}
		claimed := version
		var built *Built
		built, err = b.build(ctx, ref, func(read int64) error {
			if read != claimed && round < claimRounds {
				return &errVersionMoved{version: read}
			}
			return nil
		})
		var moved *errVersionMoved
		if !errors.As(err, &moved) {
			if err == nil {
				return built, c, nil
			}
			break
		}
		version, err = moved.version, nil
	}
	c.release(ctx)
	return nil, nil, err
}

// dataVersion is the hour's data version now (0: no row yet).
func (b *Builder) dataVersion(ctx context.Context, ref store.ChunkRef) (int64, error) {
	st, err := b.Store.Chunk(ctx, ref)
	if err != nil || st == nil {
		return 0, err
	}
	return st.DataVersion, nil
}

// take claims the hour for a build of version, renewing the claim from
// then on; the claim's own earlier hold (another round) gives way to it.
func (c *claim) take(ctx context.Context, version int64, overwrite bool) error {
	got, err := c.b.Store.ClaimBuild(ctx, c.ref, store.BuildClaim{Version: version, Token: c.token, Lease: c.lease, Overwrite: overwrite})
	if err != nil {
		return err
	}
	if !got.Won {
		return &refusedError{version: version, claimed: got}
	}
	if c.stop == nil {
		c.start(ctx)
	}
	return nil
}

// start renews the claim until end.
func (c *claim) start(ctx context.Context) {
	c.stop, c.done = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(c.done)
		tick := time.NewTicker(c.lease / 3)
		defer tick.Stop()
		for {
			select {
			case <-c.stop:
				return
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			ok, err := c.b.Store.RenewBuild(ctx, c.ref, c.token, c.lease)
			switch {
			case err != nil:
				c.b.Log.WarnContext(ctx, "build claim not renewed", "tenant", c.ref.TenantID, "hour", c.ref.Hour.String(), "err", err)
			case !ok:
				c.lost.Store(true)
				return
			}
		}
	}()
}

// end stops renewing the claim.
func (c *claim) end() {
	if c != nil && c.stop != nil {
		close(c.stop)
		<-c.done
		c.stop = nil
	}
}

// owned reports whether the build still holds its claim, marking it
// uploading (store.StartUpload): from then on a build of newer data waits
// for this upload's record before it takes the claim over.
func (c *claim) owned(ctx context.Context) (bool, error) {
	if c.lost.Load() {
		return false, nil
	}
	return c.b.Store.StartUpload(ctx, c.ref, c.token, c.lease)
}

// release stops renewing the claim and drops it, if it is still held: the
// build ends without recording a report.
func (c *claim) release(ctx context.Context) {
	if c == nil || c.stop == nil {
		return
	}
	c.end()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := c.b.Store.ReleaseBuild(ctx, c.ref, c.token); err != nil {
		c.b.Log.WarnContext(ctx, "build claim not released; it lapses", "tenant", c.ref.TenantID, "hour", c.ref.Hour.String(), "err", err)
	}
}

// tokenOf is the claim's token, "" for a build without one.
func (c *claim) tokenOf() string {
	if c == nil {
		return ""
	}
	return c.token
}

// uploadClaimed stores built under its claim c, which it ends. A build
// whose claim was taken over by then stores nothing (errTakenOver): the
// build that took it stores the hour.
func (b *Builder) uploadClaimed(ctx context.Context, built *Built, c *claim) error {
	if err := b.upload(ctx, built, c); err != nil {
		c.release(ctx)
		return err
	}
	c.end() // recording the report released the claim
	return nil
}

// stillOwned returns errTakenOver when c (nil: no claim) was taken over.
func (b *Builder) stillOwned(ctx context.Context, c *claim) error {
	if c == nil {
		return nil
	}
	ok, err := c.owned(ctx)
	if err == nil && !ok {
		b.Metrics.BuildsDeduplicated.WithLabelValues(dedupTakenOver).Inc()
		return errTakenOver
	}
	return err
}

// awaited is how a wait for another build of the hour ended.
type awaited int

const (
	// awaitedStored: the hour is stored from the version waited for, or newer.
	awaitedStored awaited = iota
	// awaitedFree: the other build's claim ended or lapsed without a
	// record; the hour may be claimed again.
	awaitedFree
	// awaitedTimeout: the bound passed first.
	awaitedTimeout
)

// Polling intervals of a wait for another build: doubling from the first
// to the last.
const (
	firstPoll = 25 * time.Millisecond
	lastPoll  = 250 * time.Millisecond
)

// await waits until ref is stored from version or newer data, or no build
// holds a claim of version or newer, or until passes (zero: no bound but
// ctx), or stopping closes (ErrStopping). It returns the row it read last.
func (b *Builder) await(ctx context.Context, ref store.ChunkRef, version int64, until time.Time, stopping <-chan struct{}) (awaited, *store.ChunkState, error) {
	return b.poll(ctx, ref, until, stopping, func(row *store.ChunkState, now time.Time) (awaited, bool) {
		switch {
		case row.StoredFrom(version):
			return awaitedStored, true
		case !claimedFrom(row, version, now):
			return awaitedFree, true
		}
		return 0, false
	})
}

// awaitRelease waits until no build holds a claim of ref's version or a
// newer one, whatever the row records, or stopping closes (ErrStopping).
func (b *Builder) awaitRelease(ctx context.Context, ref store.ChunkRef, version int64, stopping <-chan struct{}) error {
	_, _, err := b.poll(ctx, ref, time.Time{}, stopping, func(row *store.ChunkState, now time.Time) (awaited, bool) {
		return awaitedFree, !claimedFrom(row, version, now)
	})
	return err
}

// claimedFrom reports whether a build holds a claim of row's hour at
// version or newer at now, or one that is uploading (which no build takes
// over until its upload ends).
func claimedFrom(row *store.ChunkState, version int64, now time.Time) bool {
	return row != nil && row.Lease.Held(now) && (row.Lease.Version >= version || row.Lease.Uploading)
}

// poll reads ref's row, with intervals doubling from firstPoll to
// lastPoll, until done says so, until passes (awaitedTimeout; zero: no
// bound but ctx), or stopping closes (ErrStopping).
func (b *Builder) poll(ctx context.Context, ref store.ChunkRef, until time.Time, stopping <-chan struct{}, done func(*store.ChunkState, time.Time) (awaited, bool)) (awaited, *store.ChunkState, error) {
	delay := firstPoll
	for {
		wait := delay
		if !until.IsZero() {
			wait = min(wait, time.Until(until))
		}
		timer := time.NewTimer(max(wait, 0))
		select {
		case <-ctx.Done():
			timer.Stop()
			return 0, nil, ctx.Err()
		case <-stopping:
			timer.Stop()
			return 0, nil, ErrStopping
		case <-timer.C:
		}
		row, err := b.Store.Chunk(ctx, ref)
		if err != nil {
			return 0, nil, err
		}
		now := time.Now()
		if outcome, ok := done(row, now); ok {
			return outcome, row, nil
		}
		if !until.IsZero() && !now.Before(until) {
			return awaitedTimeout, row, nil
		}
		delay = min(2*delay, lastPoll)
	}
}
