package blob

import (
	"context"
	"fmt"
	"io"

	"github.com/minio/minio-go/v7"

	"github.com/dailyreports/dailyreports/internal/apperr"
)

// ReadAll returns the description and the bytes of an object of at most
// limit bytes in one GET: no separate Stat, no ranged reads. A larger object
// is an Internal error, read no further; a missing one NotFound.
func (s *Store) ReadAll(ctx context.Context, key string, limit int64) (Info, []byte, error) {
	core := minio.Core{Client: s.c}
	body, oi, _, err := core.GetObject(ctx, s.bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return Info{}, nil, classify("get "+key, err)
	}
	defer body.Close()
	if oi.Size < 0 || oi.Size > limit {
		return Info{}, nil, apperr.Wrap(fmt.Errorf("blob: get %s: %d bytes, over %d", key, oi.Size, limit),
			apperr.Internal, "object too large")
	}
	data := make([]byte, oi.Size)
	if _, err := io.ReadFull(body, data); err != nil {
		return Info{}, nil, classify("read "+key, err)
	}
	return toInfo(oi), data, nil
}
