package embedded

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3afero"
	"github.com/spf13/afero"
)

// S3 is an in-process S3-compatible server keeping its buckets under a
// directory, on a random loopback port.
type S3 struct {
	// AccessKey and SecretKey are this process's credentials; presigned
	// links are checked against them.
	AccessKey, SecretKey string

	token string
	srv   *http.Server
	ln    net.Listener
	// files is gofakes3's handler, behind the guard.
	files http.Handler
}

// StartS3 starts the server over dir (created if missing).
func StartS3(dir string, log *slog.Logger) (*S3, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("embedded: s3: %w", err)
	}
	fs, err := newAtomicFs(afero.NewBasePathFs(afero.NewOsFs(), dir))
	if err != nil {
		return nil, fmt.Errorf("embedded: s3: %w", err)
	}
	backend, err := s3afero.MultiBucket(fs)
	if err != nil {
		return nil, fmt.Errorf("embedded: s3: %w", err)
	}
	faker := gofakes3.New(backend, gofakes3.WithLogger(s3Logger{log}))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("embedded: s3: %w", err)
	}
	s := &S3{AccessKey: "embedded-" + rand.Text()[:12], SecretKey: rand.Text() + rand.Text(), token: rand.Text(), ln: ln,
		files: faker.Server()}
	s.srv = &http.Server{Handler: s.guard(s.files), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("embedded s3 stopped", "err", err)
		}
	}()
	log.Debug("embedded s3 listening", "addr", ln.Addr().String(), "dir", dir)
	return s, nil
}

// Endpoint is the server's host:port.
func (s *S3) Endpoint() string { return s.ln.Addr().String() }

// Transport is the HTTP transport of this process's S3 client: it marks the
// client's requests as the process's own.
func (s *S3) Transport() http.RoundTripper {
	return tokenTransport{next: http.DefaultTransport.(*http.Transport).Clone(), token: s.token}
}

// Close stops the server; the objects stay on disk.
func (s *S3) Close() error { return s.srv.Close() }

// tokenHeader carries the process's secret on its own S3 requests. gofakes3
// checks no signatures, so the secret stands in for them.
const tokenHeader = "X-Embedded-S3-Token"

type tokenTransport struct {
	next  http.RoundTripper
	token string
}

func (t tokenTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set(tokenHeader, t.token)
	return t.next.RoundTrip(r)
}

// s3Logger routes gofakes3's logs into slog, at debug level but for errors.
type s3Logger struct{ l *slog.Logger }

func (s s3Logger) Print(level gofakes3.LogLevel, v ...any) {
	lvl := slog.LevelDebug
	if level == gofakes3.LogErr {
		lvl = slog.LevelWarn
	}
	s.l.Log(context.Background(), lvl, fmt.Sprint(v...), "component", "embedded-s3")
}
