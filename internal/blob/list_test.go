package blob_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/minio/minio-go/v7"

	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/blob"
	"github.com/dailyreports/dailyreports/internal/testenv"
)

// bucketStore returns a store over a fresh bucket of the shared MinIO, and a
// raw client of the server, to check and arrange what the store cannot.
func bucketStore(t *testing.T, cfg blob.Config) (*blob.Store, *minio.Client) {
	t.Helper()
	m := testenv.SharedMinIO(t)
	cfg.Endpoint, cfg.AccessKey, cfg.SecretKey = m.Endpoint, m.AccessKey, m.SecretKey
	cfg.Bucket, cfg.Region = testenv.NewBucket(t, m), "us-east-1"
	s, err := blob.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s, m.Client(t)
}

// putKeys stores a small object under each key.
func putKeys(t *testing.T, s *blob.Store, keys ...string) {
	t.Helper()
	for _, k := range keys {
		if err := s.Put(context.Background(), k, strings.NewReader(k), int64(len(k)), "application/zip", nil); err != nil {
			t.Fatalf("put %s: %v", k, err)
		}
	}
}

// listKeys lists the keys under prefix, failing the test on an error.
func listKeys(t *testing.T, s *blob.Store, prefix string) []string {
	t.Helper()
	var keys []string
	for info, err := range s.List(context.Background(), prefix) {
		if err != nil {
			t.Fatalf("list %q: %v", prefix, err)
		}
		keys = append(keys, info.Key)
	}
	return keys
}

// List yields the keys under a prefix in key order with their sizes, stops
// when the loop does, and yields a NotFound error for a missing bucket.
func TestList(t *testing.T) {
	s, _ := bucketStore(t, blob.Config{})
	keys := []string{
		"a/daily-report-2026-05-01-00.zip", "a/daily-report-2026-04-30-23.zip",
		"a/daily-report-2026-04-30-00.zip", "a/notes.txt", "ab/daily-report-2026-01-01-00.zip", "b/x",
	}
	putKeys(t, s, keys...)
	want := []string{"a/daily-report-2026-04-30-00.zip", "a/daily-report-2026-04-30-23.zip", "a/daily-report-2026-05-01-00.zip", "a/notes.txt"}
	if got := listKeys(t, s, "a/"); !slices.Equal(got, want) {
		t.Fatalf("list a/ = %v, want %v", got, want)
	}
	for info, err := range s.List(context.Background(), "b/") {
		if err != nil || info.Key != "b/x" || info.Size != 3 || info.LastModified.IsZero() {
			t.Fatalf("list b/: %+v, %v", info, err)
		}
	}
	n := 0
	for range s.List(context.Background(), "") {
		if n++; n == 2 {
			break // the iterator must not yield again
		}
	}
	if got := listKeys(t, s, "c/"); len(got) != 0 {
		t.Fatalf("list c/ = %v, want nothing", got)
	}

	m := testenv.SharedMinIO(t)
	missing, err := blob.New(blob.Config{Endpoint: m.Endpoint, AccessKey: m.AccessKey, SecretKey: m.SecretKey,
		Bucket: "no-such-bucket-for-list", Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	var errs []error
	for _, err := range missing.List(context.Background(), "") {
		errs = append(errs, err)
	}
	if len(errs) != 1 || apperr.CodeOf(errs[0]) != apperr.NotFound {
		t.Fatalf("list a missing bucket: %v, want one not_found error", errs)
	}
}

// RemoveObjects deletes the given keys, more than one request's worth,
// ignores missing ones and leaves the rest.
func TestRemoveObjects(t *testing.T) {
	s, _ := bucketStore(t, blob.Config{})
	var doomed []string
	for i := range 1005 {
		doomed = append(doomed, fmt.Sprintf("t/del-%04d", i))
	}
	putKeys(t, s, doomed[:3]...)
	putKeys(t, s, doomed[1002:]...)
	putKeys(t, s, "t/keep", "u/keep")
	if err := s.RemoveObjects(context.Background(), doomed); err != nil {
		t.Fatal(err)
	}
	if got, want := listKeys(t, s, ""), []string{"t/keep", "u/keep"}; !slices.Equal(got, want) {
		t.Fatalf("left %v, want %v", got, want)
	}
	if err := s.RemoveObjects(context.Background(), nil); err != nil {
		t.Fatalf("remove nothing: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.RemoveObjects(ctx, []string{"t/keep"}); err == nil {
		t.Fatal("remove with a canceled context: no error")
	}
}
