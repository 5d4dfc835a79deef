package rest_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/testenv"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// exemptStatuses are documented statuses no test can provoke.
var exemptStatuses = map[string]string{
	"500": "an internal error: nothing a client sends provokes one",
	"408": "a body slower than the minimum rate needs a 10 s grace to pass; TestSlowBodiesAreCut provokes it through the real server",
}

// Every route answers, for every documented status, what the OpenAPI
// document the service serves says: status, headers and body, validated
// with openapi3filter on real requests to the real service. Requests the
// document calls invalid are the ones the service refuses.
func TestAnswersConformToOpenAPI(t *testing.T) {
	seen := &coverage{}
	var reports *conformance
	t.Run("reports", func(t *testing.T) { reports = conformReports(t, seen) })
	t.Run("ingestion", func(t *testing.T) { conformIngestion(t, seen) })
	t.Run("manifest", func(t *testing.T) { conformManifest(t, seen) })
	t.Run("erasure", func(t *testing.T) { conformErasure(t, seen) })
	t.Run("token", func(t *testing.T) { conformToken(t, seen) })
	t.Run("operations and descriptions", func(t *testing.T) { conformOperations(t, seen) })
	t.Run("rate limit", func(t *testing.T) { conformRateLimit(t, seen) })
	t.Run("dependencies down", func(t *testing.T) { conformDependenciesDown(t, seen) })
	if t.Failed() || reports == nil {
		return
	}
	if missing := uncovered(reports.doc, seen, exemptStatuses); len(missing) > 0 {
		t.Errorf("documented answers no test provoked: %s", strings.Join(missing, ", "))
	}
}

func conformReports(t *testing.T, seen *coverage) *conformance {
	e := apptest.New(t, apptest.Options{})
	k := newConformance(t, e, seen)
	on, off, other := e.Tenant("on", true, 1), e.Tenant("off", false, 1), e.Tenant("other", true, 1)
	e.Ingest(e.Token(on, viewer.ScopeConversationsWrite), richConversations(inHour(15, 0)))
	read := e.Token(on, viewer.ScopeReportsRead)
	host := e.Token(uuid.Nil, viewer.ScopeHostAdmin)
	day := yesterday().Format("2006-01-02")
	future := time.Now().UTC().Add(2 * time.Hour)
	old := time.Now().UTC().AddDate(0, -2, 0).Format("2006-01-02")

	_, zipBody := k.do(t, call{method: "GET", path: reportPath(day, "15", "compressed=true"), token: read, status: 200})
	zipResp, _ := k.do(t, call{method: "GET", path: reportPath(day, "15", "compressed=true"), token: read, status: 200})
	jsonResp, _ := k.do(t, call{method: "GET", path: reportPath(day, "15", "compressed=false"), token: read, status: 200})
	k.do(t, call{method: "GET", path: reportPath(day, "3", ""), token: read, status: 200})
	k.do(t, call{method: "GET", path: reportPath(day, "09", ""), token: read, status: 200})
	k.do(t, call{method: "GET", path: reportPath(day, "15", "compressed=false"), token: host, headers: []string{"X-Tenant-Id", on.String()}, status: 200})
	for _, c := range []string{"true", "false"} {
		k.do(t, call{method: "HEAD", path: reportPath(day, "15", "compressed="+c), token: read, status: 200})
	}
	for _, etag := range []string{zipResp.Header.Get("ETag"), jsonResp.Header.Get("ETag")} {
		compressed := fmt.Sprint(!strings.Contains(etag, `-json`))
		k.do(t, call{method: "GET", path: reportPath(day, "15", "compressed="+compressed), token: read, headers: []string{"If-None-Match", etag}, status: 304})
		// Go's client asks for gzip on GET by itself, not on HEAD: the
		// gzipped document is another representation, with its own ETag.
		head := []string{"If-None-Match", etag}
		if strings.HasSuffix(etag, `-json-gzip"`) {
			head = append(head, "Accept-Encoding", "gzip")
		}
		k.do(t, call{method: "HEAD", path: reportPath(day, "15", "compressed="+compressed), token: read, headers: head, status: 304})
	}
	zipPath := reportPath(day, "15", "compressed=true")
	k.do(t, call{method: "GET", path: zipPath, token: read, headers: []string{"Range", "bytes=10-19"}, status: 206})
	k.do(t, call{method: "GET", path: zipPath, token: read, headers: []string{"Range", "bytes=0-9,20-29"}, status: 206})
	k.do(t, call{method: "GET", path: zipPath, token: read, headers: []string{"Range", fmt.Sprintf("bytes=%d-", len(zipBody)+10)}, status: 416})

	for _, m := range []string{"GET", "HEAD"} {
		for _, c := range []call{
			{path: reportPath("2025-13-01", "1", ""), token: read, request: invalid, status: 400},
			{path: reportPath("20250422", "1", ""), token: read, request: invalid, status: 400},
			{path: reportPath(day, "24", ""), token: read, request: invalid, status: 400},
			{path: reportPath(day, "009", ""), token: read, request: invalid, status: 400},
			{path: reportPath(day, "1", "compressed=yes"), token: read, request: invalid, status: 400},
			{path: reportPath(day, "1", "compressed="), token: read, request: invalid, status: 400},
			{path: reportPath(future.Format("2006-01-02"), fmt.Sprint(future.Hour()), ""), token: read, status: 400},
			{path: reportPath(day, "1", ""), token: host, status: 400},
			{path: reportPath(day, "1", ""), status: 401},
			{path: reportPath(day, "1", ""), token: read + "x", status: 401},
			{path: reportPath(day, "1", "access_token="+read), status: 401},
			{path: reportPath(day, "1", ""), token: e.Token(on, viewer.ScopeConversationsWrite), status: 403},
			{path: reportPath(day, "1", ""), token: e.Token(off, viewer.ScopeReportsRead), status: 403},
			{path: reportPath(day, "1", ""), token: host, headers: []string{"X-Tenant-Id", uuid.NewString()}, status: 404},
			{path: reportPath(day, "1", ""), token: read, headers: []string{"X-Tenant-Id", other.String()}, status: 404},
			{path: reportPath(old, "1", ""), token: read, status: 410},
		} {
			c.method = m
			k.do(t, c)
		}
	}
	return k
}

