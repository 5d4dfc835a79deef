package testenv

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// How long a MinIO server may take to answer its health checks, and to exit
// after SIGTERM before it is killed.
const (
	minioReadyTimeout = 20 * time.Second
	minioStopTimeout  = 10 * time.Second
)

// MinIO is a MinIO server process private to the test binary, listening on
// 127.0.0.1 without TLS.
type MinIO struct {
	Endpoint  string // host:port of the S3 API, for minio.New or S3_ENDPOINT
	AccessKey string // root user
	SecretKey string // root password

	bin     string
	console string // host:port of the web console
	dataDir string // kept across Stop and Start
	logPath string // the server's stdout and stderr, appended across restarts
	shared  bool   // the SharedMinIO server, which no test may stop

	mu     sync.Mutex
	proc   *os.Process   // nil while stopped
	exited chan struct{} // closed when proc has exited
}

// StartMinIO starts a MinIO server for this test alone, with its data in a
// temporary directory, and kills it when the test ends. Tests that take the
// server away (Stop, Start) must use their own server from StartMinIO; others
// should prefer the cheaper SharedMinIO. The binary is MINIO_BIN, else
// $HOME/.cache/dailyreports/bin/minio, which `make test` installs.
func StartMinIO(tb testing.TB) *MinIO {
	tb.Helper()
	m, err := launchMinIO(tb.TempDir())
	if err != nil {
		tb.Fatalf("testenv: %v", err)
	}
	tb.Cleanup(m.kill)
	return m
}

// Stop shuts the server down (SIGTERM, then SIGKILL after 10s) and waits for
// it to exit. The data survives for Start.
func (m *MinIO) Stop(tb testing.TB) {
	tb.Helper()
	if m.shared {
		tb.Fatal("testenv: the shared MinIO cannot be stopped; use StartMinIO for a server of the test's own")
	}
	m.stop()
}

// Start restarts a stopped server on the same port and data directory and
// waits until it is ready.
func (m *MinIO) Start(tb testing.TB) {
	tb.Helper()
	if err := m.start(); err != nil {
		tb.Fatalf("testenv: restart MinIO: %v", err)
	}
}

// Client returns a minio-go client for the server with root credentials.
func (m *MinIO) Client(tb testing.TB) *minio.Client {
	tb.Helper()
	c, err := m.client()
	if err != nil {
		tb.Fatalf("testenv: MinIO client: %v", err)
	}
	return c
}

func (m *MinIO) client() (*minio.Client, error) {
	return minio.New(m.Endpoint, &minio.Options{
		Creds:  credentials.NewStaticV4(m.AccessKey, m.SecretKey, ""),
		Region: "us-east-1",
	})
}

// running reports whether the server process is up (it may not be ready).
func (m *MinIO) running() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.proc != nil
}

// launchMinIO starts a new server with its data under dir, on fresh ports;
// it tries again on other ports if the chosen ones were taken meanwhile.
func launchMinIO(dir string) (*MinIO, error) {
	bin, err := minioBinary()
	if err != nil {
		return nil, err
	}
	var lastErr error
	for range 3 {
		ports, err := freePorts(2)
		if err != nil {
			return nil, err
		}
		m := &MinIO{
			Endpoint:  ports[0],
			AccessKey: "testenv",
			SecretKey: "testenv-secret-key",
			bin:       bin,
			console:   ports[1],
			dataDir:   filepath.Join(dir, "data"),
			logPath:   filepath.Join(dir, "minio.log"),
		}
		if lastErr = m.start(); lastErr == nil {
			return m, nil
		}
	}
	return nil, fmt.Errorf("start MinIO: %w", lastErr)
}

// minioBinary finds the server binary and checks that it is there.
func minioBinary() (string, error) {
	bin := os.Getenv("MINIO_BIN")
	if bin == "" {
		cache := os.Getenv("DAILYREPORTS_CACHE")
		if cache == "" {
			home, err := os.UserHomeDir()
			if err != nil {
				return "", fmt.Errorf("find MinIO: %w", err)
			}
			cache = filepath.Join(home, ".cache", "dailyreports")
		}
		bin = filepath.Join(cache, "bin", "minio")
	}
	if _, err := os.Stat(bin); err != nil {
		return "", fmt.Errorf("MinIO server binary %s: %w; run make test, which installs MinIO (or set MINIO_BIN)", bin, err)
	}
	return bin, nil
}
