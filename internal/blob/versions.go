package blob

import (
	"context"

	"github.com/minio/minio-go/v7"
)

// RemoveAllVersions deletes the object of key in every version the bucket
// keeps, delete markers included, a missing object is not an error. In a
// bucket without versioning it is Remove. S3
// emulations without the versions listing get a plain delete.
func (s *Store) RemoveAllVersions(ctx context.Context, key string) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	opts := minio.ListObjectsOptions{Prefix: key, WithVersions: true}
	versioned := false
	for oi := range s.c.ListObjectsIter(ctx, s.bucket, opts) {
		if oi.Err != nil {
			if minio.ToErrorResponse(oi.Err).Code == "NotImplemented" {
				break
			}
			return classify("list versions of "+key, oi.Err)
		}
		if oi.Key != key || oi.VersionID == "" || oi.VersionID == "null" {
			continue
		}
		err := s.c.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{VersionID: oi.VersionID})
		if err != nil && minio.ToErrorResponse(err).Code != "NoSuchVersion" {
			return classify("remove version of "+key, err)
		}
		versioned = true
	}
	if versioned { // a plain delete would only add a delete marker
		return nil
	}
	return s.Remove(ctx, key)
}
