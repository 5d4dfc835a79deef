package blob_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"io"
	"math/rand/v2"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/blob"
	"github.com/dailyreports/dailyreports/internal/testenv"
)

// newStore returns a store over a fresh bucket of m.
func newStore(t *testing.T, m *testenv.MinIO) *blob.Store {
	t.Helper()
	s, err := blob.New(blob.Config{
		Endpoint: m.Endpoint, AccessKey: m.AccessKey, SecretKey: m.SecretKey,
		Bucket: testenv.NewBucket(t, m), Region: "us-east-1",
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func put(t *testing.T, s *blob.Store, key string, data []byte, meta map[string]string) {
	t.Helper()
	if err := s.Put(context.Background(), key, bytes.NewReader(data), int64(len(data)), "application/zip", meta); err != nil {
		t.Fatalf("put %s: %v", key, err)
	}
}

func wantCode(t *testing.T, what string, err error, code apperr.Code) {
	t.Helper()
	if apperr.CodeOf(err) != code {
		t.Errorf("%s: error %v (code %q), want code %q", what, err, apperr.CodeOf(err), code)
	}
}

// An object comes back as it was stored: bytes, size and user metadata,
// whose keys are canonicalised; Open is seekable and readable at offsets,
// and a second Put replaces the object with its metadata.
func TestPutStatOpenRoundTrip(t *testing.T) {
	s := newStore(t, testenv.SharedMinIO(t))
	ctx := context.Background()
	key := "6f1c2b4e/daily-report-2025-04-22-15.zip"
	data := []byte("PK\x03\x04 some zip bytes, 0123456789")
	put(t, s, key, data, map[string]string{"report-sha256": "abc", "Report-Tenant-Id": "t-1", "REPORT-UTC-HOUR": "7"})

	info, err := s.Stat(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	wantMeta := map[string]string{"Report-Sha256": "abc", "Report-Tenant-Id": "t-1", "Report-Utc-Hour": "7"}
	if info.Key != key || info.Size != int64(len(data)) || info.ETag == "" || time.Since(info.LastModified) > time.Minute ||
		!reflect.DeepEqual(info.Metadata, wantMeta) {
		t.Fatalf("stat: %+v, want size %d and metadata %v", info, len(data), wantMeta)
	}

	obj, err := s.Open(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	defer obj.Close()
	if !reflect.DeepEqual(obj.Info, info) {
		t.Errorf("open info %+v, stat info %+v", obj.Info, info)
	}
	if got, err := io.ReadAll(obj); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read %q, %v", got, err)
	}
	buf := make([]byte, 4)
	if _, err := obj.ReadAt(buf, 5); err != nil || string(buf) != string(data[5:9]) {
		t.Errorf("ReadAt(5) = %q, %v", buf, err)
	}
	if _, err := obj.Seek(-10, io.SeekEnd); err != nil {
		t.Fatal(err)
	}
	if tail, _ := io.ReadAll(obj); string(tail) != "0123456789" {
		t.Errorf("after Seek(-10, end) read %q", tail)
	}

	put(t, s, key, []byte("v2"), map[string]string{"Report-Sha256": "def"})
	if info, err := s.Stat(ctx, key); err != nil || info.Size != 2 || !reflect.DeepEqual(info.Metadata, map[string]string{"Report-Sha256": "def"}) {
		t.Errorf("after overwrite: %+v, %v", info, err)
	}
}

// A missing object is NotFound for Stat and Open; removing it is no error,
// and a removed object is missing.
func TestMissingObjectIsNotFound(t *testing.T) {
	s := newStore(t, testenv.SharedMinIO(t))
	ctx := context.Background()
	_, err := s.Stat(ctx, "no/such.zip")
	wantCode(t, "stat", err, apperr.NotFound)
	_, err = s.Open(ctx, "no/such.zip")
	wantCode(t, "open", err, apperr.NotFound)
	if err := s.Remove(ctx, "no/such.zip"); err != nil {
		t.Errorf("remove a missing object: %v", err)
	}
	put(t, s, "gone.zip", []byte("x"), nil)
	if err := s.Remove(ctx, "gone.zip"); err != nil {
		t.Fatal(err)
	}
	_, err = s.Stat(ctx, "gone.zip")
	wantCode(t, "stat after remove", err, apperr.NotFound)
}

// slowReader reads r pausing after every MiB, so an upload takes a while.
type slowReader struct {
	r     io.Reader
	pause time.Duration
	n     int
}

func (s *slowReader) Read(p []byte) (int, error) {
	const mib = 1 << 20
	if room := mib - s.n%mib; len(p) > room {
		p = p[:room]
	}
	n, err := s.r.Read(p)
	if s.n += n; n > 0 && s.n%mib == 0 {
		time.Sleep(s.pause)
	}
	return n, err
}

// observations is what a reader polling during an upload saw.
type observations struct {
	missing, complete int
	problems          []string
}

// poll stats key until stop is closed; each observation must be a missing
// object or the whole one, whose bytes hash to sum.
func poll(s *blob.Store, key string, size int64, sum [32]byte, stop <-chan struct{}) observations {
	ctx := context.Background()
	var o observations
	for {
		select {
		case <-stop:
			return o
		case <-time.After(3 * time.Millisecond):
		}
		info, err := s.Stat(ctx, key)
		switch {
		case apperr.CodeOf(err) == apperr.NotFound:
			o.missing++
		case err != nil:
			o.problems = append(o.problems, "stat: "+err.Error())
		case info.Size != size:
			o.problems = append(o.problems, "partial object visible")
		case o.complete == 0:
			if got, err := hashObject(s, key); err != nil || got != sum {
				o.problems = append(o.problems, "first complete object has other bytes")
			}
			o.complete++
		default:
			o.complete++
		}
	}
}

func hashObject(s *blob.Store, key string) ([32]byte, error) {
	obj, err := s.Open(context.Background(), key)
	if err != nil {
		return [32]byte{}, err
	}
	defer obj.Close()
	h := sha256.New()
	_, err = io.Copy(h, obj)
	return [32]byte(h.Sum(nil)), err
}

// An object is never visible half-written: while a 40 MiB multipart upload
// trickles in, a reader sees either no object or the complete one.
func TestObjectNeverVisibleHalfWritten(t *testing.T) {
	s := newStore(t, testenv.SharedMinIO(t))
	src := make([]byte, 40<<20)
	_, _ = rand.NewChaCha8([32]byte{1}).Read(src)
	sum := sha256.Sum256(src)
	const key = "tenant/daily-report-2025-04-22-15.zip"

	stop := make(chan struct{})
	var seen observations
	var wg sync.WaitGroup
	wg.Go(func() { seen = poll(s, key, int64(len(src)), sum, stop) })
	start := time.Now()
	err := s.Put(context.Background(), key, &slowReader{r: bytes.NewReader(src), pause: 20 * time.Millisecond}, int64(len(src)), "application/zip", nil)
	elapsed := time.Since(start)
	time.Sleep(50 * time.Millisecond) // let the poller see the finished object
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatalf("put: %v", err)
	}
	t.Logf("upload took %v; %d observations missing, %d complete", elapsed, seen.missing, seen.complete)
	for _, p := range seen.problems {
		t.Error(p)
	}
	if seen.missing < 10 {
		t.Errorf("only %d observations during the upload: the test proves nothing", seen.missing)
	}
	if got, err := hashObject(s, key); err != nil || got != sum {
		t.Errorf("stored object differs from the source (%v)", err)
	}
}

// A presigned link downloads the object with plain HTTP, as the given file
// name, and only within its lifetime bounds (1 s to 7 days).
func TestPresign(t *testing.T) {
	s := newStore(t, testenv.SharedMinIO(t))
	ctx := context.Background()
	data := []byte("zip bytes for download")
	key, name := "tenant/daily-report-2025-04-22-15.zip", "daily-report-2025-04-22-15.zip"
	put(t, s, key, data, nil)
	put(t, s, "tenant/other.zip", []byte("other"), nil)

	link, expires, err := s.Presign(ctx, key, time.Minute, name)
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Until(expires); d < 55*time.Second || d > time.Minute {
		t.Errorf("expires in %v, want about a minute", d)
	}
	resp, err := http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Equal(body, data) {
		t.Fatalf("download: %d %q", resp.StatusCode, body)
	}
	if cd := resp.Header.Get("Content-Disposition"); cd != `attachment; filename="`+name+`"` {
		t.Errorf("Content-Disposition %q", cd)
	}

	// The signature covers the key: the link opens no other object.
	resp, err = http.Get(strings.Replace(link, "daily-report-2025-04-22-15.zip?", "other.zip?", 1))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("link edited to another key: status %d, want 403", resp.StatusCode)
	}

	for _, ttl := range []time.Duration{0, -time.Minute, 500 * time.Millisecond, blob.MaxPresignTTL + time.Second, 30 * 24 * time.Hour} {
		_, _, err := s.Presign(ctx, key, ttl, name)
		wantCode(t, "presign for "+ttl.String(), err, apperr.Invalid)
	}
	for _, ttl := range []time.Duration{time.Second, blob.MaxPresignTTL} {
		if _, _, err := s.Presign(ctx, key, ttl, name); err != nil {
			t.Errorf("presign for %v: %v", ttl, err)
		}
	}
}

// A server that is down is Unavailable, for every operation; the store
// works again once it is back.
func TestStoppedServerIsUnavailable(t *testing.T) {
	m := testenv.StartMinIO(t)
	s := newStore(t, m)
	put(t, s, "kept.zip", []byte("kept"), nil)
	m.Stop(t)

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	wantCode(t, "ping", s.Ping(ctx), apperr.Unavailable)
	_, err := s.Stat(ctx, "kept.zip")
	wantCode(t, "stat", err, apperr.Unavailable)
	_, err = s.Open(ctx, "kept.zip")
	wantCode(t, "open", err, apperr.Unavailable)
	wantCode(t, "put", s.Put(ctx, "new.zip", strings.NewReader("new"), 3, "application/zip", nil), apperr.Unavailable)

	m.Start(t)
	if err := s.Ping(ctx); err != nil {
		t.Fatalf("ping after restart: %v", err)
	}
	if info, err := s.Stat(ctx, "kept.zip"); err != nil || info.Size != 4 {
		t.Errorf("stat after restart: %+v, %v", info, err)
	}
}
