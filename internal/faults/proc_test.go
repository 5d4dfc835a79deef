package faults

import (
	"testing"

	"github.com/dailyreports/dailyreports/internal/testenv"
)

// proc is one child process of the service binary, or of another server
// the test owns (testenv.Child).
type proc = testenv.Child

// startProc runs bin with args and exactly the environment env.
func startProc(t testing.TB, name string, env map[string]string, bin string, args ...string) *proc {
	t.Helper()
	return testenv.StartChild(t, name, env, bin, args...)
}

// serve starts roles of the service as a child process.
func serve(t testing.TB, name string, env map[string]string, roles string) *proc {
	t.Helper()
	return startProc(t, name, env, binary, "serve", "--roles", roles, "--no-migrate")
}
