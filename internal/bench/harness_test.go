//go:build bench

package bench_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/dailyreports/dailyreports/internal/testenv"
)

// signingKey is the HS256 key of the benchmark's services.
const signingKey = "bench-signing-key-0123456789abcdef-0123456789"

// harness is the benchmark's services and the real binary configured for
// them.
type harness struct {
	t      *testing.T
	bin    string
	dbURL  string
	vars   map[string]string
	minio  *testenv.MinIO
	bucket string
}

// newHarness starts the services and builds the binary.
func newHarness(t *testing.T) *harness {
	t.Helper()
	m := testenv.StartMinIO(t)
	h := &harness{t: t, dbURL: testenv.NewDatabase(t), minio: m, bucket: testenv.NewBucket(t, m)}
	addr, db := testenv.NewRedis(t)
	h.vars = map[string]string{
		"DATABASE_URL":     h.dbURL,
		"REDIS_URL":        fmt.Sprintf("redis://%s/%d", addr, db),
		"S3_ENDPOINT":      m.Endpoint,
		"S3_ACCESS_KEY":    m.AccessKey,
		"S3_SECRET_KEY":    m.SecretKey,
		"S3_BUCKET":        h.bucket,
		"AUTH_SIGNING_KEY": signingKey,
		"LOG_LEVEL":        "warn",
		"RATE_LIMIT":       "0",
		"RETRY_PASS_DELAY": "1s",
		"SHUTDOWN_TIMEOUT": "5s",
	}
	if os.Getenv("BENCH_TRACING") == "1" {
		h.traceEverything()
	}
	h.bin = filepath.Join(t.TempDir(), "dailyreports")
	// The binary as released: `make build` and the Dockerfile build it so.
	build := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", h.bin, ".")
	build.Dir = moduleRoot(t)
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return h
}

// moduleRoot is the directory of go.mod.
func moduleRoot(t *testing.T) string {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	return filepath.Dir(strings.TrimSpace(string(out)))
}

// environ is the process environment plus the service configuration and extra.
func (h *harness) environ(extra ...string) []string {
	env := os.Environ()
	for k, v := range h.vars {
		env = append(env, k+"="+v)
	}
	return append(env, extra...)
}

// result is one finished command.
type result struct {
	out     string
	elapsed time.Duration
	// maxRSS is the peak resident set size in bytes.
	maxRSS int64
}

// run runs the binary to completion and fails the test when it fails.
func (h *harness) run(args ...string) result {
	h.t.Helper()
	cmd := exec.Command(h.bin, args...)
	cmd.Env = h.environ()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	r := result{out: strings.TrimSpace(stdout.String()), elapsed: time.Since(start)}
	if err != nil {
		h.t.Fatalf("dailyreports %s: %v\n%s%s", strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.maxRSS = ru.Maxrss * 1024 // kilobytes on Linux
	}
	return r
}

// shell runs a bash script with pipefail and returns its duration.
func (h *harness) shell(script string) time.Duration {
	h.t.Helper()
	cmd := exec.Command("bash", "-c", "set -euo pipefail\n"+script)
	cmd.Env = h.environ()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		h.t.Fatalf("bash: %v\n%s\n%s", err, script, stderr.String())
	}
	return time.Since(start)
}

// psql runs SQL statements.
func (h *harness) psql(sql string) string {
	h.t.Helper()
	cmd := exec.Command("psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", h.dbURL)
	cmd.Stdin = strings.NewReader(sql)
	out, err := cmd.CombinedOutput()
	if err != nil {
		h.t.Fatalf("psql: %v\n%s\n%s", err, sql, out)
	}
	return strings.TrimSpace(string(out))
}

// server is a running `serve` process.
type server struct {
	cmd  *exec.Cmd
	addr string
	done chan struct{}
}

// serve starts `serve --roles roles` and waits until it is ready.
func (h *harness) serve(roles string) *server {
	h.t.Helper()
	addr := freeAddr(h.t)
	cmd := exec.Command(h.bin, "serve", "--roles", roles, "--no-migrate")
	cmd.Env = h.environ("HTTP_ADDR=" + addr)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		h.t.Fatalf("serve: %v", err)
	}
	s := &server{cmd: cmd, addr: addr, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(s.done) }()
	h.t.Cleanup(s.stop)
	if strings.Contains(roles, "api") {
		deadline := time.Now().Add(30 * time.Second)
		for {
			resp, err := http.Get("http://" + addr + "/readyz")
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					break
				}
			}
			if time.Now().After(deadline) {
				h.t.Fatalf("serve %s: not ready on %s", roles, addr)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	return s
}

// stop ends the process (SIGTERM, then SIGKILL) and waits for it.
func (s *server) stop() {
	select {
	case <-s.done:
		return
	default:
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
}

// freeAddr returns a loopback address with a free port.
func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	defer l.Close()
	return l.Addr().String()
}

// background is a context for the harness's own clients.
func background(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// traceEverything has every process of the benchmark sample and export
// all its spans over OTLP/HTTP to a receiver in this process, which takes
// them and answers 200 as a collector would, and reports at the end how
// many exports it received.
func (h *harness) traceEverything() {
	var exports, bytes atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		exports.Add(1)
		bytes.Add(n)
		w.Header().Set("Content-Type", "application/x-protobuf")
	}))
	h.t.Cleanup(func() {
		srv.Close()
		fmt.Printf("tracing on: %d OTLP exports received, %d bytes\n", exports.Load(), bytes.Load())
	})
	h.vars["OTEL_EXPORTER_OTLP_ENDPOINT"] = srv.URL
	h.vars["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf"
	h.vars["OTEL_TRACES_SAMPLER"] = "always_on"
}
