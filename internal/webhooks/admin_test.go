package webhooks_test

import (
	"testing"
	"time"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/testenv"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// testWebhook sends a webhook.test event at once and answers its delivery;
// webhooks lists a tenant's webhooks to host administrators only;
// deleteWebhook removes one, and a second delete is NOT_FOUND.
func TestTestListAndDeleteWebhooks(t *testing.T) {
	e := apptest.New(t, apptest.Options{Env: map[string]string{"WEBHOOK_ALLOW_PRIVATE": "true"}})
	tenant, other := e.Tenant("acme", true, 1), e.Tenant("other", true, 1)
	addr := freeAddr(t)
	id, secret := newWebhook(t, e, tenant, "http://"+addr+"/hook", "DAY_FAILED")
	newWebhook(t, e, other, "http://"+addr+"/other", "DAY_COMPLETED")
	rcv := testenv.StartReceiver(t, testenv.ReceiverOptions{Secret: secret, Addr: addr})
	host := hostToken(e)

	var test struct {
		TestWebhook struct {
			Type, Status   string
			Attempt        int
			ResponseStatus int
			At             time.Time
		}
	}
	e.MustGraphQL(t, host, `mutation($id: ID!) { testWebhook(id: $id) { type status attempt responseStatus at } }`, map[string]any{"id": id}, &test)
	if d := test.TestWebhook; d.Type != "webhook.test" || d.Status != "DELIVERED" || d.Attempt != 1 || d.ResponseStatus != 200 || time.Since(d.At) > time.Minute {
		t.Errorf("testWebhook: %+v", d)
	}
	got := rcv.Received()
	if len(got) != 1 || !got[0].Verified || got[0].Type != "webhook.test" {
		t.Fatalf("received %+v", got)
	}
	conformsToDocs(t, "TestEvent", got)

	var list struct {
		Webhooks []struct {
			ID     string
			URL    string
			Events []string
			Tenant *struct{ ID string }
		}
	}
	e.MustGraphQL(t, host, `query($t: ID) { webhooks(tenantId: $t) { id url events tenant { id } } }`, map[string]any{"t": tenant}, &list)
	if len(list.Webhooks) != 1 || list.Webhooks[0].ID != id || list.Webhooks[0].Events[0] != "DAY_FAILED" || list.Webhooks[0].Tenant.ID != tenant.String() {
		t.Errorf("webhooks of the tenant: %+v", list.Webhooks)
	}
	e.MustGraphQL(t, host, `{ webhooks { id } }`, nil, &list)
	if len(list.Webhooks) != 2 {
		t.Errorf("every webhook: %+v", list.Webhooks)
	}
	reader := e.Token(tenant, viewer.ScopeReportsRead)
	for _, q := range []string{`{ webhooks { id } }`, `mutation { deleteWebhook(id: "` + id + `") }`, `mutation { testWebhook(id: "` + id + `") { id } }`} {
		if errs := e.GraphQL(reader, q, nil, nil); len(errs) != 1 || errs[0].Extensions.Code != "FORBIDDEN" {
			t.Errorf("%s by a tenant: %+v", q, errs)
		}
	}
	var del struct{ DeleteWebhook bool }
	e.MustGraphQL(t, host, `mutation($id: ID!) { deleteWebhook(id: $id) }`, map[string]any{"id": id}, &del)
	if !del.DeleteWebhook {
		t.Error("deleteWebhook answered false")
	}
	if rows := e.SQL(`SELECT count(*) FROM webhook_deliveries`); rows[0] != "0" {
		t.Errorf("%s deliveries left after the delete", rows[0])
	}
	for _, q := range []string{`mutation($id: ID!) { deleteWebhook(id: $id) }`, `mutation($id: ID!) { testWebhook(id: $id) { id } }`} {
		if errs := e.GraphQL(host, q, map[string]any{"id": id}, nil); len(errs) != 1 || errs[0].Extensions.Code != "NOT_FOUND" {
			t.Errorf("%s of a deleted webhook: %+v", q, errs)
		}
	}
}
