package testenv

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"
)

// Received is one request a Receiver got, as it logged it.
type Received struct {
	// ID is the webhook-id header; N counts the requests of that id.
	ID string
	N  int
	// At is when it answered (Unix milliseconds).
	At int64
	// Holding marks the line logged when a held request arrived.
	Holding bool
	// Verified is set when the standardwebhooks library accepted the
	// signature; Error is its complaint otherwise.
	Verified bool
	Error    string
	Type     string
	// Status is what the receiver answered.
	Status int
	Body   json.RawMessage
}

// ReceiverOptions configure a Receiver.
type ReceiverOptions struct {
	// Secret is the webhook's signing secret (whsec_…).
	Secret string
	// FailFirst answers 500 to the first FailFirst requests of each
	// webhook-id.
	FailFirst int
	// Hold delays the answer to the first request of each webhook-id.
	Hold time.Duration
	// Addr is the 127.0.0.1:port to listen on ("" picks a free port).
	Addr string
}

// Receiver is a webhook receiver for tests: a Node.js server that verifies
// every request with the npm package standardwebhooks (pinned by the
// package-lock.json of internal/webhooks/testdata/receiver, installed with
// npm ci), as an integrator's receiver would. It ends with the test.
type Receiver struct {
	// URL is where it listens.
	URL string

	mu   sync.Mutex
	got  []Received
	cmd  *exec.Cmd
	done chan struct{}
}

// receiverInstall installs the receiver's package once per test binary.
var receiverInstall struct {
	once sync.Once
	dir  string
	err  error
}

// receiverDir returns a directory holding the receiver with its
// dependencies installed by npm ci from the lockfile.
func receiverDir() (string, error) {
	receiverInstall.once.Do(func() {
		_, here, _, _ := runtime.Caller(0)
		src := filepath.Join(filepath.Dir(here), "..", "webhooks", "testdata", "receiver")
		dir, err := os.MkdirTemp("", "testenv-receiver-")
		if err != nil {
			receiverInstall.err = err
			return
		}
		for _, f := range []string{"package.json", "package-lock.json", "receiver.js"} {
			b, err := os.ReadFile(filepath.Join(src, f))
			if err == nil {
				err = os.WriteFile(filepath.Join(dir, f), b, 0o644)
			}
			if err != nil {
				receiverInstall.err = err
				return
			}
		}
		cmd := exec.Command("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			receiverInstall.err = fmt.Errorf("npm ci: %w\n%s", err, out)
			return
		}
		receiverInstall.dir = dir
	})
	return receiverInstall.dir, receiverInstall.err
}

// StartReceiver starts a receiver and waits until it listens.
func StartReceiver(tb testing.TB, opts ReceiverOptions) *Receiver {
	tb.Helper()
	dir, err := receiverDir()
	if err != nil {
		tb.Fatalf("testenv: receiver: %v", err)
	}
	addr := opts.Addr
	if addr == "" {
		ports, err := freePorts(1)
		if err != nil {
			tb.Fatal(err)
		}
		addr = ports[0]
	}
	_, port, _ := net.SplitHostPort(addr)
	r := &Receiver{URL: "http://" + addr + "/hook", done: make(chan struct{})}
	r.cmd = exec.Command("node", "receiver.js")
	r.cmd.Dir = dir
	r.cmd.Env = append(os.Environ(), "PORT="+port, "SECRET="+opts.Secret,
		"FAIL_FIRST="+strconv.Itoa(opts.FailFirst), "HOLD_MS="+strconv.FormatInt(opts.Hold.Milliseconds(), 10))
	r.cmd.SysProcAttr = childProcAttr()
	out, err := r.cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	r.cmd.Stderr = os.Stderr
	listening := make(chan struct{})
	if err := r.cmd.Start(); err != nil {
		tb.Fatalf("testenv: start receiver: %v", err)
	}
	go r.read(out, listening)
	tb.Cleanup(r.stop)
	select {
	case <-listening:
	case <-r.done:
		tb.Fatal("testenv: the receiver exited before it listened")
	case <-time.After(20 * time.Second):
		tb.Fatal("testenv: the receiver does not listen")
	}
	return r
}

// read records the receiver's lines.
func (r *Receiver) read(out interface{ Read([]byte) (int, error) }, listening chan struct{}) {
	defer close(r.done)
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var probe struct {
			Listening int `json:"listening"`
		}
		if json.Unmarshal(sc.Bytes(), &probe) == nil && probe.Listening > 0 {
			close(listening)
			continue
		}
		var got Received
		if err := json.Unmarshal(sc.Bytes(), &got); err == nil {
			r.mu.Lock()
			r.got = append(r.got, got)
			r.mu.Unlock()
		}
	}
}

// stop ends the receiver.
func (r *Receiver) stop() {
	if r.cmd.Process != nil {
		_ = r.cmd.Process.Kill()
	}
	<-r.done
	_ = r.cmd.Wait()
}

// Received returns what the receiver got so far, in order.
func (r *Receiver) Received() []Received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Received(nil), r.got...)
}

// Wait polls until cond holds of what the receiver got, failing the test
// after timeout.
func (r *Receiver) Wait(tb testing.TB, timeout time.Duration, what string, cond func([]Received) bool) []Received {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	for {
		got := r.Received()
		if cond(got) {
			return got
		}
		if time.Now().After(deadline) {
			tb.Fatalf("testenv: receiver: %s not within %s; got %d requests: %+v", what, timeout, len(got), got)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
