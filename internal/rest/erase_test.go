package rest_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/minio/minio-go/v7"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/reports"
	"github.com/dailyreports/dailyreports/internal/store"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

func erasePath(id string) string { return "/api/external/conversations/" + url.PathEscape(id) }

// readers are every way a client reads one hour: the route (zip and JSON),
// GraphQL's data, a presigned link handed out before, and the manifest's.
type readers struct {
	t        *testing.T
	e        *apptest.Env
	read     string
	day      string
	hour     int
	oldLink  string
	host     string
	tenantID uuid.UUID
}

// contents returns what each reader serves of the hour.
func (r readers) contents() map[string]string {
	t, e := r.t, r.e
	out := map[string]string{}
	zipResp := e.Do(http.MethodGet, apptest.ReportPath(r.day, r.hour, true), r.read, nil)
	out["route zip"] = string(apptest.Unzip(t, apptest.Read(t, zipResp), document.NewHour(yesterday(), r.hour).EntryName()))
	out["route json"] = string(apptest.Read(t, e.Do(http.MethodGet, apptest.ReportPath(r.day, r.hour, false), r.read, nil)))
	var data struct{ HourlyReport struct{ Data any } }
	e.MustGraphQL(t, r.read, `query($d: Date!, $h: Int!) { hourlyReport(utcDay: $d, utcHour: $h) { data } }`,
		map[string]any{"d": r.day, "h": r.hour}, &data)
	out["graphql data"] = toJSON(t, data.HourlyReport.Data)
	out["link handed out before"] = string(apptest.Unzip(t, download(t, r.oldLink), document.NewHour(yesterday(), r.hour).EntryName()))
	m := getManifest(t, e, r.read, manifestPath(r.day, ""))
	if h := m.Hours[r.hour]; h.Status != "STORED" || h.DownloadUrl == nil || *h.Sha256 != zipResp.Header.Get("X-Report-Sha256") {
		t.Fatalf("manifest hour %d: %+v, route sha256 %s", r.hour, h, zipResp.Header.Get("X-Report-Sha256"))
	} else {
		out["manifest link"] = string(apptest.Unzip(t, download(t, *h.DownloadUrl), document.NewHour(yesterday(), r.hour).EntryName()))
	}
	return out
}

// versions returns the contents of every stored version of the hour's object.
func (r readers) versions(bucket string) []string {
	t := r.t
	c := r.e.MinIO.Client(t)
	key := document.ObjectKey(r.tenantID, document.NewHour(yesterday(), r.hour))
	var out []string
	for oi := range c.ListObjects(context.Background(), bucket, minio.ListObjectsOptions{Prefix: key, WithVersions: true}) {
		if oi.Err != nil {
			t.Fatal(oi.Err)
		}
		if oi.IsDeleteMarker {
			out = append(out, "(delete marker)")
			continue
		}
		o, err := c.GetObject(context.Background(), bucket, key, minio.GetObjectOptions{VersionID: oi.VersionID})
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(o)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(apptest.Unzip(t, b, document.NewHour(yesterday(), r.hour).EntryName())))
	}
	return out
}

