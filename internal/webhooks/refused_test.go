package webhooks_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/store"
	"github.com/dailyreports/dailyreports/internal/testenv"
	"github.com/dailyreports/dailyreports/internal/viewer"
	"github.com/dailyreports/dailyreports/internal/webhooks"
)

// By default, URLs on loopback, private and link-local addresses, and names
// that resolve to them, are refused when a webhook is created, as are
// other schemes, credentials and fragments; only host administrators may
// create one.
func TestPrivateURLsAreRefused(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	tenant := e.Tenant("acme", true, 1)
	for _, url := range []string{
		"http://127.0.0.1:8080/hook", "http://localhost/hook", "http://api.localhost/hook", "http://[::1]/hook",
		"http://10.0.0.7/hook", "https://192.168.1.1/hook", "http://169.254.169.254/latest/meta-data",
		"http://[fe80::1]/", "http://0.0.0.0/", "http://[::ffff:127.0.0.1]/", "ftp://93.184.216.34/",
		"http://user:pw@93.184.216.34/", "https://93.184.216.34/#x", "/relative", "https://" + strings.Repeat("a", 2100) + ".com/",
	} {
		errs := e.GraphQL(hostToken(e), createWebhook, map[string]any{"in": map[string]any{
			"tenantId": tenant, "url": url, "events": []string{"DAY_COMPLETED"}}}, nil)
		if len(errs) != 1 || errs[0].Extensions.Code != "BAD_USER_INPUT" {
			t.Errorf("createWebhook %q: %+v, want BAD_USER_INPUT", url, errs)
		}
	}
	errs := e.GraphQL(e.Token(tenant, viewer.ScopeReportsRead, viewer.ScopeConversationsWrite), createWebhook,
		map[string]any{"in": map[string]any{"url": "https://93.184.216.34/", "events": []string{"DAY_COMPLETED"}}}, nil)
	if len(errs) != 1 || errs[0].Extensions.Code != "FORBIDDEN" {
		t.Errorf("createWebhook by a tenant: %+v, want FORBIDDEN", errs)
	}
	errs = e.GraphQL(hostToken(e), createWebhook, map[string]any{"in": map[string]any{
		"url": "https://93.184.216.34/", "events": []string{}}}, nil)
	if len(errs) != 1 || errs[0].Extensions.Code != "BAD_USER_INPUT" {
		t.Errorf("createWebhook without events: %+v", errs)
	}
	var ok createdWebhook
	e.MustGraphQL(t, hostToken(e), createWebhook, map[string]any{"in": map[string]any{
		"url": "https://93.184.216.34/hook", "events": []string{"DAY_FAILED"}}}, &ok)
	if !strings.HasPrefix(ok.CreateWebhook.Secret, "whsec_") {
		t.Errorf("secret %q", ok.CreateWebhook.Secret)
	}
	if rows := e.SQL(`SELECT count(*) FROM webhooks WHERE position($1 in encode(secret, 'escape')) > 0`, ok.CreateWebhook.Secret[6:]); rows[0] != "0" {
		t.Error("the secret is stored in clear")
	}
}

// A webhook whose name resolves to a loopback address is refused when it is
// dialled, whatever it resolved to when it was created: the attempt is
// recorded as refused, and the receiver behind it gets nothing.
func TestPrivateAddressesAreRefusedWhenDialled(t *testing.T) {
	e := apptest.New(t, apptest.Options{Env: map[string]string{"WEBHOOK_ALLOW_PRIVATE": "true", "WEBHOOK_RETRY_DELAYS": "1h"}})
	tenant := e.Tenant("acme", true, 1)
	addr := freeAddr(t)
	_, port, _ := strings.Cut(addr, ":")
	_, secret := newWebhook(t, e, tenant, "http://localhost:"+port+"/hook", "HOUR_REBUILT")
	rcv := testenv.StartReceiver(t, testenv.ReceiverOptions{Secret: secret, Addr: addr})

	w := e.App.Webhooks
	strict := &webhooks.Service{Store: w.Store, Sealer: w.Sealer, PublicURL: w.PublicURL, RetryDelays: w.RetryDelays, Log: w.Log}
	ctx := apptest.System()
	ev := store.NewEvent{ID: "evt_dial", Type: string(webhooks.EventHourRebuilt), TenantID: tenant, Payload: []byte(`{"type":"report.hour.rebuilt"}`)}
	ids, err := e.App.Store.QueueEvent(ctx, ev)
	if err != nil || len(ids) != 1 {
		t.Fatalf("queue: %v %v", ids, err)
	}
	if err := strict.Deliver(context.Background(), ids[0], 1); err != nil {
		t.Fatal(err)
	}
	attempts, err := e.App.Store.Attempts(ctx, ids[0])
	if err != nil || len(attempts) != 1 || attempts[0].ResponseStatus != nil || !strings.Contains(attempts[0].Error, "refused") {
		t.Fatalf("attempts %+v %v", attempts, err)
	}
	time.Sleep(200 * time.Millisecond)
	if got := rcv.Received(); len(got) != 0 {
		t.Errorf("the receiver got %+v", got)
	}
	// The same delivery, allowed, reaches it.
	if err := e.App.Webhooks.Deliver(context.Background(), ids[0], 2); err != nil {
		t.Fatal(err)
	}
	rcv.Wait(t, 10*time.Second, "the allowed attempt", func(got []testenv.Received) bool { return len(got) == 1 && got[0].Verified })
}
