package reports

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/store"
)

// Sources of a served report.
const (
	SourceStored = "stored"
	SourceLive   = "live"
)

// Report is one hour's report ready to be served. Close releases it.
type Report struct {
	Meta   Meta
	Source string
	// Stored reports whether object storage holds this very report: always
	// for a stored source, and for a live one once its upload succeeded.
	Stored bool
	// Content reads the zip; it is seekable and readable at offsets.
	Content interface {
		io.ReadSeeker
		io.ReaderAt
	}
	close func()
}

// Close releases the report's object or spool.
func (r *Report) Close() {
	if r != nil && r.close != nil {
		r.close()
	}
}

// zips returns the cache of stored reports.
func (s *Service) zips() *zipCache {
	s.cacheOnce.Do(func() { s.cache = newZipCache(s.CacheBytes, defaultCacheEntry) })
	return s.cache
}

// retryAfterBusy and retryAfterDown are the hints given with 429 and 503.
const (
	retryAfterBusy = 2 * time.Second
	retryAfterDown = 5 * time.Second
)

// open returns the report of ref: stored when it is fresh, otherwise built
// live. Its errors are in the error vocabulary: Unavailable when neither a
// stored report nor a live build can be had, TooMany when the tenant's live
// builds are at their cap.
func (s *Service) open(ctx context.Context, ref store.ChunkRef) (*Report, error) {
	r, version, dbDown, err := s.stored(ctx, ref)
	if r != nil || err != nil {
		return r, err
	}
	if dbDown {
		return nil, unavailable("database unavailable and no stored report")
	}
	return s.live(ctx, ref, version)
}

// stored returns the stored report of ref when it is fresh, or nil, and the
// hour's data version it read. When the database cannot say whether it is
// fresh, a stored report is served as is.
func (s *Service) stored(ctx context.Context, ref store.ChunkRef) (r *Report, version int64, dbDown bool, err error) {
	row, err := s.Store.Chunk(ctx, ref)
	dbDown = apperr.CodeOf(err) == apperr.Unavailable
	if err != nil && !dbDown {
		return nil, 0, false, err
	}
	if row != nil {
		version = row.DataVersion
	}
	key := document.ObjectKey(ref.TenantID, ref.Hour)
	// A report that fits the cache is read whole in one GET even when the row
	// does not know it yet (no SHA-256, size 0: a build between its upload and
	// its record), so a concurrent rebuild cannot change it mid-read.
	if row != nil && s.zips().fits(row.ReportSize()) {
		if r, ok, err := s.storedSmall(ctx, ref, key, row); ok {
			return r, version, false, err
		}
	}
	obj, err := s.Builder.Blob.Open(ctx, key)
	switch apperr.CodeOf(err) {
	case "":
	case apperr.NotFound:
		return nil, version, dbDown, nil
	case apperr.Unavailable:
		if dbDown {
			return nil, version, true, unavailable("storage and database unavailable")
		}
		return nil, version, false, nil
	default:
		return nil, version, dbDown, err
	}
	meta, ok := metaFromObject(obj.Info.Metadata, obj.Info.Size)
	if !ok || meta.TenantID != ref.TenantID || meta.Hour != ref.Hour || (!dbDown && meta.DataVersion != version) {
		_ = obj.Close()
		return nil, version, dbDown, nil
	}
	return &Report{Meta: meta, Source: SourceStored, Stored: true, Content: obj, close: func() { _ = obj.Close() }}, version, dbDown, nil
}

// live builds the report of ref, sharing the build with concurrent requests
// that saw the same data version: a request that saw a newer version (data
// acknowledged after a build began) never joins that older build.
func (s *Service) live(ctx context.Context, ref store.ChunkRef, version int64) (*Report, error) {
	maxLive := s.MaxLivePerTenant
	if maxLive <= 0 {
		maxLive = 2
	}
	f, err := s.flights.join(flightKey{ref: ref, version: version}, maxLive, func() (*Built, bool, error) { return s.buildLive(ctx, ref) })
	if err != nil {
		if apperr.CodeOf(err) == apperr.TooMany {
			s.Builder.Metrics.LiveBuildsRefused.Inc()
		}
		return nil, err
	}
	if err := f.wait(ctx); err != nil {
		f.release()
		return nil, err
	}
	if f.stored {
		f.release()
		r, v, _, err := s.stored(ctx, ref)
		if r == nil && err == nil {
			return s.live(ctx, ref, v)
		}
		return r, err
	}
	return &Report{Meta: f.built.Meta, Source: SourceLive, Stored: f.built.Uploaded, Content: f.built.Spool.Open(), close: f.release}, nil
}

