package reports

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"

	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/store"
)

// storedSmall serves a small stored report whose chunk row the database
// returned: from the cache when the row names the cached report's data
// version and SHA-256, otherwise read whole from object storage in one
// request and cached. ok is false when the object turns out too large to
// read whole; the caller then streams it.
func (s *Service) storedSmall(ctx context.Context, ref store.ChunkRef, key string, row *store.ChunkState) (r *Report, ok bool, err error) {
	c := s.zips()
	if e, hit := c.get(key, row.DataVersion, row.ReportSHA256()); hit {
		return storedReport(e.meta, e.data), true, nil
	}
	info, data, err := s.Builder.Blob.ReadAll(ctx, key, c.maxEntry)
	switch apperr.CodeOf(err) {
	case "":
	case apperr.NotFound, apperr.Unavailable:
		return nil, true, nil // built live, as when Open fails so
	case apperr.Internal:
		return nil, false, nil // too large: stream it
	default:
		return nil, true, err
	}
	meta, valid := metaFromObject(info.Metadata, int64(len(data)))
	if !valid || meta.TenantID != ref.TenantID || meta.Hour != ref.Hour || meta.DataVersion != row.DataVersion {
		return nil, true, nil
	}
	if sum := sha256.Sum256(data); meta.SHA256 == row.ReportSHA256() && hex.EncodeToString(sum[:]) == meta.SHA256 {
		c.put(key, meta, data)
	}
	return storedReport(meta, data), true, nil
}

// storedReport is a stored report served from memory.
func storedReport(meta Meta, data []byte) *Report {
	return &Report{Meta: meta, Source: SourceStored, Stored: true, Content: bytes.NewReader(data)}
}
