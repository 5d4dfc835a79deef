package testenv

import "syscall"

// childProcAttr makes the kernel kill a server when the test binary dies, even
// when it panics or times out before any cleanup runs.
func childProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
