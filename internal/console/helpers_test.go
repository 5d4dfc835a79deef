package console_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/browsertest"
	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/jobs"
)

// axePath is axe-core as testdata/axe's lockfile pins it; axe installs it
// with npm ci when it is missing (scripts/test-services.sh does too).
const axePath = "testdata/axe/node_modules/axe-core/axe.min.js"

var axeOnce sync.Once

func axe(t *testing.T, p *browsertest.Page, view string) {
	t.Helper()
	axeOnce.Do(func() {
		if _, err := os.Stat(axePath); err == nil {
			return
		}
		cmd := exec.Command("npm", "ci", "--prefix", "testdata/axe", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("npm ci of axe-core: %v: %s", err, out)
		}
	})
	if v := browsertest.Axe(p, axePath); len(v) > 0 {
		t.Errorf("axe-core: %d serious or critical violations on %s: %v (screenshot %s)", len(v), view, v, p.Screenshot("axe-"+view))
	}
}

// site is a service on the embedded defaults, as make run starts it, with
// a tenant whose yesterday is built: hour 7 failed on every attempt (the
// object store refused it), the others stored, hours 5 to 9 with
// conversations.
type site struct {
	e      *apptest.Env
	origin string
	acme   uuid.UUID
	day    string
}

func newSite(t *testing.T) *site {
	t.Helper()
	return newSiteWith(t, nil)
}

// newSiteWith is newSite with env laid over its configuration.
func newSiteWith(t *testing.T, env map[string]string) *site {
	t.Helper()
	vars := map[string]string{"RETRY_PASS_DELAY": "50ms"}
	maps.Copy(vars, env)
	e, _ := apptest.NewEmbedded(t, t.TempDir(), vars)
	s := &site{e: e, origin: e.URL, acme: e.Tenant("Acme Support", true, 3)}
	day := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -1)
	s.day = day.Format(document.DayLayout)
	var convs []apptest.Conv
	for h := 5; h <= 9; h++ {
		for i := range h - 3 {
			convs = append(convs, apptest.NewConv(fmt.Sprintf("c-%02d-%d", h, i), day.Add(time.Duration(h)*time.Hour+time.Duration(i+1)*time.Minute)))
		}
	}
	e.Ingest(e.Token(s.acme, "conversations.write"), convs)
	bad := document.ObjectKey(s.acme, document.NewHour(day, 7))
	e.App.Objects = &apptest.Objects{Objects: e.App.Blob, Fail: func(k string, _ int) bool { return k == bad }}
	r := e.App.Runner()
	p := jobs.RunPayload{RunID: "nightly-" + s.day, Day: s.day, Trigger: jobs.TriggerNightly}
	if _, err := r.Run(context.Background(), p, &jobs.LocalExecutor{Runner: r, Parallel: 2}); err != nil {
		t.Fatal(err)
	}
	e.App.Objects = e.App.Blob
	return s
}

// token issues a token of tenant (uuid.Nil: a host token) valid ttl.
func (s *site) token(t *testing.T, tenant uuid.UUID, ttl time.Duration, scopes ...string) string {
	t.Helper()
	tok, _, err := s.e.App.Signer.Issue("console-test", tenant, scopes, ttl)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// expiredToken is a token of the tenant signed with the service's key that
// expired two minutes ago, beyond the leeway on exp.
func (s *site) expiredToken(t *testing.T) string {
	t.Helper()
	cfg := s.e.App.Embedded.Config
	now := time.Now()
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"iss": cfg.AuthIssuer, "aud": cfg.AuthAudience, "sub": "console-test", "tenant_id": s.acme.String(),
		"scope": "dataservice_external", "iat": now.Add(-time.Hour).Unix(), "exp": now.Add(-2 * time.Minute).Unix(),
	}).SignedString([]byte(cfg.SigningKey))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// graphql runs an operation as token, failing the test on an error.
func (s *site) graphql(t *testing.T, token, query string, vars map[string]any, v any) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	resp := s.e.Do(http.MethodPost, "/graphql", token, body, "Content-Type", "application/json")
	raw := apptest.Read(t, resp)
	var out struct {
		Data   json.RawMessage
		Errors []any
	}
	if err := json.Unmarshal(raw, &out); err != nil || len(out.Errors) > 0 {
		t.Fatalf("graphql: %s", raw)
	}
	if v != nil {
		if err := json.Unmarshal(out.Data, v); err != nil {
			t.Fatal(err)
		}
	}
}

// open opens the console in a new browser at the width and height given.
func (s *site) open(t *testing.T, width, height int64) *browsertest.Page {
	t.Helper()
	p := browsertest.New(t).Open(s.origin + "/console/")
	if width < 600 {
		p.Do(chromedp.EmulateViewport(width, height, chromedp.EmulateMobile), chromedp.Reload())
	} else {
		p.Do(chromedp.EmulateViewport(width, height))
	}
	return p
}

// Steps by accessible name.

func click(p *browsertest.Page, role, name string) {
	p.T().Helper()
	p.Do(browsertest.ClickNamed(role, name))
}

func fill(p *browsertest.Page, role, name, text string) {
	p.T().Helper()
	p.Do(browsertest.FillNamed(role, name, text))
}

func choose(p *browsertest.Page, name, value string) {
	p.T().Helper()
	p.Do(browsertest.ChooseNamed("combobox", name, value))
}

func waitFor(p *browsertest.Page, role, name string) {
	p.T().Helper()
	p.Do(browsertest.WaitNamed(role, name))
}

// waitText waits until the page's text contains want.
func waitText(p *browsertest.Page, want string) {
	p.T().Helper()
	browsertest.Value(p, chromedp.Poll[bool](fmt.Sprintf(`document.body.innerText.includes(%q)`, want)))
}

func text(p *browsertest.Page) string {
	p.T().Helper()
	return browsertest.Value(p, chromedp.Evaluate[string](`document.body.innerText`))
}

// clean fails the test when the page asked anything of another origin or
// reported a problem other than those allowed (substrings).
func clean(t *testing.T, p *browsertest.Page, origin string, allowed ...string) {
	t.Helper()
	if got := p.Foreign(origin); len(got) > 0 {
		t.Errorf("requests to other origins: %q", got)
	}
	for _, pr := range p.Problems() {
		ok := false
		for _, a := range allowed {
			ok = ok || strings.Contains(pr, a)
		}
		if !ok {
			t.Errorf("the page reported: %s", pr)
		}
	}
}

// shot saves a screenshot for the README when CONSOLE_SCREENSHOTS names a
// directory.
func shot(t *testing.T, p *browsertest.Page, name string) {
	t.Helper()
	dir := os.Getenv("CONSOLE_SCREENSHOTS")
	if dir == "" {
		return
	}
	png := browsertest.Value(p, chromedp.CaptureScreenshot())
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}