func conformIngestion(t *testing.T, seen *coverage) {
	e := apptest.New(t, apptest.Options{})
	k := newConformance(t, e, seen)
	tenant := e.Tenant("acme", true, 1)
	write := e.Token(tenant, viewer.ScopeConversationsWrite)
	hostWrite := e.Token(uuid.Nil, viewer.ScopeHostAdmin, viewer.ScopeConversationsWrite)
	js := []string{"Content-Type", "application/json"}
	good, _ := json.Marshal(richConversations(inHour(16, 0)))
	one := jsonArray(t, apptest.NewConv("a", inHour(16, 5)))
	line := string(jsonArray(t, apptest.NewConv("b", inHour(16, 6))))
	line = line[1 : len(line)-1]
	post := func(body []byte, token string, request requestIs, status int, headers ...string) {
		k.do(t, call{method: "POST", path: ingestPath, token: token, body: body, headers: headers, request: request, status: status})
	}
	post(good, write, valid, 200, js...)
	post(ndjson(t, line, line), write, valid, 200, "Content-Type", "application/x-ndjson")
	post(ndjson(t, line), write, valid, 200, "Content-Type", "application/jsonl")
	post(one, hostWrite, valid, 200, "Content-Type", "application/json", "X-Tenant-Id", tenant.String())

	bad := func(field string, value any) []byte {
		c := richConversations(inHour(16, 0))[0]
		c[field] = value
		b, _ := json.Marshal([]any{c})
		return b
	}
	post(bad("Id", ""), write, invalid, 400, js...)
	post(bad("Unknown", 1), write, invalid, 400, js...)
	post(bad("StartedAt", "yesterday"), write, invalid, 400, js...)
	post(bad("Messages", []map[string]any{{"Id": "m", "SentAt": inHour(16, 0).Format(time.RFC3339), "Sender": "robot", "Text": "x"}}), write, invalid, 400, js...)
	post(bad("EndedAt", inHour(15, 0).Format(time.RFC3339)), write, valid, 400, js...) // before StartedAt: only the description says so
	post([]byte("[]"), write, invalid, 400, js...)
	post(one, hostWrite, valid, 400, js...)
	post(one, "", valid, 401, js...)
	post(one, e.Token(tenant, viewer.ScopeReportsRead), valid, 403, js...)
	post(one, e.Token(uuid.Nil, viewer.ScopeHostAdmin), valid, 403, "Content-Type", "application/json", "X-Tenant-Id", tenant.String())
	post(one, hostWrite, valid, 404, "Content-Type", "application/json", "X-Tenant-Id", uuid.NewString())
	post(one, write, invalid, 415, "Content-Type", "text/plain")
	huge := append(append([]byte("["), one[1:len(one)-1]...), []byte(strings.Repeat(" ", 32<<20)+"]")...)
	post(huge, write, unchecked, 413, js...)
}

