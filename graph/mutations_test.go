package graph_test

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/apptest"
)

func createClient(t *testing.T, w *world, token string, tenant any, scopes []string) response {
	t.Helper()
	in := map[string]any{"name": "dashboard", "scopes": scopes}
	if tenant != nil {
		in["tenantId"] = tenant
	}
	return do(t, w.e, token, `mutation($in: CreateApiClientInput!) { createApiClient(input: $in) { clientId clientSecret scopes } }`,
		map[string]any{"in": in})
}

func TestCreateApiClient(t *testing.T) {
	w := newWorld(t, apptest.Options{})
	var d struct {
		CreateApiClient struct {
			ClientId, ClientSecret string
			Scopes                 []string
		}
	}
	createClient(t, w, w.host, w.a.String(), []string{"dataservice_external", "conversations.write", "dataservice_external"}).ok(t, &d)
	c := d.CreateApiClient
	if len(c.ClientId) < 20 || len(c.ClientSecret) < 40 || len(c.Scopes) != 2 {
		t.Fatalf("created: %+v", c)
	}
	// The secret is stored only as a hash.
	row, err := w.e.App.Store.ApiClient(apptest.System(), c.ClientId)
	if err != nil {
		t.Fatal(err)
	}
	if row.SecretHash == c.ClientSecret || len(row.SecretHash) < 64 || *row.TenantID != w.a {
		t.Fatalf("stored client: hash %q tenant %v", row.SecretHash, row.TenantID)
	}
	createClient(t, w, w.host, nil, []string{"host_admin"}).ok(t, nil)

	for name, c := range map[string]struct {
		token  string
		tenant any
		scopes []string
		code   string
	}{
		"host_admin on a tenant client":     {w.host, w.a.String(), []string{"host_admin"}, "BAD_USER_INPUT"},
		"tenant scope on a host client":     {w.host, nil, []string{"dataservice_external"}, "BAD_USER_INPUT"},
		"unknown scope":                     {w.host, w.a.String(), []string{"admin"}, "BAD_USER_INPUT"},
		"no scopes":                         {w.host, w.a.String(), []string{}, "BAD_USER_INPUT"},
		"unknown tenant":                    {w.host, uuid.NewString(), []string{"dataservice_external"}, "NOT_FOUND"},
		"tenant principal for its own":      {w.readA, w.a.String(), []string{"dataservice_external"}, "FORBIDDEN"},
		"host principal without host_admin": {w.hostNoRole, nil, []string{"host_admin"}, "FORBIDDEN"},
		"no token":                          {"", w.a.String(), []string{"dataservice_external"}, "UNAUTHENTICATED"},
	} {
		t.Run(name, func(t *testing.T) { createClient(t, w, c.token, c.tenant, c.scopes).wantCode(t, c.code) })
	}

	const revoke = `mutation($id: String!) { revokeApiClient(clientId: $id) }`
	do(t, w.e, w.host, revoke, map[string]any{"id": c.ClientId}).ok(t, nil)
	if row, _ := w.e.App.Store.ApiClient(apptest.System(), c.ClientId); !row.Revoked {
		t.Fatal("client not revoked")
	}
	do(t, w.e, w.host, revoke, map[string]any{"id": "drc_nope"}).wantCode(t, "NOT_FOUND")
	do(t, w.e, w.readA, revoke, map[string]any{"id": c.ClientId}).wantCode(t, "FORBIDDEN")
}

func regenerate(t *testing.T, w *world, token string, tenant any, day string, hour any) response {
	t.Helper()
	in := map[string]any{"tenantId": tenant, "utcDay": day}
	if hour != nil {
		in["utcHour"] = hour
	}
	return do(t, w.e, token, `mutation($in: RegenerateReportsInput!) { regenerateReports(input: $in) { enqueued } }`,
		map[string]any{"in": in})
}

func TestRegenerateReports(t *testing.T) {
	w := newWorld(t, apptest.Options{})
	w.e.StartWorker()
	day := yesterday()
	ingestHour(w.e, w.writeA, day, 5, 2, "r")
	mustHourly(t, w.e, w.readA, nil, day, 5, "data")
	first := mustHourly(t, w.e, w.readA, nil, day, 5, "")
	time.Sleep(1100 * time.Millisecond) // generatedAt has whole seconds

	var d struct{ RegenerateReports struct{ Enqueued int } }
	regenerate(t, w, w.host, w.a.String(), dayString(day), 5).ok(t, &d)
	if d.RegenerateReports.Enqueued != 1 {
		t.Fatalf("enqueued %d, want 1", d.RegenerateReports.Enqueued)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		h := mustHourly(t, w.e, w.readA, nil, day, 5, "")
		if h.Status == "STORED" && *h.GeneratedAt != *first.GeneratedAt {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("hour 5 was not rebuilt: %+v", h)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if w.e.Built("job") < 1 {
		t.Fatalf("no chunk built by the workers")
	}

	regenerate(t, w, w.host, w.a.String(), dayString(day), nil).ok(t, &d)
	if d.RegenerateReports.Enqueued != 24 {
		t.Fatalf("whole day: enqueued %d, want 24", d.RegenerateReports.Enqueued)
	}
	now := time.Now().UTC()
	if r := regenerate(t, w, w.host, w.a.String(), dayString(now), nil); now.Hour() == 0 {
		r.wantCode(t, "BAD_USER_INPUT") // no hour of today has ended
	} else if r.ok(t, &d); d.RegenerateReports.Enqueued != now.Hour() && d.RegenerateReports.Enqueued != time.Now().UTC().Hour() {
		t.Fatalf("today: enqueued %d, want %d", d.RegenerateReports.Enqueued, now.Hour())
	}

	off := w.e.Tenant("off", false, 1)
	for name, c := range map[string]struct {
		token  string
		tenant any
		day    string
		hour   any
		code   string
	}{
		"hour not ended":    {w.host, w.a.String(), dayString(now.AddDate(0, 0, 1)), 1, "BAD_USER_INPUT"},
		"hour 24":           {w.host, w.a.String(), dayString(day), 24, "BAD_USER_INPUT"},
		"expired day":       {w.host, w.a.String(), dayString(now.AddDate(0, -4, 0)), nil, "GONE"},
		"disabled tenant":   {w.host, off.String(), dayString(day), nil, "FORBIDDEN"},
		"unknown tenant":    {w.host, uuid.NewString(), dayString(day), nil, "NOT_FOUND"},
		"tenant principal":  {w.readA, w.a.String(), dayString(day), nil, "FORBIDDEN"},
		"host without role": {w.hostNoRole, w.a.String(), dayString(day), nil, "FORBIDDEN"},
		"no token":          {"", w.a.String(), dayString(day), nil, "UNAUTHENTICATED"},
	} {
		t.Run(name, func(t *testing.T) { regenerate(t, w, c.token, c.tenant, c.day, c.hour).wantCode(t, c.code) })
	}
}
