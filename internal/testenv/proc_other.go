//go:build !linux

package testenv

import "syscall"

// childProcAttr has nothing to add where Pdeathsig does not exist; there,
// Main and the test cleanups stop the servers.
func childProcAttr() *syscall.SysProcAttr { return nil }