// Erasing a conversation removes it from everything that serves its hour
// by the time DELETE answers 204, in a bucket that keeps versions: the
// route, GraphQL's data, a presigned link handed out before, the manifest,
// and every stored version of the object (only the rebuilt one is left). The
// erasure is audited without content, a later rebuild does not bring it
// back, and the same Id ingested again is a new conversation.
func TestErasureRemovesTheConversationEverywhere(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	bucket := e.App.Config.S3Bucket
	if err := e.MinIO.Client(t).EnableVersioning(context.Background(), bucket); err != nil {
		t.Fatal(err)
	}
	tenant := e.Tenant("acme", true, 1)
	write, read := e.Token(tenant, viewer.ScopeConversationsWrite), e.Token(tenant, viewer.ScopeReportsRead)
	day := yesterday().Format("2006-01-02")
	secretText := "my card number is 4111"
	gone := apptest.NewConv("c-gone", inHour(4, 2))
	gone.Messages[0].Text = secretText
	e.Ingest(write, []apptest.Conv{apptest.NewConv("c-keep", inHour(4, 1)), gone, apptest.NewConv("c-other", inHour(6, 1))})
	apptest.Read(t, e.Do(http.MethodGet, apptest.ReportPath(day, 4, true), read, nil))
	e.Ingest(write, []apptest.Conv{apptest.NewConv("c-keep", inHour(4, 1))}) // a second version of the object
	apptest.Read(t, e.Do(http.MethodGet, apptest.ReportPath(day, 4, true), read, nil))
	var link struct {
		HourlyReport struct{ DownloadUrl struct{ Url string } }
	}
	e.MustGraphQL(t, read, `query($d: Date!) { hourlyReport(utcDay: $d, utcHour: 4) { downloadUrl(ttlSeconds: 600) { url } } }`,
		map[string]any{"d": day}, &link)
	r := readers{t: t, e: e, read: read, day: day, hour: 4, oldLink: link.HourlyReport.DownloadUrl.Url, tenantID: tenant}
	for name, c := range r.contents() {
		if !strings.Contains(c, secretText) {
			t.Fatalf("before: %s does not hold the conversation", name)
		}
	}
	if v := r.versions(bucket); len(v) != 2 {
		t.Fatalf("before: %d versions, want 2", len(v))
	}

	resp := e.Do(http.MethodDelete, erasePath("c-gone"), write, nil)
	if b := apptest.Read(t, resp); resp.StatusCode != http.StatusNoContent || len(b) != 0 {
		t.Fatalf("DELETE: %d %s", resp.StatusCode, b)
	}
	check := func(when string) {
		for name, c := range r.contents() {
			if strings.Contains(c, secretText) || strings.Contains(c, "c-gone") || !strings.Contains(c, "c-keep") {
				t.Errorf("%s: %s still serves the conversation (or lost the other)", when, name)
			}
		}
		for i, v := range r.versions(bucket) {
			if strings.Contains(v, "c-gone") {
				t.Errorf("%s: object version %d holds the conversation", when, i)
			}
		}
	}
	check("after the erasure")
	if v := r.versions(bucket); len(v) != 1 {
		t.Errorf("after the erasure: %d versions, want the rebuilt one only", len(v))
	}
	src := e.Do(http.MethodHead, apptest.ReportPath(day, 4, true), read, nil)
	if apptest.Read(t, src); src.Header.Get("X-Report-Source") != "stored" || src.Header.Get("X-Report-Conversation-Count") != "1" {
		t.Errorf("after the erasure the hour is %s with %s conversations, want stored with 1",
			src.Header.Get("X-Report-Source"), src.Header.Get("X-Report-Conversation-Count"))
	}
	ref := store.ChunkRef{TenantID: tenant, Hour: document.NewHour(yesterday(), 4)}
	if _, err := e.App.Builder().BuildAndStore(apptest.System(), ref, "job", reports.StoreOptions{Overwrite: true}); err != nil {
		t.Fatal(err)
	}
	check("after a later rebuild")

	rows := e.SQL(`SELECT conversation_id || ' ' || actor || ' ' || tenant_id || ' ' || day || ' ' || hour || ' ' || (done_at IS NOT NULL) FROM erasures`)
	if want := "c-gone test " + tenant.String() + " " + day + " 4 true"; len(rows) != 1 || rows[0] != want {
		t.Errorf("erasure log %q, want %q", rows, want)
	}
	if cols := e.SQL(`SELECT column_name FROM information_schema.columns WHERE table_name = 'erasures' ORDER BY column_name`); strings.Join(cols, ",") != "actor,at,conversation_id,day,done_at,hour,id,tenant_id" {
		t.Errorf("erasure log columns %v", cols)
	}
	var audit struct {
		Tenant struct {
			Erasures []struct {
				ConversationID, Actor, UtcDay string
				UtcHour                       int
				At                            time.Time
				FinishedAt                    *time.Time
			} `json:"erasures"`
		}
	}
	e.MustGraphQL(t, e.Token(uuid.Nil, viewer.ScopeHostAdmin), `query($id: ID!) { tenant(id: $id) { erasures { conversationId actor utcDay utcHour at finishedAt } } }`,
		map[string]any{"id": tenant}, &audit)
	if a := audit.Tenant.Erasures; len(a) != 1 || a[0].ConversationID != "c-gone" || a[0].Actor != "test" || a[0].UtcDay != day ||
		a[0].UtcHour != 4 || a[0].FinishedAt == nil || time.Since(a[0].At) > time.Minute {
		t.Errorf("erasures in GraphQL: %+v", a)
	}
	if errs := e.GraphQL(read, `query($id: ID!) { tenant(id: $id) { erasures { conversationId } } }`, map[string]any{"id": tenant}, nil); len(errs) != 1 || errs[0].Extensions.Code != "FORBIDDEN" {
		t.Errorf("erasures read by the tenant: %+v", errs)
	}
	wantProblem(t, e.Do(http.MethodDelete, erasePath("c-gone"), write, nil), 404)

	e.Ingest(write, []apptest.Conv{apptest.NewConv("c-gone", inHour(4, 3))})
	doc := apptest.DecodeDoc(t, apptest.Read(t, e.Do(http.MethodGet, apptest.ReportPath(day, 4, false), read, nil)))
	if doc.ConversationCount != 2 || doc.Conversations[1].Id != "c-gone" || strings.Contains(toJSON(t, doc), secretText) {
		t.Errorf("ingested again: %+v", doc.Conversations)
	}
	if n := testutil.ToFloat64(e.App.Webhooks.Metrics.Erasures); n != 1 {
		t.Errorf("erasures metric %v, want 1", n)
	}
}

