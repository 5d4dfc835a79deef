package graph_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/reports"
	"github.com/dailyreports/dailyreports/jobs"
)

const runsQuery = `query($first: Int, $after: Cursor, $day: Date) {
	generationRuns(first: $first, after: $after, utcDay: $day) {
		edges { cursor node { id utcDay trigger status startedAt finishedAt tenants chunks stored failed
			passes { attempt chunks stored failed startedAt finishedAt } } }
		pageInfo { hasNextPage endCursor } } }`

type runsPage struct {
	GenerationRuns struct {
		Edges []struct {
			Cursor string
			Node   struct {
				ID, UtcDay, Trigger, Status, StartedAt string
				FinishedAt                             *string
				Tenants, Chunks, Stored, Failed        int
				Passes                                 []struct{ Attempt, Chunks, Stored, Failed int }
			}
		}
		PageInfo struct {
			HasNextPage bool
			EndCursor   *string
		}
	}
}

// A host administrator reads what last night did: the run with its passes,
// the hour still failing across tenants with its attempts and, in words,
// why; tenant principals may read none of it.
func TestOperatorReadsTheNight(t *testing.T) {
	w := newWorld(t, apptest.Options{})
	day := yesterday()
	ingestHour(w.e, w.writeB, day, 7, 2, "b")
	bad := document.ObjectKey(w.b, document.NewHour(day, 7))
	w.e.App.Objects = &apptest.Objects{Objects: w.e.App.Blob, Fail: func(k string, _ int) bool { return k == bad }}
	r := w.e.App.Runner()
	p := jobs.RunPayload{RunID: "nightly-" + dayString(day), Day: dayString(day), Trigger: jobs.TriggerNightly}
	if _, err := r.Run(context.Background(), p, &jobs.LocalExecutor{Runner: r, Parallel: 4}); err != nil {
		t.Fatal(err)
	}

	var page runsPage
	do(t, w.e, w.host, runsQuery, map[string]any{"day": dayString(day)}).ok(t, &page)
	if len(page.GenerationRuns.Edges) != 1 {
		t.Fatalf("runs: %+v", page)
	}
	run := page.GenerationRuns.Edges[0].Node
	if run.Trigger != "NIGHTLY" || run.Status != "PARTIAL" || run.Tenants != 2 || run.Chunks != 48 ||
		run.Stored != 47 || run.Failed != 1 || run.FinishedAt == nil || len(run.Passes) != 3 ||
		run.Passes[0].Chunks != 48 || run.Passes[0].Failed != 1 || run.Passes[2].Attempt != 3 || run.Passes[2].Failed != 1 {
		t.Fatalf("run: %+v", run)
	}

	const failedQuery = `query($day: Date) { failedReports(utcDay: $day) { tenantId utcDay utcHour status attempts lastError } }`
	var failed struct {
		FailedReports []struct {
			TenantID, UtcDay, Status string
			UtcHour                  int
			Attempts                 *int
			LastError                *string
		}
	}
	do(t, w.e, w.host, failedQuery, map[string]any{"day": dayString(day)}).ok(t, &failed)
	if len(failed.FailedReports) != 1 {
		t.Fatalf("failed reports: %+v", failed)
	}
	f := failed.FailedReports[0]
	if f.TenantID != w.b.String() || f.UtcHour != 7 || f.Status != "FAILED" || f.Attempts == nil || *f.Attempts != 3 ||
		f.LastError == nil || *f.LastError != reports.FailedStorage {
		t.Fatalf("failed hour: %+v", f)
	}
	do(t, w.e, w.host, failedQuery, nil).ok(t, &failed) // every day
	if len(failed.FailedReports) != 1 {
		t.Fatalf("failed reports of every day: %+v", failed)
	}

	// The tenant sees its hour FAILED, how often it was tried, not why.
	h := mustHourly(t, w.e, w.readB, nil, day, 7, "attempts lastError")
	if h.Status != "FAILED" || h.Attempts == nil || *h.Attempts != 3 || h.LastError != nil {
		t.Fatalf("the tenant's failed hour: %+v", h)
	}
	for _, q := range []string{runsQuery, failedQuery, `{ apiClients { edges { node { clientId } } } }`} {
		do(t, w.e, w.readB, q, nil).wantCode(t, "FORBIDDEN")
		do(t, w.e, w.hostNoRole, q, nil).wantCode(t, "FORBIDDEN")
		do(t, w.e, "", q, nil).wantCode(t, "UNAUTHENTICATED")
	}
}

