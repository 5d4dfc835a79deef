package testenv

import (
	"os"
	"sync"
	"sync/atomic"
	"testing"
)

// shared is the one MinIO server of a test binary, started on first use by
// SharedMinIO and stopped by Main.
var shared struct {
	once sync.Once
	m    *MinIO
	dir  string
	err  error
}

// inMain records that the package's TestMain is Main, which stops the shared
// server.
var inMain atomic.Bool

// Main runs a package's tests, then stops the shared MinIO server and removes
// its data. Every package that calls SharedMinIO must use it:
//
//	func TestMain(m *testing.M) { testenv.Main(m) }
//
// Should the binary die before that (a panic, a timeout), the kernel kills
// the server with it.
func Main(m *testing.M) {
	inMain.Store(true)
	code := m.Run()
	stopShared()
	os.Exit(code)
}

// SharedMinIO returns the MinIO server shared by all tests of the package,
// starting it on the first call. Tests on it must keep to their own buckets
// (NewBucket) and must not stop it; the package's TestMain must be Main.
func SharedMinIO(tb testing.TB) *MinIO {
	tb.Helper()
	if !inMain.Load() {
		tb.Fatal("testenv: SharedMinIO needs the package's tests to stop it: add func TestMain(m *testing.M) { testenv.Main(m) }")
	}
	shared.once.Do(func() {
		shared.dir, shared.err = os.MkdirTemp("", "testenv-minio-")
		if shared.err != nil {
			return
		}
		shared.m, shared.err = launchMinIO(shared.dir)
		if shared.err == nil {
			shared.m.shared = true
		}
	})
	if shared.err != nil {
		tb.Fatalf("testenv: shared MinIO: %v", shared.err)
	}
	return shared.m
}

// stopShared ends the shared server, if one was started, and removes its data.
func stopShared() {
	if shared.m != nil {
		shared.m.kill()
	}
	if shared.dir != "" {
		os.RemoveAll(shared.dir)
	}
}