func conformToken(t *testing.T, seen *coverage) {
	e := apptest.New(t, apptest.Options{})
	k := newConformance(t, e, seen)
	tenant := e.Tenant("acme", true, 1)
	client := createClient(t, e, tenant, viewer.ScopeReportsRead)
	basic := func(id, secret string) string {
		return "Basic " + basicCredentials(id, secret)
	}
	form := []string{"Content-Type", "application/x-www-form-urlencoded"}
	token := func(body string, request requestIs, status int, headers ...string) {
		k.do(t, call{method: "POST", path: "/connect/token", body: []byte(body), headers: append(append([]string{}, form...), headers...), request: request, status: status})
	}
	token("grant_type=client_credentials", valid, 200, "Authorization", basic(client.ClientID, client.ClientSecret))
	token("grant_type=client_credentials&scope=dataservice_external&client_id="+client.ClientID+"&client_secret="+url.QueryEscape(client.ClientSecret), valid, 200)
	token("grant_type=client_credentials&scope=host_admin", valid, 400, "Authorization", basic(client.ClientID, client.ClientSecret))
	token("grant_type=password", invalid, 400, "Authorization", basic(client.ClientID, client.ClientSecret))
	token("scope=dataservice_external", invalid, 400, "Authorization", basic(client.ClientID, client.ClientSecret))
	token("grant_type=client_credentials&client_secret=x", valid, 400, "Authorization", basic(client.ClientID, client.ClientSecret))
	token("grant_type=client_credentials", valid, 401, "Authorization", basic(client.ClientID, "wrong"))
	token("grant_type=client_credentials", valid, 401)
	// Failed authentications of one client are throttled: after ten in a row
	// even the right secret is refused before it is checked.
	guessed := createClient(t, e, tenant, viewer.ScopeReportsRead)
	for range 10 {
		token("grant_type=client_credentials", valid, 401, "Authorization", basic(guessed.ClientID, "guess"))
	}
	token("grant_type=client_credentials", valid, 429, "Authorization", basic(guessed.ClientID, guessed.ClientSecret))
}

func conformOperations(t *testing.T, seen *coverage) {
	e := apptest.New(t, apptest.Options{})
	k := newConformance(t, e, seen)
	for _, path := range []string{"/healthz", "/readyz", "/metrics"} {
		k.do(t, call{method: "GET", path: path, status: 200})
	}
	for _, path := range []string{"/openapi.json", "/schemas/report-v1.json", "/.well-known/oauth-authorization-server"} {
		resp, _ := k.do(t, call{method: "GET", path: path, status: 200})
		k.do(t, call{method: "GET", path: path, headers: []string{"If-None-Match", resp.Header.Get("ETag")}, status: 304})
	}
}

func conformRateLimit(t *testing.T, seen *coverage) {
	e := apptest.New(t, apptest.Options{Env: map[string]string{"RATE_LIMIT": "0.001", "RATE_LIMIT_BURST": "1"}})
	k := newConformance(t, e, seen)
	tenant := e.Tenant("acme", true, 1)
	day := yesterday().Format("2006-01-02")
	// Each principal (tenant and subject) has a budget of one request.
	principal := func(subject, scope string) string {
		tok, _, err := e.App.Signer.Issue(subject, tenant, []string{scope}, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	for _, m := range []string{"GET", "HEAD"} {
		read := principal("reader-"+m, viewer.ScopeReportsRead)
		k.do(t, call{method: m, path: reportPath(day, "1", ""), token: read, status: 200})
		k.do(t, call{method: m, path: reportPath(day, "1", ""), token: read, status: 429})
		k.do(t, call{method: m, path: manifestPath(day, ""), token: read, status: 429})
	}
	write := principal("writer", viewer.ScopeConversationsWrite)
	body := jsonArray(t, apptest.NewConv("a", inHour(1, 0)))
	k.do(t, call{method: "POST", path: ingestPath, token: write, body: body, headers: []string{"Content-Type", "application/json"}, status: 200})
	k.do(t, call{method: "POST", path: ingestPath, token: write, body: body, headers: []string{"Content-Type", "application/json"}, status: 429})
	k.do(t, call{method: "DELETE", path: erasePath("a"), token: write, status: 429})
}

// With the database and object storage down, every route that needs them
// answers 503 as documented.
func conformDependenciesDown(t *testing.T, seen *coverage) {
	m := testenv.StartMinIO(t)
	dbURL, dbName := unprivilegedDatabase(t)
	e := apptest.New(t, apptest.Options{MinIO: m, Env: map[string]string{"DATABASE_URL": dbURL}})
	k := newConformance(t, e, seen)
	tenant := e.Tenant("acme", true, 1)
	client := createClient(t, e, tenant, viewer.ScopeReportsRead)
	read, write := e.Token(tenant, viewer.ScopeReportsRead), e.Token(tenant, viewer.ScopeConversationsWrite)
	day := yesterday().Format("2006-01-02")
	cutDatabase(t, dbName)
	m.Stop(t)
	k.do(t, call{method: "GET", path: "/readyz", status: 503})
	for _, method := range []string{"GET", "HEAD"} {
		k.do(t, call{method: method, path: reportPath(day, "2", "compressed=true"), token: read, status: 503})
		k.do(t, call{method: method, path: manifestPath(day, ""), token: read, status: 503})
	}
	k.do(t, call{method: "DELETE", path: erasePath("a"), token: write, status: 503})
	k.do(t, call{method: "POST", path: ingestPath, token: write, body: jsonArray(t, apptest.NewConv("a", inHour(2, 0))),
		headers: []string{"Content-Type", "application/json"}, status: 503})
	k.do(t, call{method: "POST", path: "/connect/token", body: []byte("grant_type=client_credentials"),
		headers: []string{"Content-Type", "application/x-www-form-urlencoded", "Authorization", "Basic " + basicCredentials(client.ClientID, client.ClientSecret)}, status: 503})
}
