package testenv

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"syscall"
	"time"
)

// start runs the server process and waits until it is ready; a server that
// does not get ready is killed.
func (m *MinIO) start() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.proc != nil {
		return errors.New("MinIO is already running")
	}
	logFile, err := os.OpenFile(m.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	cmd := exec.Command(m.bin, "server", "--address", m.Endpoint, "--console-address", m.console, m.dataDir)
	cmd.Env = append(withoutMinIOEnv(os.Environ()),
		"MINIO_ROOT_USER="+m.AccessKey,
		"MINIO_ROOT_PASSWORD="+m.SecretKey,
	)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = childProcAttr()
	exited, err := startLocked(cmd, logFile)
	if err != nil {
		return fmt.Errorf("run %s: %w", m.bin, err)
	}
	m.proc, m.exited = cmd.Process, exited
	if err := m.waitReady(); err != nil {
		m.killLocked()
		return fmt.Errorf("%w\n--- MinIO log (%s) ---\n%s", err, m.logPath, tail(m.logPath, 4096))
	}
	return nil
}

// startLocked starts cmd from a goroutine locked to its OS thread, which stays
// until the child exits: Pdeathsig fires when the thread that forked the child
// dies, not the process, and the Go runtime may retire threads.
func startLocked(cmd *exec.Cmd, logFile *os.File) (exited chan struct{}, err error) {
	started := make(chan error, 1)
	exited = make(chan struct{})
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		if err := cmd.Start(); err != nil {
			logFile.Close()
			started <- err
			return
		}
		started <- nil
		cmd.Wait()
		logFile.Close()
		close(exited)
	}()
	return exited, <-started
}

// waitReady polls the liveness and readiness probes.
func (m *MinIO) waitReady() error {
	hc := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(minioReadyTimeout)
	for time.Now().Before(deadline) {
		select {
		case <-m.exited:
			return fmt.Errorf("MinIO on %s exited while starting", m.Endpoint)
		default:
		}
		if healthy(hc, m.Endpoint, "live") && healthy(hc, m.Endpoint, "ready") {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("MinIO on %s not ready after %v", m.Endpoint, minioReadyTimeout)
}

func healthy(hc *http.Client, endpoint, probe string) bool {
	resp, err := hc.Get("http://" + endpoint + "/minio/health/" + probe)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// stop asks the server to exit and kills it if it does not in time.
func (m *MinIO) stop() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.proc == nil {
		return
	}
	m.proc.Signal(syscall.SIGTERM)
	select {
	case <-m.exited:
		m.proc = nil
	case <-time.After(minioStopTimeout):
		m.killLocked()
	}
}

// kill ends the server at once; it is the cleanup of every server.
func (m *MinIO) kill() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.killLocked()
}

func (m *MinIO) killLocked() {
	if m.proc == nil {
		return
	}
	m.proc.Kill()
	<-m.exited
	m.proc = nil
}

// freePorts returns n distinct 127.0.0.1:port addresses free at the time of
// the call.
func freePorts(n int) ([]string, error) {
	addrs := make([]string, 0, n)
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("find a free port: %w", err)
		}
		defer l.Close()
		addrs = append(addrs, l.Addr().String())
	}
	return addrs, nil
}

// withoutMinIOEnv drops MINIO_* variables, which would change the server's
// configuration, from an environment.
func withoutMinIOEnv(env []string) []string {
	out := env[:0:0]
	for _, kv := range env {
		if !strings.HasPrefix(kv, "MINIO_") {
			out = append(out, kv)
		}
	}
	return out
}

// tail returns up to the last n bytes of a file, for error messages.
func tail(path string, n int64) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	if int64(len(b)) > n {
		b = b[int64(len(b))-n:]
	}
	return string(b)
}