// DefaultLiveWait is how long a live request waits by default for another
// build of the same hour and data version before it builds its own.
const DefaultLiveWait = 10 * time.Second

// buildLive is the leader's work in a flight. It first checks again whether
// a build that just finished stored the report, then builds under the
// hour's claim and stores the result; a report that cannot be stored is
// still served. When another build, in any process, holds the claim for
// the data this one read, it waits for that build's report (the flight
// says stored) for at most LiveWait, then serves a build of its own
// without storing it.
func (s *Service) buildLive(ctx context.Context, ref store.ChunkRef) (*Built, bool, error) {
	timeout := s.LiveTimeout
	if timeout <= 0 {
		timeout = 2 * time.Minute
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
	defer cancel()
	r, version, _, err := s.stored(ctx, ref)
	if r != nil || err != nil {
		r.Close()
		return nil, r != nil, err
	}
	b := s.Builder
	b.Metrics.LiveBuilds.Inc()
	defer b.Metrics.LiveBuilds.Dec()
	wait := s.LiveWait
	if wait <= 0 {
		wait = DefaultLiveWait
	}
	start, until := time.Now(), time.Now().Add(wait)
	overwrite := false
	for {
		// The first try claims the version stored() read; after a wait the
		// hour's version is read again.
		built, c, err := b.buildClaimed(ctx, ref, version, overwrite)
		version = unknownVersion
		if r := refusal(err); r != nil {
			if r.claimed.Stored {
				if overwrite = s.lost(ctx, ref, r.claimed.Version); !overwrite {
					b.Metrics.BuildsDeduplicated.WithLabelValues(dedupStored).Inc()
					return nil, true, nil
				}
				continue // the row names a report storage does not hold: store it again
			}
			switch outcome, _, err := b.await(ctx, ref, r.version, until, nil); {
			case err != nil:
				return nil, false, liveErr(ctx, b, err)
			case outcome == awaitedStored:
				b.Metrics.BuildsDeduplicated.WithLabelValues(dedupWaited).Inc()
				return nil, true, nil
			case outcome == awaitedTimeout:
				return s.buildUnstored(ctx, ref)
			}
			continue
		}
		if err != nil {
			return nil, false, liveErr(ctx, b, err)
		}
		err = b.uploadClaimed(ctx, built, c)
		switch {
		case errors.Is(err, errTakenOver):
			return built, false, nil // a build of newer data stores the hour
		case err != nil:
			b.Metrics.ChunksFailed.WithLabelValues(Reason(ctx, err)).Inc()
			b.Log.WarnContext(ctx, "live report served but not stored", "tenant", ref.TenantID, "hour", ref.Hour.String(), "err", err)
			return built, false, nil
		}
		built.Uploaded = true
		b.Metrics.ChunksBuilt.WithLabelValues(SourceLive).Inc()
		b.Metrics.BuildSeconds.WithLabelValues(SourceLive).Observe(time.Since(start).Seconds())
		b.Metrics.ReportBytes.WithLabelValues(SourceLive).Add(float64(built.Meta.Size))
		return built, false, nil
	}
}

// lost reports whether object storage does not hold the report that ref's
// row records as stored from version (or newer data), or cannot say: the
// hour is then stored again. A report whose data moved on since is not
// lost: the next build reads the newer data.
func (s *Service) lost(ctx context.Context, ref store.ChunkRef, version int64) bool {
	obj, err := s.Builder.Blob.Open(ctx, document.ObjectKey(ref.TenantID, ref.Hour))
	if err != nil {
		return true
	}
	defer obj.Close()
	meta, ok := metaFromObject(obj.Info.Metadata, obj.Info.Size)
	return !ok || meta.DataVersion < version
}

// buildUnstored builds ref without a claim and serves it without storing
// it: another build of the same data holds the claim past LiveWait.
func (s *Service) buildUnstored(ctx context.Context, ref store.ChunkRef) (*Built, bool, error) {
	b := s.Builder
	built, err := b.Build(ctx, ref)
	if err != nil {
		return nil, false, liveErr(ctx, b, err)
	}
	b.Metrics.BuildsDeduplicated.WithLabelValues(dedupUnstored).Inc()
	return built, false, nil
}

// liveErr counts a failed live build and puts its error in the error
// vocabulary.
func liveErr(ctx context.Context, b *Builder, err error) error {
	b.Metrics.ChunksFailed.WithLabelValues(Reason(ctx, err)).Inc()
	if apperr.CodeOf(err) == apperr.Unavailable {
		return unavailable("database unavailable")
	}
	return err
}

func unavailable(msg string) error {
	return &apperr.Error{Code: apperr.Unavailable, Message: msg, RetryAfter: retryAfterDown}
}
