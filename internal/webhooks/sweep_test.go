package webhooks_test

import (
	"context"
	"testing"
	"time"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/store"
	"github.com/dailyreports/dailyreports/internal/testenv"
	"github.com/dailyreports/dailyreports/internal/webhooks"
)

// The outbox is in the database: deliveries whose tasks Redis never got (or
// lost) are found by the sweep and delivered — one due and never tried, one
// whose worker died mid-attempt (its lease ran out) — each attempt once.
func TestTheSweepDeliversWhatTheQueueLost(t *testing.T) {
	e := apptest.New(t, apptest.Options{Env: map[string]string{"WEBHOOK_ALLOW_PRIVATE": "true"}})
	tenant := e.Tenant("acme", true, 1)
	addr := freeAddr(t)
	_, secret := newWebhook(t, e, tenant, "http://"+addr+"/hook", "HOUR_REBUILT")
	rcv := testenv.StartReceiver(t, testenv.ReceiverOptions{Secret: secret, Addr: addr})
	ctx := apptest.System()
	var ids []string
	for _, ev := range []string{"evt_never_queued", "evt_worker_lost"} {
		queued, err := e.App.Store.QueueEvent(ctx, store.NewEvent{ID: ev, Type: string(webhooks.EventHourRebuilt),
			TenantID: tenant, Payload: []byte(`{"type":"report.hour.rebuilt"}`)})
		if err != nil || len(queued) != 1 {
			t.Fatalf("queue %s: %v %v", ev, queued, err)
		}
		ids = append(ids, queued[0].String())
	}
	e.SQL(`UPDATE webhook_deliveries SET next_attempt_at = now() - interval '5 minutes'`)
	e.SQL(`UPDATE webhook_deliveries SET attempt = 1, lease_until = now() - interval '1 second' WHERE id = $1`, ids[1])
	e.StartWorker()
	n, err := e.App.Webhooks.Sweep(context.Background())
	if err != nil || n != 2 {
		t.Fatalf("sweep scheduled %d: %v", n, err)
	}
	rcv.Wait(t, 20*time.Second, "both delivered", func(got []testenv.Received) bool { return len(got) == 2 })
	// The worker records each outcome once the receiver has answered.
	for _, id := range ids {
		var state string
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			state = e.SQL(`SELECT status || ' ' || attempt FROM webhook_deliveries WHERE id = $1`, id)[0]
			if state != "PENDING 1" || time.Now().After(deadline) {
				break
			}
		}
		if state != "DELIVERED 1" {
			t.Errorf("delivery %s: %s, want DELIVERED 1", id, state)
		}
	}
	if n, err := e.App.Webhooks.Sweep(context.Background()); err != nil || n != 0 {
		t.Errorf("a second sweep scheduled %d: %v", n, err)
	}
	time.Sleep(time.Second)
	if got := rcv.Received(); len(got) != 2 || got[0].ID == got[1].ID {
		t.Errorf("received %+v", got)
	}
}
