package reports

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/blob"
	"github.com/dailyreports/dailyreports/internal/document"
)

// defaultPresignTTL applies when the service is given none.
const defaultPresignTTL = 15 * time.Minute

// DownloadURL presigns a GET of the hour's zip, valid ttlSeconds (nil: the
// default lifetime; longer than seven days: seven days). A report that is
// not stored and fresh is built and stored first. An expired or unfinished
// hour has no link.
func (s *Service) DownloadURL(ctx context.Context, h *Hour, ttlSeconds *int) (*Link, error) {
	ttl, err := s.linkTTL(ttlSeconds)
	if err != nil || !h.buildable() {
		return nil, err
	}
	if h.status != StatusStored {
		rep, err := s.get(ctx, h)
		if err != nil {
			return nil, err
		}
		stored := rep.Stored
		rep.Close()
		if !stored {
			return nil, &apperr.Error{Code: apperr.Unavailable, Message: "the report was built but could not be stored; try again", RetryAfter: 5 * time.Second}
		}
	}
	url, expires, err := s.Objects.Presign(ctx, h.ObjectKey(), ttl, h.hour.ZipName())
	if err != nil {
		return nil, err
	}
	return &Link{URL: url, ExpiresAt: expires.UTC().Truncate(time.Second)}, nil
}

func (s *Service) linkTTL(ttlSeconds *int) (time.Duration, error) {
	if ttlSeconds == nil {
		if s.PresignTTL > 0 {
			return min(s.PresignTTL, blob.MaxPresignTTL), nil
		}
		return defaultPresignTTL, nil
	}
	if *ttlSeconds < 1 {
		return 0, apperr.New(apperr.Invalid, "ttlSeconds must be at least 1")
	}
	return min(time.Duration(*ttlSeconds)*time.Second, blob.MaxPresignTTL), nil
}

// Data returns the hour's document, served from storage when fresh and built
// live otherwise, exactly as REST serves it. An expired or unfinished hour
// has none. Documents over the inline limit must be downloaded.
func (s *Service) Data(ctx context.Context, h *Hour) (json.RawMessage, error) {
	if !h.buildable() {
		return nil, nil
	}
	rep, err := s.get(ctx, h)
	if err != nil {
		return nil, err
	}
	defer rep.Close()
	limit := s.MaxInline
	if limit <= 0 {
		limit = DefaultMaxInline
	}
	if rep.Meta.JSONSize > limit {
		return nil, tooLarge(rep.Meta.JSONSize, limit)
	}
	rc, size, err := document.OpenEntry(rep.Content, rep.Meta.Size)
	if err != nil {
		return nil, fmt.Errorf("reports: open document: %w", err)
	}
	defer rc.Close()
	if size > limit {
		return nil, tooLarge(size, limit)
	}
	b, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reports: read document: %w", err)
	}
	return b, nil
}

func tooLarge(size, limit int64) error {
	return apperr.New(apperr.Invalid, "the report is %d bytes, over the %d-byte limit for inline data; use downloadUrl", size, limit)
}

// get serves the hour's report as Fetch does. The hours of one day build one
// at a time, so a day's worth of missing hours does not run into the
// tenant's cap on live builds.
func (s *Service) get(ctx context.Context, h *Hour) (*Report, error) {
	if h.gate != nil && h.status != StatusStored {
		select {
		case h.gate <- struct{}{}:
			defer func() { <-h.gate }()
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return s.open(ctx, h.Ref())
}
