package testenv

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Child is a child process a test runs: the service binary (BuildService)
// or another server of the test's own. It dies with the test binary
// (Pdeathsig) and is killed when the test ends; its output goes to a log
// file in the test's temporary directory, whose tail is printed when the
// test fails.
type Child struct {
	// Name names the process in messages and its log file.
	Name string

	tb     testing.TB
	cmd    *exec.Cmd
	logAt  string
	exited chan struct{}
	state  *os.ProcessState // set once exited is closed
}

// StartChild runs bin with args and exactly the environment env (plus PATH,
// HOME and TMPDIR), logging into the test's temporary directory.
func StartChild(tb testing.TB, name string, env map[string]string, bin string, args ...string) *Child {
	tb.Helper()
	logAt := filepath.Join(tb.TempDir(), name+".log")
	f, err := os.OpenFile(logAt, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		tb.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = childEnv(env)
	cmd.Stdout, cmd.Stderr = f, f
	cmd.SysProcAttr = childProcAttr()
	c := &Child{Name: name, tb: tb, cmd: cmd, logAt: logAt}
	exited, err := startLocked(cmd, f)
	if err != nil {
		tb.Fatalf("testenv: start %s: %v", name, err)
	}
	c.exited = make(chan struct{})
	go func() {
		<-exited
		c.state = cmd.ProcessState
		close(c.exited)
	}()
	tb.Cleanup(func() {
		c.Kill()
		if tb.Failed() {
			tb.Logf("--- %s log (last 6 KiB of %s) ---\n%s", name, logAt, c.Tail(6<<10))
		}
	})
	return c
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

// Pid is the process id.
func (c *Child) Pid() int { return c.cmd.Process.Pid }

// Running reports whether the process has not exited yet.
func (c *Child) Running() bool {
	select {
	case <-c.exited:
		return false
	default:
		return true
	}
}

// Signal sends sig to the process.
func (c *Child) Signal(sig os.Signal) {
	c.tb.Helper()
	if err := c.cmd.Process.Signal(sig); err != nil && c.Running() {
		c.tb.Fatalf("testenv: signal %s: %v", c.Name, err)
	}
}

// Kill ends the process with SIGKILL and waits for it.
func (c *Child) Kill() {
	if c.Running() {
		_ = c.cmd.Process.Kill()
	}
	<-c.exited
}

// Wait waits up to timeout for the process to exit and returns its state.
func (c *Child) Wait(timeout time.Duration) (*os.ProcessState, error) {
	select {
	case <-c.exited:
		return c.state, nil
	case <-time.After(timeout):
		return nil, fmt.Errorf("%s still running after %s", c.Name, timeout)
	}
}

// WaitLog waits until the log holds substr, failing the test after timeout
// or when the process exits first.
func (c *Child) WaitLog(substr string, timeout time.Duration) {
	c.tb.Helper()
	deadline := time.Now().Add(timeout)
	for !strings.Contains(c.Tail(-1), substr) {
		if !c.Running() {
			c.tb.Fatalf("%s exited (%v) before logging %q", c.Name, c.state, substr)
		}
		if time.Now().After(deadline) {
			c.tb.Fatalf("%s did not log %q within %s", c.Name, substr, timeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Ready waits until a serve process of the service has started its roles.
func (c *Child) Ready() *Child {
	c.tb.Helper()
	c.WaitLog(`"msg":"ready"`, 30*time.Second)
	return c
}

// Tail returns the last n bytes of the log (all of it when n < 0).
func (c *Child) Tail(n int) string {
	b, err := os.ReadFile(c.logAt)
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	if n >= 0 && len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}

// ExitedCleanly reports whether a process ended with status 0.
func ExitedCleanly(st *os.ProcessState) error {
	if st == nil {
		return errors.New("no exit status")
	}
	if !st.Success() {
		return fmt.Errorf("exit status: %v", st)
	}
	return nil
}
