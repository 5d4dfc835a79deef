// Package browsertest drives a real browser, Debian's Chromium in headless
// mode, for tests of the pages the service serves: each test starts a browser
// of its own with a fresh profile, opens pages that record every request they
// make and every error they report, and takes screenshots. It is imported
// only by tests.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Timeout bounds each step a test runs in a page.
const Timeout = 30 * time.Second

// Browser is one headless Chromium, stopped when its test ends.
type Browser struct {
	t   testing.TB
	ctx context.Context
}

// New starts Chromium for t: the binary CHROMIUM_BIN names, else chromium on
// the PATH (scripts/test-services.sh installs Debian's package). It runs
// with a profile of its own and with every background service off, so the
// only requests it makes are the pages'.
func New(t testing.TB) *Browser {
	t.Helper()
	bin := execPath(t)
	profile := t.TempDir() // removed after the browser stops: cleanups run last first
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(bin),
		chromedp.UserDataDir(profile),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1280, 900),
	)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil { // starts the browser, with no timeout
		t.Fatalf("browsertest: start %s: %v", bin, err)
	}
	return &Browser{t: t, ctx: ctx}
}

func execPath(t testing.TB) string {
	if bin := os.Getenv("CHROMIUM_BIN"); bin != "" {
		return bin
	}
	bin, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatalf("browsertest: no chromium on the PATH: run scripts/test-services.sh, which installs it, or set CHROMIUM_BIN")
	}
	return bin
}
