package console_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/browsertest"
	"github.com/dailyreports/dailyreports/internal/webhooks"
)

// A host administrator registers a webhook of a tenant to a receiver on
// loopback and reads its signing secret once; sends a test event the
// receiver refuses on both attempts (PENDING, then FAILED once a worker
// has retried it) and another delivered on its retry, whose attempts are
// listed; then deletes the webhook. The receiver verifies every message
// with the secret the page showed. At desktop and phone widths, with no
// serious accessibility violation and no request to another origin.
func TestHostManagesWebhooks(t *testing.T) {
	s := newSiteWith(t, map[string]string{"WEBHOOK_ALLOW_PRIVATE": "true", "WEBHOOK_RETRY_DELAYS": "1s"})
	s.e.StartWorker()
	rcv := newReceiver(t, 3)
	hook := rcv.URL + "/hook"
	host := s.token(t, uuid.Nil, time.Hour, "host_admin")

	p := s.openTenant(t, host, 1280, 900)
	waitFor(p, "table", "Webhooks")
	waitText(p, "No webhook yet")
	click(p, "button", "New webhook")
	fill(p, "textbox", "URL", "ftp://example.com/hook")
	click(p, "button", "Register")
	waitText(p, "The service refused the input: url must be an absolute http or https URL.")
	fill(p, "textbox", "URL", hook)
	click(p, "checkbox", "report.hour.rebuilt")
	click(p, "button", "Register")
	waitFor(p, "group", "New webhook secret")
	secret := browsertest.Value(p, chromedp.Evaluate[string](`document.querySelector('[aria-label="New webhook secret"] code.hash').textContent`))
	if !strings.HasPrefix(secret, "whsec_") || len(secret) < 40 {
		t.Fatalf("the secret shown: %q", secret)
	}
	waitFor(p, "button", "Send test event to "+hook)
	if got := rows(p, "Webhooks"); len(got) != 1 || got[0][0] != hook || got[0][1] != "report.day.completed report.day.failed" {
		t.Errorf("the webhooks: %q", got)
	}
	waitText(p, "No delivery yet")
	axe(t, p, "webhooks-registered")
	click(p, "button", "I have copied the secret")
	if strings.Contains(text(p), secret) {
		t.Error("the secret is still on the page")
	}

	// The first event: refused at once, retried by the worker, refused again.
	click(p, "button", "Send test event to "+hook)
	waitText(p, "Test event sent: PENDING, an attempt is due or in flight (attempt 1, response 503).")
	if got := rows(p, "Deliveries to "+hook); len(got) != 1 || got[0][0] != "webhook.test" || got[0][1] != "PENDING" || got[0][3] != "503" {
		t.Errorf("the deliveries after the test event: %q", got)
	}
	refreshUntil(t, p, hook, "FAILED 2 503")
	// The second: refused at once, delivered on its retry.
	click(p, "button", "Send test event to "+hook)
	waitText(p, "Test event sent: PENDING")
	refreshUntil(t, p, hook, "DELIVERED 2 204", "FAILED 2 503")

	click(p, "button", "Attempts of the webhook.test delivery")
	waitFor(p, "table", "Attempts of the webhook.test delivery")
	caption := browsertest.Value(p, chromedp.Evaluate[string](`[...document.querySelectorAll("caption")].map(c => c.textContent).find(c => c.startsWith("Attempts of"))`))
	attempts := rows(p, caption)
	if len(attempts) != 2 || attempts[0][0] != "1" || attempts[0][2] != "503" || attempts[0][4] == "—" ||
		attempts[1][0] != "2" || attempts[1][2] != "204" || attempts[1][4] != "—" || !strings.HasSuffix(attempts[1][3], " ms") {
		t.Errorf("the attempts of the delivered event: %q", attempts)
	}
	got := rcv.messages()
	if len(got) != 4 || got[2].id != got[3].id || got[0].id == got[2].id {
		t.Fatalf("the receiver got %d messages: %+v", len(got), got)
	}
	for _, m := range got {
		if want, err := webhooks.Sign(secret, m.id, time.Unix(m.timestamp, 0), m.body); err != nil || m.signature != want {
			t.Errorf("message %s: signature %q, want %q with the secret shown (%v)", m.id, m.signature, want, err)
		}
	}
	axe(t, p, "webhooks-attempts")
	browsertest.Value(p, chromedp.Evaluate[bool](`document.querySelector('[aria-label="Webhooks"]').closest("section").scrollIntoView(), true`))
	shot(t, p, "webhooks")

	// On a phone: the same list, nothing wider than the screen.
	phone := s.openTenant(t, host, 390, 844)
	waitFor(phone, "table", "Deliveries to "+hook)
	waitFor(phone, "button", "Send test event to "+hook)
	axe(t, phone, "phone-webhooks")
	if w := browsertest.Value(phone, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth`)); !w {
		t.Errorf("the page is wider than the phone's screen")
	}
	clean(t, phone, s.origin)

	click(p, "button", "Delete "+hook)
	click(p, "button", "Keep")
	click(p, "button", "Delete "+hook)
	click(p, "button", "Yes, delete "+hook)
	waitText(p, "Deleted the webhook to "+hook)
	waitText(p, "No webhook yet")
	var list struct{ Webhooks []struct{ ID string } }
	s.graphql(t, host, `query($t: ID) { webhooks(tenantId: $t) { id } }`, map[string]any{"t": s.acme}, &list)
	if len(list.Webhooks) != 0 {
		t.Errorf("webhooks left after Delete: %+v", list.Webhooks)
	}
	clean(t, p, s.origin)
}

// openTenant signs in with token at the width and height given and opens
// the tenant's page from the Tenants table.
func (s *site) openTenant(t *testing.T, token string, width, height int64) *browsertest.Page {
	t.Helper()
	p := s.open(t, width, height)
	fill(p, "textbox", "Access token", token)
	click(p, "button", "Sign in")
	click(p, "link", "Acme Support")
	waitFor(p, "heading", "Acme Support")
	return p
}

// rows returns the cells' text of the table captioned caption.
func rows(p *browsertest.Page, caption string) [][]string {
	p.T().Helper()
	return browsertest.Value(p, chromedp.Evaluate[[][]string](fmt.Sprintf(`[...document.querySelectorAll("table")]
		.filter(t => t.caption && t.caption.textContent === %q)
		.flatMap(t => [...t.tBodies[0].rows].map(r => [...r.cells].map(c => c.innerText.trim())))`, caption)))
}

// refreshUntil presses Refresh until the deliveries to hook are want, each
// "STATUS ATTEMPT RESPONSE", newest first; a worker makes the retries.
func refreshUntil(t *testing.T, p *browsertest.Page, hook string, want ...string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var got []string
		for _, r := range rows(p, "Deliveries to "+hook) {
			if len(r) >= 4 {
				got = append(got, strings.Join(r[1:4], " "))
			}
		}
		if strings.Join(got, ", ") == strings.Join(want, ", ") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the deliveries are %q, want %q", got, want)
		}
		time.Sleep(500 * time.Millisecond)
		click(p, "button", "Refresh")
	}
}

// receiver is a webhook endpoint on loopback: it answers 503 to its first
// fail messages and 204 after, and keeps what it was sent.
type receiver struct {
	*httptest.Server
	mu   sync.Mutex
	fail int
	got  []message
}

// message is one request the receiver got.
type message struct {
	id, signature string
	timestamp     int64
	body          []byte
}

func newReceiver(t *testing.T, fail int) *receiver {
	r := &receiver{fail: fail}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		ts, _ := strconv.ParseInt(req.Header.Get("webhook-timestamp"), 10, 64)
		r.mu.Lock()
		r.got = append(r.got, message{id: req.Header.Get("webhook-id"), signature: req.Header.Get("webhook-signature"), timestamp: ts, body: body})
		refuse := len(r.got) <= r.fail
		r.mu.Unlock()
		if refuse {
			http.Error(w, "not now", http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) messages() []message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]message(nil), r.got...)
}
