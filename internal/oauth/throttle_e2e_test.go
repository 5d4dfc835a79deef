package oauth_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/oauth"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// Guessing a client's secret is throttled: past DefaultClientBurst
// failures the client id gets 429 with Retry-After, even with the right
// secret, while another client is served. An id no client has is throttled
// exactly alike, so the throttle tells nothing of which ids exist.
func TestTokenThrottlesFailedAuthentication(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	tenant := e.Tenant("acme", true, 1)
	victim := newClient(t, e, &tenant, viewer.ScopeReportsRead)
	other := newClient(t, e, &tenant, viewer.ScopeReportsRead)
	grant := url.Values{"grant_type": {"client_credentials"}}
	burst := oauth.DefaultClientBurst

	answers := func(id string) []string {
		var out []string
		for range burst + 1 {
			status, hdr, body := tokenRequest(t, e, grant, &client{id, "drs_wrong"})
			b, _ := json.Marshal(body)
			out = append(out, strconv.Itoa(status)+" "+hdr.Get("Retry-After")+" "+string(b))
		}
		return out
	}
	real, unknown := answers(victim.ClientId), answers("drc_"+strings.Repeat("q", 26))
	for i := range burst {
		if !strings.HasPrefix(real[i], "401  ") {
			t.Fatalf("failure %d: %s, want 401 invalid_client", i+1, real[i])
		}
	}
	if !strings.HasPrefix(real[burst], "429 ") || !strings.Contains(real[burst], `"error":"invalid_client"`) {
		t.Fatalf("failure %d: %s, want 429 invalid_client", burst+1, real[burst])
	}
	if strings.Join(real, "\n") != strings.Join(unknown, "\n") {
		t.Fatalf("a client's id and an unknown id are throttled differently:\n%s\n--\n%s", strings.Join(real, "\n"), strings.Join(unknown, "\n"))
	}

	status, hdr, body := tokenRequest(t, e, grant, &victim)
	wait, err := strconv.Atoi(hdr.Get("Retry-After"))
	if status != http.StatusTooManyRequests || body["error"] != "invalid_client" || err != nil ||
		wait < 1 || wait > int(oauth.DefaultClientEvery.Seconds())+1 {
		t.Fatalf("right secret of a throttled id: %d %q %v, want 429 with Retry-After", status, hdr.Get("Retry-After"), body)
	}
	if _, ok := body["access_token"]; ok {
		t.Fatal("a throttled id got a token")
	}
	for i := range 3 { // successes spend no budget
		if status, _, body := tokenRequest(t, e, grant, &other); status != http.StatusOK {
			t.Fatalf("another client's right secret, request %d: %d %v", i, status, body)
		}
	}
}
