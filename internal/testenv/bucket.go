package testenv

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
)

// NewBucket creates an empty bucket with a unique name derived from the test's
// name on m and returns the name. When the test ends every object version in
// it and the bucket itself are removed; a private server that the test left
// stopped is skipped, since its data goes with it.
func NewBucket(tb testing.TB, m *MinIO) string {
	tb.Helper()
	c := m.Client(tb)
	name := uniqueName("t", tb.Name(), '-', 63)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := c.MakeBucket(ctx, name, minio.MakeBucketOptions{}); err != nil {
		tb.Fatalf("testenv: create bucket %s on MinIO %s: %v", name, m.Endpoint, err)
	}
	tb.Cleanup(func() {
		if !m.running() {
			return
		}
		if err := removeBucket(c, name); err != nil {
			tb.Errorf("testenv: remove bucket %s: %v", name, err)
		}
	})
	return name
}

// removeBucket deletes every object version in a bucket, then the bucket.
func removeBucket(c *minio.Client, bucket string) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	objects := c.ListObjects(ctx, bucket, minio.ListObjectsOptions{Recursive: true, WithVersions: true})
	for rerr := range c.RemoveObjects(ctx, bucket, objects, minio.RemoveObjectsOptions{}) {
		if rerr.Err != nil {
			return fmt.Errorf("remove %s: %w", rerr.ObjectName, rerr.Err)
		}
	}
	return c.RemoveBucket(ctx, bucket)
}
