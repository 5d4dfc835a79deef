package blob

import (
	"context"
	"iter"

	"github.com/minio/minio-go/v7"
)

// List yields the objects whose keys start with prefix, in ascending key
// order (the S3 listing order), until the listing ends, the loop stops or an
// error is yielded. User metadata is not listed: Info.Metadata is empty.
func (s *Store) List(ctx context.Context, prefix string) iter.Seq2[Info, error] {
	return func(yield func(Info, error) bool) {
		// minio-go's iterator stops between pages only once its context ends.
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		opts := minio.ListObjectsOptions{Prefix: prefix, Recursive: true}
		for oi := range s.c.ListObjectsIter(ctx, s.bucket, opts) {
			if oi.Err != nil {
				yield(Info{}, classify("list "+prefix, oi.Err))
				return
			}
			if !yield(toInfo(oi), nil) {
				return
			}
		}
	}
}

// RemoveObjects deletes the objects of keys with multi-object deletes of up
// to 1,000 keys each; a missing object is not an error. It returns the first
// error; a request that fails ends the removal, and the keys not yet sent
// stay.
func (s *Store) RemoveObjects(ctx context.Context, keys []string) error {
	objects := func(yield func(minio.ObjectInfo) bool) {
		for _, k := range keys {
			if !yield(minio.ObjectInfo{Key: k}) {
				return
			}
		}
	}
	results, err := s.c.RemoveObjectsWithIter(ctx, s.bucket, objects, minio.RemoveObjectsOptions{})
	if err != nil {
		return classify("remove objects", err)
	}
	var first error
	for r := range results {
		if r.Err != nil && first == nil && minio.ToErrorResponse(r.Err).Code != "NoSuchKey" {
			first = classify("remove "+r.ObjectName, r.Err)
		}
	}
	if first == nil {
		first = classify("remove objects", ctx.Err())
	}
	return first
}