// A failure recorded before failures were sentences (a driver's message)
// reads as "internal error": no driver text reaches a client.
func TestLastErrorNeverShowsRecordedText(t *testing.T) {
	w := newWorld(t, apptest.Options{})
	day := yesterday()
	failChunk(t, w.e, w.a, day, 3) // records "boom"
	h := mustHourly(t, w.e, w.host, &w.a, day, 3, "attempts lastError")
	if h.LastError == nil || *h.LastError != reports.FailedInternal {
		t.Fatalf("last error %v, want %q", h.LastError, reports.FailedInternal)
	}
}

// Runs page newest first with cursors; a day narrows them.
func TestGenerationRunsPage(t *testing.T) {
	w := newWorld(t, apptest.Options{})
	day := yesterday()
	r := w.e.App.Runner()
	for _, id := range []string{"generate-1", "generate-2", "generate-3"} {
		p := jobs.RunPayload{RunID: id, Day: dayString(day), Tenants: []uuid.UUID{w.a}, Hours: []int{1}, Force: true, Trigger: jobs.TriggerCommand}
		if _, err := r.Run(context.Background(), p, &jobs.LocalExecutor{Runner: r, Parallel: 1}); err != nil {
			t.Fatal(err)
		}
	}
	var ids []string
	var after any
	for range 3 {
		var page runsPage
		do(t, w.e, w.host, runsQuery, map[string]any{"first": 2, "after": after}).ok(t, &page)
		for _, e := range page.GenerationRuns.Edges {
			if e.Node.Trigger != "COMMAND" || e.Node.Status != "SUCCEEDED" || e.Node.Chunks != 1 {
				t.Fatalf("run %+v", e.Node)
			}
			ids = append(ids, e.Node.ID)
		}
		if !page.GenerationRuns.PageInfo.HasNextPage {
			break
		}
		after = *page.GenerationRuns.PageInfo.EndCursor
	}
	if len(ids) != 3 || ids[0] == ids[1] || ids[1] == ids[2] {
		t.Fatalf("paged runs: %q", ids)
	}
	var page runsPage
	do(t, w.e, w.host, runsQuery, map[string]any{"day": dayString(day.AddDate(0, 0, -1))}).ok(t, &page)
	if len(page.GenerationRuns.Edges) != 0 {
		t.Fatalf("runs of another day: %+v", page)
	}
	do(t, w.e, w.host, runsQuery, map[string]any{"first": -1}).wantCode(t, "BAD_USER_INPUT")
	do(t, w.e, w.host, runsQuery, map[string]any{"after": "nonsense"}).wantCode(t, "BAD_USER_INPUT")
}

const clientsQuery = `query($tenant: ID, $first: Int, $after: Cursor) {
	apiClients(tenantId: $tenant, first: $first, after: $after) {
		edges { cursor node { clientId name tenant { id name } scopes createdAt revokedAt lastUsedAt } }
		pageInfo { hasNextPage endCursor } } }`

type clientsPage struct {
	ApiClients struct {
		Edges []struct {
			Node struct {
				ClientID, Name, CreatedAt string
				Tenant                    *struct{ ID, Name string }
				Scopes                    []string
				RevokedAt, LastUsedAt     *string
			}
		}
		PageInfo struct {
			HasNextPage bool
			EndCursor   *string
		}
	}
}

