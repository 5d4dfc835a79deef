package browsertest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Page is one tab of a Browser. It records the URL of every request the page
// makes (WebSockets included) and every problem it reports: uncaught
// exceptions, console errors, and the browser's own errors, such as a
// resource that failed to load or a Content-Security-Policy violation.
type Page struct {
	t   testing.TB
	ctx context.Context

	mu       sync.Mutex
	requests []string
	problems []string
}

// Open opens a new tab on url and waits until the page has loaded.
func (b *Browser) Open(url string) *Page {
	b.t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx)
	b.t.Cleanup(cancel)
	p := &Page{t: b.t, ctx: ctx}
	if err := chromedp.Listen(ctx, p.record); err != nil {
		b.t.Fatalf("browsertest: open a tab: %v", err)
	}
	p.Do(chromedp.Navigate(url))
	return p
}

// record runs on the tab's event loop: it only appends.
func (p *Page) record(ev any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		p.requests = append(p.requests, short(ev.Request.URL))
	case *network.EventWebSocketCreated:
		p.requests = append(p.requests, ev.URL)
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		text := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			text += " " + d.Exception.Description
		}
		p.problems = append(p.problems, "exception: "+text)
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError {
			var args []string
			for _, a := range ev.Args {
				args = append(args, string(a.Value)+a.Description)
			}
			p.problems = append(p.problems, "console.error: "+strings.Join(args, " "))
		}
	case *log.EventEntryAdded:
		if ev.Entry.Level == log.EntryLevelError {
			p.problems = append(p.problems, fmt.Sprintf("%s: %s %s", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL))
		}
	}
}

// short cuts a data: URL, which holds a whole file, down to its media type.
func short(u string) string {
	if meta, _, ok := strings.Cut(u, ","); ok && strings.HasPrefix(u, "data:") {
		return meta + ",…"
	}
	return u
}

// Do runs the steps in the page, each within Timeout, and fails the test
// at the first that fails, with a screenshot of the page as it was.
func (p *Page) Do(steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	for _, step := range steps {
		Value(p, step)
	}
}

// Value runs the action in the page within Timeout and returns its value,
// failing the test, with a screenshot of the page, when it fails.
func Value[T any](p *Page, a chromedp.Action[T]) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, Timeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		p.t.Fatalf("browsertest: %v (screenshot: %s; problems: %q)", err, p.Screenshot("failure"), p.Problems())
	}
	return v
}

// InsertText types text into the focused element as a paste would: one
// input event, with no key presses for an editor to act on (such as
// closing brackets).
func InsertText(text string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, t, input.InsertText, input.InsertTextParams{Text: text})
		return chromedp.Void{}, err
	}
}

// Requests returns the URL of every request the page has made so far.
func (p *Page) Requests() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.requests...)
}

// Foreign returns the requests made to anywhere but origin (such as
// "http://127.0.0.1:41234"). data: and blob: URLs load nothing, so they are
// not requests to another origin.
func (p *Page) Foreign(origin string) []string {
	var out []string
	for _, r := range p.Requests() {
		u, err := url.Parse(r)
		if err == nil && (u.Scheme == "data" || u.Scheme == "blob") {
			continue
		}
		if err != nil || u.Scheme+"://"+u.Host != origin {
			out = append(out, r)
		}
	}
	return out
}

// Problems returns the errors the page has reported so far.
func (p *Page) Problems() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.problems...)
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

// Screenshot saves a PNG of the page's viewport and returns its path: in
// the directory BROWSERTEST_SCREENSHOTS names, to look at after the run, or
// else in the test's temporary directory. It returns an explanation instead
// of a path when no screenshot could be taken.
func (p *Page) Screenshot(name string) string {
	ctx, cancel := context.WithTimeout(p.ctx, Timeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		return "none: " + err.Error()
	}
	dir := os.Getenv("BROWSERTEST_SCREENSHOTS")
	if dir == "" {
		dir = p.t.TempDir()
	}
	file := filepath.Join(dir, unsafeName.ReplaceAllString(p.t.Name()+"-"+name, "_")+".png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		return "none: " + err.Error()
	}
	return file
}

// T is the test the page belongs to, for helpers that mark themselves
// with T().Helper().
func (p *Page) T() testing.TB { return p.t }
