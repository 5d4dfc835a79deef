package reports

import (
	"context"
	"errors"
	"time"

	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/store"
)

// StoreOptions adjust BuildAndStore.
type StoreOptions struct {
	// Overwrite builds and stores the hour even when a report of its data
	// is recorded (an erasure's rebuild after its purge): it waits for
	// another build that holds the claim, then builds and stores itself.
	Overwrite bool
	// Stopping, when it closes, ends a wait for another build of the hour
	// with ErrStopping, so the work goes back to the queue.
	Stopping <-chan struct{}
}

// BuildAndStore builds, uploads and records one chunk, as the nightly run
// does, and reports the outcome in the metrics under source. When another
// build (live, or another run's) holds the hour's claim for the data it
// read, it waits for that build instead and returns the report it
// recorded; a claim that lapses without a record is taken up.
func (b *Builder) BuildAndStore(ctx context.Context, ref store.ChunkRef, source string, opts StoreOptions) (Meta, error) {
	start := time.Now()
	for {
		built, c, err := b.buildClaimed(ctx, ref, unknownVersion, opts.Overwrite)
		if r := refusal(err); r != nil {
			if opts.Overwrite { // it must upload itself, once the other build is done
				if err := b.awaitRelease(ctx, ref, r.version, opts.Stopping); err != nil {
					return Meta{}, err
				}
				continue
			}
			meta, done, err := b.awaitOther(ctx, ref, r, opts.Stopping)
			if done || err != nil {
				return meta, err
			}
			continue
		}
		if err == nil {
			err = b.uploadClaimed(ctx, built, c)
		}
		built.Remove()
		if errors.Is(err, errTakenOver) {
			continue // the build that took the claim stores the hour: wait for it
		}
		if err != nil {
			b.Metrics.ChunksFailed.WithLabelValues(Reason(ctx, err)).Inc()
			return Meta{}, err
		}
		b.Metrics.ChunksBuilt.WithLabelValues(source).Inc()
		b.Metrics.BuildSeconds.WithLabelValues(source).Observe(time.Since(start).Seconds())
		b.Metrics.ReportBytes.WithLabelValues(source).Add(float64(built.Meta.Size))
		return built.Meta, nil
	}
}

// awaitOther is BuildAndStore's answer to a refused claim: the report
// recorded when the hour is stored (done), or nothing when the other
// build's claim ended without a record and the hour is to be claimed again.
func (b *Builder) awaitOther(ctx context.Context, ref store.ChunkRef, r *refusedError, stopping <-chan struct{}) (Meta, bool, error) {
	if r.claimed.Stored {
		row, err := b.Store.Chunk(ctx, ref)
		if err != nil {
			return Meta{}, false, err
		}
		b.Metrics.BuildsDeduplicated.WithLabelValues(dedupStored).Inc()
		return metaOfRow(ref, row), true, nil
	}
	outcome, row, err := b.await(ctx, ref, r.version, time.Time{}, stopping)
	if err != nil || outcome != awaitedStored {
		return Meta{}, false, err
	}
	b.Metrics.BuildsDeduplicated.WithLabelValues(dedupWaited).Inc()
	return metaOfRow(ref, row), true, nil
}

// metaOfRow describes the report a chunk's row records.
func metaOfRow(ref store.ChunkRef, row *store.ChunkState) Meta {
	m := Meta{TenantID: ref.TenantID, Hour: ref.Hour, SchemaVersion: document.SchemaVersion}
	if row != nil && row.Report != nil {
		r := row.Report
		m.DataVersion, m.ConversationCount, m.MessageCount = r.BuiltVersion, r.ConversationCount, r.MessageCount
		m.Size, m.SHA256, m.GeneratedAt = r.SizeBytes, r.SHA256, r.GeneratedAt
	}
	return m
}
