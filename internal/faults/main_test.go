package faults

import (
	"flag"
	"fmt"
	"os"
	"testing"

	"github.com/dailyreports/dailyreports/internal/testenv"
)

// binary is the service binary the tests run, built once by TestMain.
var binary string

// parallel is how many tests run at once unless -test.parallel says
// otherwise: they mostly wait, on child processes and on timers (asynq's
// lease, the scheduler's minute), so more of them than cores overlap well.
const parallel = 8

func TestMain(m *testing.M) {
	flag.Parse()
	explicit := false
	flag.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "test.parallel" })
	if !explicit {
		_ = flag.Set("test.parallel", fmt.Sprint(parallel))
	}
	os.Exit(run(m))
}

// run builds the binary into a temporary directory, runs the tests and
// removes the directory.
func run(m *testing.M) int {
	dir, err := os.MkdirTemp("", "faults-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "faults:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	if binary, err = testenv.BuildService(dir); err != nil {
		fmt.Fprintln(os.Stderr, "faults:", err)
		return 1
	}
	return m.Run()
}
