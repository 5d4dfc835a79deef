package faults

import (
	"context"
	"testing"
	"time"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/store"
	"github.com/dailyreports/dailyreports/internal/testenv"
	"github.com/dailyreports/dailyreports/internal/viewer"
	"github.com/dailyreports/dailyreports/internal/webhooks"
)

// A worker killed with SIGKILL while its delivery waits for the receiver's
// answer loses nothing: the attempt's row stays claimed, and once the
// claim's lease and asynq's have run out another worker makes the attempt
// again, with the same webhook-id and body; it is recorded once and the
// delivery is DELIVERED.
func TestWorkerKilledWhileDelivering(t *testing.T) {
	t.Parallel()
	c := newCluster(t, map[string]string{"WEBHOOK_ALLOW_PRIVATE": "true"})
	tenant := c.tenants(1)[0]
	host := viewer.NewContext(context.Background(), viewer.Viewer{Subject: "test", Scopes: []string{viewer.ScopeHostAdmin}})
	addr := testenv.FreeAddr(t)
	hook, err := c.App.Webhooks.Create(host, &tenant, "http://"+addr+"/hook", []webhooks.Event{webhooks.EventHourRebuilt})
	if err != nil {
		t.Fatal(err)
	}
	rcv := testenv.StartReceiver(t, testenv.ReceiverOptions{Secret: hook.Secret, Addr: addr, Hold: 20 * time.Second})
	ids, err := c.App.Store.QueueEvent(apptest.System(), store.NewEvent{ID: "evt_killed", Type: string(webhooks.EventHourRebuilt),
		TenantID: tenant, Payload: []byte(`{"type":"report.hour.rebuilt","data":{}}`)})
	if err != nil || len(ids) != 1 {
		t.Fatalf("queue: %v %v", ids, err)
	}
	c.App.Webhooks.Queued(context.Background(), ids)

	a := c.serve("worker-a", "worker", nil).Ready()
	rcv.Wait(t, 30*time.Second, "the first attempt held", func(got []testenv.Received) bool { return len(got) > 0 && got[0].Holding })
	a.Kill()
	killed := time.Now()
	if row := c.SQL(`SELECT status || ' ' || attempt || ' ' || (lease_until IS NOT NULL) FROM webhook_deliveries`); row[0] != "PENDING 1 true" {
		t.Fatalf("after the kill the delivery is %s, want PENDING 1 true (claimed)", row[0])
	}
	c.serve("worker-b", "worker", nil).Ready()
	got := rcv.Wait(t, 3*time.Minute, "the attempt made again", func(got []testenv.Received) bool {
		for _, r := range got {
			if r.N == 2 && r.Status == 200 {
				return true
			}
		}
		return false
	})
	t.Logf("attempt made again %s after the kill", time.Since(killed).Round(time.Second))
	deadline := time.Now().Add(10 * time.Second)
	for c.SQL(`SELECT status FROM webhook_deliveries`)[0] != "DELIVERED" && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	rows := c.SQL(`SELECT d.status || ' ' || d.attempt || ' ' || count(a.id) || ' ' || max(a.response_status) FROM webhook_deliveries d
		JOIN webhook_attempts a ON a.delivery_id = d.id GROUP BY d.id`)
	if len(rows) != 1 || rows[0] != "DELIVERED 1 1 200" {
		t.Errorf("delivery and attempts %v, want DELIVERED 1 1 200", rows)
	}
	var first, again *testenv.Received
	for i := range got {
		switch {
		case got[i].Holding:
		case got[i].N == 2:
			again = &got[i]
		case got[i].N == 1:
			first = &got[i]
		}
	}
	if again == nil || !again.Verified || again.ID != "evt_killed" || (first != nil && string(first.Body) != string(again.Body)) {
		t.Errorf("requests %+v", got)
	}
}
