package faults

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// proc is one child process of the service binary, or of another server
// the test owns. It dies with the test binary (Pdeathsig) and is killed when
// the test ends; its output goes to a log file whose tail is printed when
// the test fails.
type proc struct {
	t      testing.TB
	name   string
	cmd    *exec.Cmd
	logAt  string
	exited chan struct{}
	state  *os.ProcessState // set once exited is closed
}

// startProc runs bin with args and exactly the environment env (plus PATH,
// HOME and TMPDIR), logging into the test's temporary directory.
func startProc(t testing.TB, name string, env map[string]string, bin string, args ...string) *proc {
	t.Helper()
	logAt := filepath.Join(t.TempDir(), name+".log")
	f, err := os.OpenFile(logAt, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = childEnv(env)
	cmd.Stdout, cmd.Stderr = f, f
	// Pdeathsig fires when the thread that forked the child ends, so the
	// child is started from a goroutine locked to its thread until it exits.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	p := &proc{t: t, name: name, cmd: cmd, logAt: logAt, exited: make(chan struct{})}
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		defer f.Close()
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		_ = cmd.Wait()
		p.state = cmd.ProcessState
		close(p.exited)
	}()
	if err := <-started; err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	t.Cleanup(func() {
		p.kill()
		if t.Failed() {
			t.Logf("--- %s log (last 6 KiB of %s) ---\n%s", name, logAt, p.tail(6<<10))
		}
	})
	return p
}

// childEnv is env as a process environment, with the few variables a
// process needs to run and nothing else of the test's own environment.
func childEnv(env map[string]string) []string {
	var out []string
	for _, k := range []string{"PATH", "HOME", "TMPDIR"} {
		if v, ok := os.LookupEnv(k); ok {
			out = append(out, k+"="+v)
		}
	}
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	return out
}

// serve starts roles of the service as a child process.
func serve(t testing.TB, name string, env map[string]string, roles string) *proc {
	t.Helper()
	return startProc(t, name, env, binary, "serve", "--roles", roles, "--no-migrate")
}

// running reports whether the process has not exited yet.
func (p *proc) running() bool {
	select {
	case <-p.exited:
		return false
	default:
		return true
	}
}

// signal sends sig to the process.
func (p *proc) signal(sig os.Signal) {
	p.t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil && p.running() {
		p.t.Fatalf("signal %s: %v", p.name, err)
	}
}

// kill ends the process with SIGKILL and waits for it.
func (p *proc) kill() {
	if p.running() {
		_ = p.cmd.Process.Kill()
	}
	<-p.exited
}

// wait waits up to timeout for the process to exit and returns its state.
func (p *proc) wait(timeout time.Duration) (*os.ProcessState, error) {
	select {
	case <-p.exited:
		return p.state, nil
	case <-time.After(timeout):
		return nil, fmt.Errorf("%s still running after %s", p.name, timeout)
	}
}

// waitLog waits until the log holds substr, failing the test after timeout
// or when the process exits first.
func (p *proc) waitLog(substr string, timeout time.Duration) {
	p.t.Helper()
	deadline := time.Now().Add(timeout)
	for !strings.Contains(p.tail(-1), substr) {
		if !p.running() {
			p.t.Fatalf("%s exited (%v) before logging %q", p.name, p.state, substr)
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("%s did not log %q within %s", p.name, substr, timeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// ready waits until a serve process has started its roles.
func (p *proc) ready() *proc {
	p.t.Helper()
	p.waitLog(`"msg":"ready"`, 30*time.Second)
	return p
}

// tail returns the last n bytes of the log (all of it when n < 0).
func (p *proc) tail(n int) string {
	b, err := os.ReadFile(p.logAt)
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	if n >= 0 && len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}

// exitedCleanly reports whether the process ended with status 0.
func exitedCleanly(st *os.ProcessState) error {
	if st == nil {
		return errors.New("no exit status")
	}
	if !st.Success() {
		return fmt.Errorf("exit status: %v", st)
	}
	return nil
}