// API clients are listed newest first, a tenant's alone on request, with
// when they last got a token and when they were revoked.
func TestApiClientsList(t *testing.T) {
	w := newWorld(t, apptest.Options{})
	var ids []string
	var secret string
	for _, tenant := range []any{w.a.String(), w.b.String(), nil} {
		scopes := []string{"dataservice_external"}
		if tenant == nil {
			scopes = []string{"host_admin"}
		}
		var d struct {
			CreateApiClient struct{ ClientId, ClientSecret string }
		}
		createClient(t, w, w.host, tenant, scopes).ok(t, &d)
		ids, secret = append(ids, d.CreateApiClient.ClientId), d.CreateApiClient.ClientSecret
	}
	// The host client gets a token twice: its last use is recorded once.
	for range 2 {
		form := url.Values{"grant_type": {"client_credentials"}, "client_id": {ids[2]}, "client_secret": {secret}}
		resp := w.e.Do(http.MethodPost, "/connect/token", "", []byte(form.Encode()), "Content-Type", "application/x-www-form-urlencoded")
		if b := apptest.Read(t, resp); resp.StatusCode != http.StatusOK {
			t.Fatalf("token: %d %s", resp.StatusCode, b)
		}
	}
	do(t, w.e, w.host, `mutation($id: String!) { revokeApiClient(clientId: $id) }`, map[string]any{"id": ids[0]}).ok(t, nil)

	var all clientsPage
	do(t, w.e, w.host, clientsQuery, nil).ok(t, &all)
	e := all.ApiClients.Edges
	if len(e) != 3 || e[0].Node.ClientID != ids[2] || e[1].Node.ClientID != ids[1] || e[2].Node.ClientID != ids[0] {
		t.Fatalf("clients, newest first: %+v", e)
	}
	if e[0].Node.Tenant != nil || e[0].Node.LastUsedAt == nil || e[0].Node.RevokedAt != nil {
		t.Fatalf("the host client: %+v", e[0].Node)
	}
	if e[2].Node.Tenant == nil || e[2].Node.Tenant.Name != "A" || e[2].Node.RevokedAt == nil || e[2].Node.LastUsedAt != nil {
		t.Fatalf("the revoked client of A: %+v", e[2].Node)
	}
	var ofB clientsPage
	do(t, w.e, w.host, clientsQuery, map[string]any{"tenant": w.b.String()}).ok(t, &ofB)
	if len(ofB.ApiClients.Edges) != 1 || ofB.ApiClients.Edges[0].Node.ClientID != ids[1] {
		t.Fatalf("clients of B: %+v", ofB)
	}
	var first, rest clientsPage
	do(t, w.e, w.host, clientsQuery, map[string]any{"first": 2}).ok(t, &first)
	if !first.ApiClients.PageInfo.HasNextPage {
		t.Fatalf("first page: %+v", first)
	}
	do(t, w.e, w.host, clientsQuery, map[string]any{"first": 2, "after": *first.ApiClients.PageInfo.EndCursor}).ok(t, &rest)
	if len(rest.ApiClients.Edges) != 1 || rest.ApiClients.Edges[0].Node.ClientID != ids[0] || rest.ApiClients.PageInfo.HasNextPage {
		t.Fatalf("second page: %+v", rest)
	}
	used := w.e.SQL(`SELECT last_used_at FROM api_clients WHERE client_id = $1`, ids[2])
	if len(used) != 1 || !strings.Contains(used[0], "T") && !strings.Contains(used[0], ":") {
		t.Fatalf("last_used_at %q", used)
	}
}

// Tenants are filtered by name, ignoring case.
func TestTenantsFilteredByName(t *testing.T) {
	w := newWorld(t, apptest.Options{})
	w.e.Tenant("Acme Support", true, 1)
	var d struct {
		Tenants struct {
			Edges []struct{ Node struct{ Name string } }
		}
	}
	do(t, w.e, w.host, `{ tenants(name: "acme") { edges { node { name } } } }`, nil).ok(t, &d)
	if len(d.Tenants.Edges) != 1 || d.Tenants.Edges[0].Node.Name != "Acme Support" {
		t.Fatalf("tenants named acme: %+v", d)
	}
	do(t, w.e, w.host, `{ tenants(name: "") { totalCount } }`, nil).ok(t, nil)
	do(t, w.e, w.host, "{ tenants(name: \"a\\u0000\") { totalCount } }", nil).wantCode(t, "BAD_USER_INPUT")
}