// Who may erase what: a tenant's writer its own conversations only, a host
// administrator any tenant's by naming it; GraphQL's eraseConversations is
// for host administrators and counts what it did.
func TestErasureIsScopedToTheTenant(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	a, b := e.Tenant("a", true, 1), e.Tenant("b", false, 1)
	wa, wb := e.Token(a, viewer.ScopeConversationsWrite), e.Token(b, viewer.ScopeConversationsWrite)
	host := e.Token(uuid.Nil, viewer.ScopeHostAdmin)
	e.Ingest(wa, []apptest.Conv{apptest.NewConv("x", inHour(2, 0)), apptest.NewConv("y", inHour(2, 1)), apptest.NewConv("z", inHour(3, 0))})
	e.Ingest(wb, []apptest.Conv{apptest.NewConv("b/1", inHour(2, 0))})
	apptest.Read(t, e.Do(http.MethodGet, apptest.ReportPath(yesterday().Format("2006-01-02"), 2, true), e.Token(a, viewer.ScopeReportsRead), nil))

	wantProblem(t, e.Do(http.MethodDelete, erasePath("x"), wb, nil), 404)
	wantProblem(t, e.Do(http.MethodDelete, erasePath("x"), e.Token(a, viewer.ScopeReportsRead), nil), 403)
	wantProblem(t, e.Do(http.MethodDelete, erasePath("x"), "", nil), 401)
	wantProblem(t, e.Do(http.MethodDelete, erasePath("x"), host, nil), 400)
	wantProblem(t, e.Do(http.MethodDelete, erasePath("x"), host, nil, "X-Tenant-Id", uuid.NewString()), 404)
	wantProblem(t, e.Do(http.MethodDelete, erasePath("x"), wa, nil, "X-Tenant-Id", b.String()), 404)
	wantProblem(t, e.Do(http.MethodDelete, erasePath(strings.Repeat("i", 257)), wa, nil), 400)
	if resp := e.Do(http.MethodDelete, erasePath("b/1"), wb, nil); resp.StatusCode != 204 { // disabled tenants may erase
		t.Errorf("tenant b erasing b/1: %d %s", resp.StatusCode, apptest.Read(t, resp))
	}
	if resp := e.Do(http.MethodDelete, erasePath("z"), host, nil, "X-Tenant-Id", a.String()); resp.StatusCode != 204 {
		t.Errorf("host erasing z: %d %s", resp.StatusCode, apptest.Read(t, resp))
	}

	const erase = `mutation($in: EraseConversationsInput!) { eraseConversations(input: $in) { erased hoursRebuilt } }`
	var out struct {
		EraseConversations struct{ Erased, HoursRebuilt int }
	}
	e.MustGraphQL(t, host, erase, map[string]any{"in": map[string]any{"tenantId": a, "ids": []string{"x", "y", "nope"}}}, &out)
	if out.EraseConversations.Erased != 2 || out.EraseConversations.HoursRebuilt != 1 {
		t.Errorf("eraseConversations: %+v, want 2 erased, 1 hour rebuilt", out.EraseConversations)
	}
	for _, c := range []struct {
		token string
		in    map[string]any
		code  string
	}{
		{wa, map[string]any{"tenantId": a, "ids": []string{"x"}}, "FORBIDDEN"},
		{host, map[string]any{"tenantId": uuid.New(), "ids": []string{"x"}}, "NOT_FOUND"},
		{host, map[string]any{"tenantId": a, "ids": []string{}}, "BAD_USER_INPUT"},
		{host, map[string]any{"tenantId": a, "ids": make([]string, 1001)}, "BAD_USER_INPUT"},
	} {
		if errs := e.GraphQL(c.token, erase, map[string]any{"in": c.in}, nil); len(errs) != 1 || errs[0].Extensions.Code != c.code {
			t.Errorf("eraseConversations %v: %+v, want %s", c.in["tenantId"], errs, c.code)
		}
	}
	if rows := e.SQL(`SELECT count(*) FROM conversations`); rows[0] != "0" {
		t.Errorf("%s conversations left", rows[0])
	}
}

func toJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
