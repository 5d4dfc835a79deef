package soak

import (
	"fmt"
	"os"
	"testing"

	"github.com/dailyreports/dailyreports/internal/testenv"
)

// binary is the service binary the soak runs, built once by TestMain.
var binary string

func TestMain(m *testing.M) { os.Exit(run(m)) }

// run builds the binary into a temporary directory, runs the tests and
// removes the directory.
func run(m *testing.M) int {
	dir, err := os.MkdirTemp("", "soak-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	if binary, err = testenv.BuildService(dir); err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		return 1
	}
	return m.Run()
}
