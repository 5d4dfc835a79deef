package embedded

import (
	"bytes"
	"context"
	"crypto/rand"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/blob"
)

func quietLog() *slog.Logger { return slog.New(slog.DiscardHandler) }

// startS3 starts a server over dir and returns it with a blob store of
// bucket, reached the way the service reaches it.
func startS3(t *testing.T, dir string) (*S3, *blob.Store) {
	t.Helper()
	s, err := StartS3(dir, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	b, err := blob.New(blob.Config{
		Endpoint: s.Endpoint(), AccessKey: s.AccessKey, SecretKey: s.SecretKey, Bucket: "daily-reports",
		Region: "us-east-1", UnsignedPayload: true, Transport: s.Transport(), NoLifecycle: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.EnsureBucket(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := b.EnsureBucket(context.Background()); err != nil { // idempotent
		t.Fatal(err)
	}
	return s, b
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

func TestS3PutStatOpenRange(t *testing.T) {
	_, b := startS3(t, t.TempDir())
	ctx := context.Background()
	for _, size := range []int{0, 1200, 17 << 20} { // empty, one PUT, multipart
		key := "tenant/daily-report-2026-03-04-15.zip"
		data := randomBytes(size)
		if err := b.Put(ctx, key, bytes.NewReader(data), int64(size), "application/zip",
			map[string]string{"Report-Sha256": "abc", "Report-Built-Version": "7"}); err != nil {
			t.Fatalf("put %d bytes: %v", size, err)
		}
		info, err := b.Stat(ctx, key)
		if err != nil || info.Size != int64(size) || info.Metadata["Report-Sha256"] != "abc" || info.Metadata["Report-Built-Version"] != "7" {
			t.Fatalf("stat %d bytes: %+v %v", size, info, err)
		}
		o, err := b.Open(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(o)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("read %d bytes back: %d bytes, %v", size, len(got), err)
		}
		if size > 100 {
			part := make([]byte, 50)
			if _, err := o.ReadAt(part, 40); err != nil || !bytes.Equal(part, data[40:90]) {
				t.Fatalf("range read: %v", err)
			}
		}
		_ = o.Close()
	}
	if err := b.Remove(ctx, "tenant/daily-report-2026-03-04-15.zip"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Stat(ctx, "tenant/daily-report-2026-03-04-15.zip"); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("stat after remove: %v", err)
	}
	if _, err := b.ExpiryRules(ctx); err != blob.ErrNoLifecycle {
		t.Fatalf("lifecycle on the embedded store: %v, want ErrNoLifecycle", err)
	}
}

func TestS3PresignedLinks(t *testing.T) {
	_, b := startS3(t, t.TempDir())
	ctx := context.Background()
	key := "tenant/daily-report-2026-03-04-15.zip"
	data := randomBytes(3000)
	if err := b.Put(ctx, key, bytes.NewReader(data), int64(len(data)), "application/zip", nil); err != nil {
		t.Fatal(err)
	}
	link, _, err := b.Presign(ctx, key, time.Minute, "daily-report-2026-03-04-15.zip")
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Equal(got, data) ||
		resp.Header.Get("Content-Disposition") != `attachment; filename="daily-report-2026-03-04-15.zip"` {
		t.Fatalf("presigned GET: %d %q, %d bytes", resp.StatusCode, resp.Header.Get("Content-Disposition"), len(got))
	}

	u, _ := url.Parse(link)
	tamper := func(name string, f func(q url.Values, u *url.URL)) {
		t.Helper()
		v := *u
		q := v.Query()
		f(q, &v)
		v.RawQuery = q.Encode()
		resp, err := http.Get(v.String())
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(body), "AccessDenied") {
			t.Errorf("%s: %d %s, want 403 AccessDenied", name, resp.StatusCode, body)
		}
	}
	tamper("other key", func(_ url.Values, v *url.URL) { v.Path = "/daily-reports/other/x.zip" })
	tamper("longer expiry", func(q url.Values, _ *url.URL) { q.Set("X-Amz-Expires", "600") })
	tamper("bad signature", func(q url.Values, _ *url.URL) { q.Set("X-Amz-Signature", strings.Repeat("0", 64)) })
	tamper("unsigned", func(q url.Values, _ *url.URL) {
		for k := range q {
			q.Del(k)
		}
	})
	// The bucket cannot be listed or written without the process's token.
	req, _ := http.NewRequest(http.MethodPut, "http://"+u.Host+"/daily-reports/x", strings.NewReader("x"))
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusForbidden {
		t.Fatalf("anonymous PUT: %v %v", resp, err)
	}
}

func TestS3PresignExpires(t *testing.T) {
	s, b := startS3(t, t.TempDir())
	link, _, err := b.Presign(context.Background(), "k", 2*time.Second, "")
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(link)
	req := &http.Request{Method: http.MethodGet, URL: u, Host: u.Host}
	if reason := s.checkPresigned(req, time.Now()); reason != "" {
		t.Fatalf("fresh link refused: %s", reason)
	}
	if reason := s.checkPresigned(req, time.Now().Add(time.Minute)); reason != "Request has expired." {
		t.Fatalf("expired link: %q", reason)
	}
}

// TestS3RestartKeepsObjects stops the server and starts another over the
// same directory: buckets, objects and metadata are still there.
func TestS3RestartKeepsObjects(t *testing.T) {
	dir := t.TempDir()
	s, b := startS3(t, dir)
	ctx := context.Background()
	data := randomBytes(5000)
	if err := b.Put(ctx, "t/k.zip", bytes.NewReader(data), int64(len(data)), "application/zip", map[string]string{"Report-Sha256": "x1"}); err != nil {
		t.Fatal(err)
	}
	_ = s.Close()
	_, b = startS3(t, dir)
	info, err := b.Stat(ctx, "t/k.zip")
	if err != nil || info.Size != 5000 || info.Metadata["Report-Sha256"] != "x1" {
		t.Fatalf("after restart: %+v %v", info, err)
	}
}

// TestS3ReplaceKeepsOpenReads replaces an object while a download of it is
// open: the download reads the old object whole, later reads the new one.
func TestS3ReplaceKeepsOpenReads(t *testing.T) {
	_, b := startS3(t, t.TempDir())
	ctx := context.Background()
	old, next := randomBytes(4<<20), randomBytes(1000)
	if err := b.Put(ctx, "t/k.zip", bytes.NewReader(old), int64(len(old)), "application/zip", nil); err != nil {
		t.Fatal(err)
	}
	o, err := b.Open(ctx, "t/k.zip")
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	head := make([]byte, 10)
	if _, err := io.ReadFull(o, head); err != nil {
		t.Fatal(err)
	}
	if err := b.Put(ctx, "t/k.zip", bytes.NewReader(next), int64(len(next)), "application/zip", nil); err != nil {
		t.Fatal(err)
	}
	rest, err := io.ReadAll(o)
	if err != nil || !bytes.Equal(append(head, rest...), old) {
		t.Fatalf("open download changed under a replace: %d bytes, %v", len(head)+len(rest), err)
	}
	o2, err := b.Open(ctx, "t/k.zip")
	if err != nil {
		t.Fatal(err)
	}
	defer o2.Close()
	if got, _ := io.ReadAll(o2); !bytes.Equal(got, next) {
		t.Fatalf("new download: %d bytes, want the replacement", len(got))
	}
}
