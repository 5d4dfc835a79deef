package console_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/browsertest"
)

// A tenant signs in with a token and reads its day: 24 hours by status, the
// chart, an hour's counts, its Download link (the zip, from the service's
// own origin in embedded mode) and a Preview of its document; then signs
// out. At desktop and phone widths, with no serious accessibility
// violation and no request to another origin.
func TestTenantReadsItsDay(t *testing.T) {
	s := newSite(t)
	for _, size := range []struct {
		name string
		w, h int64
	}{{"desktop", 1280, 900}, {"phone", 390, 844}} {
		t.Run(size.name, func(t *testing.T) {
			p := s.open(t, size.w, size.h)
			fill(p, "textbox", "Access token", s.token(t, s.acme, time.Hour, "dataservice_external"))
			click(p, "button", "Sign in")
			waitFor(p, "button", "Hour 23: ")
			if got := browsertest.Value(p, chromedp.Value(chromedp.CSS("input[type=date]"))); got != s.day {
				t.Errorf("the Day field holds %q, want yesterday %s", got, s.day)
			}
			names := browsertest.Names(p, "button", "Hour ")
			if len(names) != 24 || names[5] != "Hour 05: STORED, 2 conversations" || !strings.HasPrefix(names[7], "Hour 07: FAILED") ||
				!strings.HasPrefix(names[0], "Hour 00: STORED") {
				t.Fatalf("the day's hours: %q", names)
			}
			if got := browsertest.Names(p, "Date", ""); len(got) != 1 || got[0] != "Day" {
				t.Errorf("date fields %q, want one labelled Day", got)
			}
			if got := browsertest.Names(p, "image", "Conversations per hour"); len(got) != 1 || got[0] != "Conversations per hour: 16 in the stored hours, the most (6) at 09:00" {
				t.Errorf("the chart is named %q", got)
			}
			axe(t, p, size.name+"-day")

			click(p, "button", "Hour 09")
			waitFor(p, "link", "Download")
			waitText(p, "Hour 09: STORED")
			if got := text(p); !strings.Contains(got, "Conversations\n6") && !strings.Contains(got, "Conversations 6") {
				t.Errorf("hour 09 shows no count of 6 conversations: %.400s", got)
			}
			href := browsertest.Value(p, chromedp.Evaluate[string](`document.querySelector("a[download]").href`))
			if !strings.HasPrefix(href, s.origin+"/objects/") {
				t.Errorf("the Download link %q is not on the service's origin", href)
			}
			// The link downloads the zip (its first bytes are PK).
			got := browsertest.Value(p, chromedp.Evaluate[string](`fetch(document.querySelector("a[download]").href).then(async r => r.status + " " + r.headers.get("Content-Type") + " " + new TextDecoder().decode((await r.arrayBuffer()).slice(0, 2)))`, chromedp.EvalAwaitPromise))
			if got != "200 application/zip PK" {
				t.Errorf("the Download link answers %q", got)
			}
			click(p, "button", "Preview")
			waitFor(p, "", "Preview of the report of hour 09")
			waitText(p, `"ConversationCount": 6`)
			shot(t, p, "day-"+size.name)
			axe(t, p, size.name+"-hour")
			if size.name == "phone" {
				if w := browsertest.Value(p, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth`)); !w {
					t.Errorf("the page is wider than the phone's screen")
				}
			}
			click(p, "button", "Sign out")
			waitFor(p, "button", "Sign in")
			if tok := browsertest.Value(p, chromedp.Evaluate[bool](`sessionStorage.length === 0`)); !tok {
				t.Error("the token outlived Sign out")
			}
			clean(t, p, s.origin)
		})
	}
}

// A tenant's API client signs in with its ID and secret (the console asks
// the token endpoint); a token that expires leads back to sign-in, in
// words.
func TestSignInWithClientCredentialsAndExpiry(t *testing.T) {
	s := newSite(t)
	host := s.token(t, uuid.Nil, time.Hour, "host_admin")
	var c struct {
		CreateApiClient struct{ ClientId, ClientSecret string }
	}
	s.graphql(t, host, `mutation { createApiClient(input: {tenantId: "`+s.acme.String()+`", name: "wallboard", scopes: ["dataservice_external"]}) { clientId clientSecret } }`, nil, &c)

	p := s.open(t, 1280, 900)
	fill(p, "textbox", "Client ID", c.CreateApiClient.ClientId)
	fill(p, "textbox", "Client secret", "wrong")
	click(p, "button", "Sign in")
	waitText(p, "The client ID or secret is wrong")
	fill(p, "textbox", "Client secret", c.CreateApiClient.ClientSecret)
	click(p, "button", "Sign in")
	waitFor(p, "button", "Hour 05: STORED")
	click(p, "button", "Sign out")
	waitFor(p, "textbox", "Access token")
	axe(t, p, "sign-in")
	shot(t, p, "sign-in")

	// The token in the tab runs out while the tenant reads its day: the
	// next request answers 401, and the console goes back to sign-in.
	fill(p, "textbox", "Access token", s.token(t, s.acme, time.Hour, "dataservice_external"))
	click(p, "button", "Sign in")
	waitFor(p, "button", "Hour 05: STORED")
	expired := s.expiredToken(t)
	browsertest.Value(p, chromedp.Evaluate[bool](fmt.Sprintf(`sessionStorage.setItem("dailyreports.token", %q), true`, expired)))
	click(p, "button", "Hour 06")
	waitFor(p, "button", "Sign in")
	waitText(p, "Your session has ended")
	// Opened again with an expired token, it signs in again at once.
	browsertest.Value(p, chromedp.Evaluate[bool](fmt.Sprintf(`sessionStorage.setItem("dailyreports.token", %q), true`, expired)))
	p.Do(chromedp.Reload())
	waitFor(p, "button", "Sign in")
	waitText(p, "Your session has ended")
	clean(t, p, s.origin, "401", "the server responded with a status of 401")
}

// A host administrator finds a tenant, creates one, changes its setting and
// reads its audit log, creates an API client (its secret shown once) and
// revokes it.
func TestHostManagesTenantsAndClients(t *testing.T) {
	s := newSite(t)
	p := s.open(t, 1280, 900)
	fill(p, "textbox", "Access token", s.token(t, uuid.Nil, time.Hour, "host_admin"))
	click(p, "button", "Sign in")
	waitFor(p, "table", "Tenants")
	waitText(p, "Acme Support")
	fill(p, "searchbox", "Filter by name", "zzz")
	waitText(p, "No tenant has that name.")
	fill(p, "searchbox", "Filter by name", "acme")
	waitFor(p, "link", "Acme Support")
	axe(t, p, "tenants")
	shot(t, p, "tenants")

	fill(p, "textbox", "Name", "Beta Corp")
	click(p, "checkbox", "Enabled")
	choose(p, "Retention (months)", "2")
	click(p, "button", "Create")
	waitFor(p, "heading", "Beta Corp")
	waitFor(p, "table", "Audit log")
	waitText(p, "enabled, 2 months")
	choose(p, "Retention (months)", "3")
	click(p, "button", "Save setting")
	waitText(p, "Saved: reports enabled, 3 months.")
	waitFor(p, "table", "Audit log")
	browsertest.Value(p, chromedp.Poll[bool](`document.querySelectorAll("table")[0].tBodies[0].rows.length === 2`))
	if got := text(p); !strings.Contains(got, "created") || !strings.Contains(got, "console-test") {
		t.Errorf("the audit log shows neither the creation nor who changed it: %.800s", got)
	}

	fill(p, "textbox", "Client name", "dashboard")
	click(p, "button", "Create client")
	waitFor(p, "group", "New client credentials")
	secret := browsertest.Value(p, chromedp.Evaluate[string](`document.querySelector(".secret code.hash").textContent`))
	if len(secret) < 40 {
		t.Fatalf("the secret shown: %q", secret)
	}
	waitFor(p, "button", "Revoke dashboard")
	axe(t, p, "tenant")
	shot(t, p, "tenant")
	click(p, "button", "I have copied the secret")
	if strings.Contains(text(p), secret) {
		t.Error("the secret is still on the page")
	}
	click(p, "button", "Revoke dashboard")
	click(p, "button", "Yes, revoke dashboard")
	waitText(p, "revoked 20")
	p.Do(chromedp.Reload())
	waitFor(p, "table", "API clients")
	if strings.Contains(text(p), secret) {
		t.Error("the secret is shown again")
	}
	click(p, "link", "API clients")
	waitFor(p, "table", "API clients")
	waitText(p, "Beta Corp")
	axe(t, p, "clients")
	clean(t, p, s.origin)
}

// A host administrator reads last night's run with its failed hour, in
// words, and regenerates it; once a worker has rebuilt it, no hour fails.
func TestHostReadsRunsAndRegenerates(t *testing.T) {
	s := newSite(t)
	p := s.open(t, 1280, 900)
	fill(p, "textbox", "Access token", s.token(t, uuid.Nil, time.Hour, "host_admin"))
	click(p, "button", "Sign in")
	click(p, "link", "Runs")
	waitFor(p, "table", "Generation runs")
	waitText(p, "PARTIAL: some hours still failed after the retries")
	waitText(p, "pass 3: 0/1 stored, 1 failed")
	waitFor(p, "table", "Failed hours")
	waitText(p, "object storage unavailable")
	axe(t, p, "runs")
	shot(t, p, "runs")

	s.e.StartWorker()
	click(p, "button", fmt.Sprintf("Regenerate Acme Support %s hour 07", s.day))
	waitText(p, fmt.Sprintf("Queued Acme Support %s hour 07 for rebuilding", s.day))
	deadline := time.Now().Add(30 * time.Second)
	for got := text(p); !strings.Contains(got, "No hour is failing") || !strings.Contains(got, "SUCCEEDED: every hour stored"); got = text(p) {
		if time.Now().After(deadline) {
			t.Fatalf("the hour still fails: %.1000s", text(p))
		}
		time.Sleep(500 * time.Millisecond)
		click(p, "button", "Refresh")
	}
	waitText(p, "regenerate")
	waitText(p, "SUCCEEDED: every hour stored")

	// The tenant's page shows its day, the regenerated hour stored.
	click(p, "link", "Tenants")
	click(p, "link", "Acme Support")
	waitFor(p, "button", "Hour 07: STORED")
	clean(t, p, s.origin)
}
