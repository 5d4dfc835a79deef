package webhooks_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hibiken/asynq"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/testenv"
	"github.com/dailyreports/dailyreports/internal/viewer"
	"github.com/dailyreports/dailyreports/jobs"
)

func yesterday() time.Time { return time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -1) }

func inHour(hour, minute int) time.Time {
	return yesterday().Add(time.Duration(hour)*time.Hour + time.Duration(minute)*time.Minute)
}

// freeAddr is a 127.0.0.1 address with a port free at the time.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// createdWebhook is createWebhook's answer.
type createdWebhook struct {
	CreateWebhook struct {
		Webhook struct{ ID string }
		Secret  string
	}
}

const createWebhook = `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { webhook { id url events } secret } }`

// newWebhook registers url for tenant's events as a host administrator.
func newWebhook(t *testing.T, e *apptest.Env, tenant uuid.UUID, url string, events ...string) (id, secret string) {
	t.Helper()
	var out createdWebhook
	e.MustGraphQL(t, hostToken(e), createWebhook, map[string]any{"in": map[string]any{
		"tenantId": tenant, "url": url, "events": events}}, &out)
	return out.CreateWebhook.Webhook.ID, out.CreateWebhook.Secret
}

func hostToken(e *apptest.Env) string { return e.Token(uuid.Nil, viewer.ScopeHostAdmin) }

// enqueueRun queues a run of day on the service's Redis, as a scheduler's
// nightly task would.
func enqueueRun(t *testing.T, e *apptest.Env, p jobs.RunPayload) {
	t.Helper()
	c := asynq.NewClient(e.App.Redis)
	defer c.Close()
	task, err := jobs.NewRunTask(p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.EnqueueContext(context.Background(), task); err != nil && !errors.Is(err, asynq.ErrTaskIDConflict) {
		t.Fatalf("enqueue run: %v", err)
	}
}

// eventBody is an event's body as the receiver decoded it.
type eventBody struct {
	Type      string
	Timestamp time.Time
	Data      struct {
		TenantID string `json:"tenantId"`
		UtcDay   string `json:"utcDay"`
		URL      string `json:"url"`
		Hours    []struct {
			UtcHour           int     `json:"utcHour"`
			Status            string  `json:"status"`
			ConversationCount *int    `json:"conversationCount"`
			MessageCount      *int    `json:"messageCount"`
			Sha256            *string `json:"sha256"`
			URL               string  `json:"url"`
		} `json:"hours"`
	}
}

func decodeBody(t *testing.T, r testenv.Received) eventBody {
	t.Helper()
	var b eventBody
	if err := json.Unmarshal(r.Body, &b); err != nil {
		t.Fatalf("event body: %v: %s", err, r.Body)
	}
	return b
}

// ofType returns the answered requests of events of type typ.
func ofType(got []testenv.Received, typ string) []testenv.Received {
	var out []testenv.Received
	for _, r := range got {
		if !r.Holding && r.Type == typ {
			out = append(out, r)
		}
	}
	return out
}
