package rest_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/lib/pq"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/testenv"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// readiness fetches /readyz: its status, Retry-After and checks by name.
func readiness(t *testing.T, e *apptest.Env) (int, string, map[string]string) {
	t.Helper()
	resp := e.Do(http.MethodGet, "/readyz", "", nil)
	body := apptest.Read(t, resp)
	var checks map[string]string
	if err := json.Unmarshal(body, &checks); err != nil {
		t.Fatalf("/readyz body %s: %v", body, err)
	}
	return resp.StatusCode, resp.Header.Get("Retry-After"), checks
}

// waitReady polls /readyz until it answers 200.
func waitReady(t *testing.T, e *apptest.Env) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		status, _, checks := readiness(t, e)
		if status == 200 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz still %d %v", status, checks)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// /healthz answers while the process lives; /readyz follows its dependencies:
// 503 with Retry-After while object storage is down, 200 again once it is
// back, without restarting the service.
func TestHealthAndReadiness(t *testing.T) {
	m := testenv.StartMinIO(t)
	e := apptest.New(t, apptest.Options{MinIO: m})
	healthy := func() {
		t.Helper()
		resp := e.Do(http.MethodGet, "/healthz", "", nil)
		if b := apptest.Read(t, resp); resp.StatusCode != 200 || strings.TrimSpace(string(b)) != `{"status":"ok"}` {
			t.Fatalf("/healthz: %d %s", resp.StatusCode, b)
		}
	}
	healthy()
	allOK := map[string]string{"database": "ok", "redis": "ok", "storage": "ok"}
	if status, _, checks := readiness(t, e); status != 200 || !equalMaps(checks, allOK) {
		t.Fatalf("/readyz with everything up: %d %v", status, checks)
	}

	m.Stop(t)
	status, retry, checks := readiness(t, e)
	if status != 503 || retry == "" || checks["storage"] == "ok" || checks["database"] != "ok" || checks["redis"] != "ok" {
		t.Fatalf("/readyz with storage down: %d Retry-After %q %v", status, retry, checks)
	}
	healthy()

	m.Start(t)
	waitReady(t, e)
	if _, _, checks := readiness(t, e); !equalMaps(checks, allOK) {
		t.Fatalf("/readyz after storage came back: %v", checks)
	}
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

var (
	sampleLine = regexp.MustCompile(`^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$`)
	labelPair  = regexp.MustCompile(`([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"`)
)

// sample returns the value of the sample of name whose labels include
// labels, from a Prometheus text exposition.
func sample(text, name string, labels map[string]string) (float64, bool) {
	for _, line := range strings.Split(text, "\n") {
		m := sampleLine.FindStringSubmatch(line)
		if m == nil || m[1] != name {
			continue
		}
		got := make(map[string]string)
		for _, p := range labelPair.FindAllStringSubmatch(m[2], -1) {
			got[p[1]] = p[2]
		}
		match := true
		for k, v := range labels {
			match = match && got[k] == v
		}
		if v, err := strconv.ParseFloat(m[3], 64); match && err == nil {
			return v, true
		}
	}
	return 0, false
}

// /metrics exposes HTTP requests by route pattern (never by raw path) and
// the chunks built, in the Prometheus text format.
func TestMetricsExposed(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	tenant := e.Tenant("acme", true, 1)
	e.Ingest(e.Token(tenant, viewer.ScopeConversationsWrite), []apptest.Conv{apptest.NewConv("a", inHour(8, 0))})
	resp := e.Do(http.MethodGet, apptest.ReportPath(yesterday().Format("2006-01-02"), 8, true), e.Token(tenant, viewer.ScopeReportsRead), nil)
	if apptest.Read(t, resp); resp.StatusCode != 200 {
		t.Fatalf("report: status %d", resp.StatusCode)
	}
	apptest.Read(t, e.Do(http.MethodGet, "/no/such/route/"+uuid.NewString(), "", nil))

	resp = e.Do(http.MethodGet, "/metrics", "", nil)
	text := string(apptest.Read(t, resp))
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("/metrics: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	want := []struct {
		name   string
		labels map[string]string
		value  float64
	}{
		{"dailyreports_http_requests_total", map[string]string{
			"route": "GET /api/external/conversations/daily-report/{utcDay}/{utcHour}", "method": "GET", "status": "200"}, 1},
		{"dailyreports_http_requests_total", map[string]string{
			"route": "POST /api/external/conversations", "method": "POST", "status": "200"}, 1},
		{"dailyreports_http_requests_total", map[string]string{"route": "unmatched", "method": "GET", "status": "404"}, 1},
		{"dailyreports_chunks_built_total", map[string]string{"source": "live"}, 1},
		{"dailyreports_live_builds_in_flight", nil, 0},
	}
	for _, w := range want {
		if v, ok := sample(text, w.name, w.labels); !ok || v != w.value {
			t.Errorf("%s%v = %v (found %t), want %v", w.name, w.labels, v, ok, w.value)
		}
	}
	if strings.Contains(text, "/no/such/route") {
		t.Error("a raw request path became a metric label")
	}
}

// Every response carries an X-Request-Id: a plain client-provided one is
// echoed, anything else is replaced by a fresh id.
func TestRequestIDs(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	day := yesterday().Format("2006-01-02")
	valid := regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)
	requests := []struct{ method, path string }{
		{"GET", "/healthz"}, {"GET", "/readyz"}, {"GET", "/metrics"},
		{"GET", apptest.ReportPath(day, 1, true)}, // 401
		{"GET", apptest.ReportPath("2025-13-01", 1, true)},
		{"POST", ingestPath}, {"GET", ingestPath}, {"GET", "/no/such/route"},
	}
	seen := make(map[string]bool)
	for _, r := range requests {
		resp := e.Do(r.method, r.path, "", nil)
		apptest.Read(t, resp)
		id := resp.Header.Get("X-Request-Id")
		if !valid.MatchString(id) || seen[id] {
			t.Errorf("%s %s (%d): X-Request-Id %q missing, malformed or reused", r.method, r.path, resp.StatusCode, id)
		}
		seen[id] = true

		resp = e.Do(r.method, r.path, "", nil, "X-Request-Id", "client-req.42_A")
		if apptest.Read(t, resp); resp.Header.Get("X-Request-Id") != "client-req.42_A" {
			t.Errorf("%s %s: client id answered as %q", r.method, r.path, resp.Header.Get("X-Request-Id"))
		}
	}
	for _, bad := range []string{"has space", "a/b", "new\tline", strings.Repeat("x", 65)} {
		resp := e.Do(http.MethodGet, "/healthz", "", nil, "X-Request-Id", bad)
		apptest.Read(t, resp)
		if id := resp.Header.Get("X-Request-Id"); id == bad || !valid.MatchString(id) {
			t.Errorf("client id %q answered as %q", bad, id)
		}
	}
}

// adminExec runs one statement on the PostgreSQL server as the superuser.
func adminExec(t *testing.T, stmt string, args ...any) error {
	t.Helper()
	db, err := sql.Open("postgres", testenv.PostgresURL())
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err = db.ExecContext(ctx, stmt, args...)
	return err
}

// unprivilegedDatabase returns the URL and name of a fresh database owned by
// a role of its own. The service must connect as such a role for CONNECTION
// LIMIT to lock it out: PostgreSQL exempts superusers, which the other tests
// connect as.
func unprivilegedDatabase(t *testing.T) (string, string) {
	t.Helper()
	role := "t_ops_" + strings.ReplaceAll(uuid.NewString(), "-", "")[:12]
	if err := adminExec(t, "CREATE ROLE "+role+" LOGIN"); err != nil {
		t.Fatalf("create role: %v", err)
	}
	// Registered before the database, so it runs after the database is dropped.
	t.Cleanup(func() {
		if err := adminExec(t, "DROP ROLE IF EXISTS "+role); err != nil {
			t.Errorf("drop role: %v", err)
		}
	})
	u, err := url.Parse(testenv.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	name := strings.TrimPrefix(u.Path, "/")
	if err := adminExec(t, "ALTER DATABASE "+pq.QuoteIdentifier(name)+" OWNER TO "+role); err != nil {
		t.Fatalf("give database: %v", err)
	}
	u.User = url.User(role)
	return u.String(), name
}

// cutDatabase makes database name unreachable for non-superusers: no new
// connections, and every open one terminated. restore lifts it.
func cutDatabase(t *testing.T, name string) (restore func()) {
	t.Helper()
	restore = func() {
		if err := adminExec(t, "ALTER DATABASE "+pq.QuoteIdentifier(name)+" CONNECTION LIMIT -1"); err != nil {
			t.Errorf("restore database: %v", err)
		}
	}
	t.Cleanup(restore)
	err := adminExec(t, "ALTER DATABASE "+pq.QuoteIdentifier(name)+" CONNECTION LIMIT 0")
	if err == nil {
		err = adminExec(t, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", name)
	}
	if err != nil {
		t.Fatalf("cut database: %v", err)
	}
	return restore
}

// want503 checks a 503 problem with Retry-After.
func want503(t *testing.T, what string, resp *http.Response) {
	t.Helper()
	t.Logf("%s: %s", what, wantProblem(t, resp, http.StatusServiceUnavailable).Detail)
	if resp.Header.Get("Retry-After") == "" {
		t.Errorf("%s: 503 without Retry-After", what)
	}
}

// With storage unreachable reports are built live; with the database
// unreachable a stored report is still served from storage, and an hour never
// built answers 503; with both down the route answers 503. Everything
// recovers without a restart.
func TestFetchWhenDependenciesDown(t *testing.T) {
	m := testenv.StartMinIO(t)
	dbURL, dbName := unprivilegedDatabase(t)
	e := apptest.New(t, apptest.Options{MinIO: m, Env: map[string]string{"DATABASE_URL": dbURL}})
	tenant := e.Tenant("acme", true, 1)
	e.Ingest(e.Token(tenant, viewer.ScopeConversationsWrite), []apptest.Conv{
		apptest.NewConv("a", inHour(6, 0)), apptest.NewConv("b", inHour(7, 0)), apptest.NewConv("c", inHour(8, 0)),
	})
	read := e.Token(tenant, viewer.ScopeReportsRead)
	day := yesterday().Format("2006-01-02")
	stored, never, unstored := apptest.ReportPath(day, 6, true), apptest.ReportPath(day, 7, true), apptest.ReportPath(day, 8, true)
	fetch := func(path, source string) []byte {
		t.Helper()
		resp := e.Do(http.MethodGet, path, read, nil)
		body := apptest.Read(t, resp)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: status %d: %s", path, resp.StatusCode, body)
		}
		if got := resp.Header.Get("X-Report-Source"); got != source {
			t.Fatalf("%s: source %q, want %s", path, got, source)
		}
		return body
	}
	fetch(stored, "live")
	zipBytes := fetch(stored, "stored")

	// Storage alone down: reports are still served, built live from the
	// database (or, for a stored one, from a copy of exactly its bytes).
	m.Stop(t)
	fetch(unstored, "live")
	resp := e.Do(http.MethodGet, stored, read, nil)
	if b := apptest.Read(t, resp); resp.StatusCode != 200 ||
		resp.Header.Get("X-Report-Source") == "stored" && string(b) != string(zipBytes) {
		t.Fatalf("stored hour with storage down: status %d source %q", resp.StatusCode, resp.Header.Get("X-Report-Source"))
	}
	m.Start(t)

	restore := cutDatabase(t, dbName)
	if b := fetch(stored, "stored"); string(b) != string(zipBytes) {
		t.Fatal("stored report served with the database down differs")
	}
	doc := hourDoc(t, e, read, 6)
	if doc.ConversationCount != 1 || doc.Conversations[0].Id != "a" {
		t.Fatalf("JSON form with the database down: %+v", doc)
	}
	want503(t, "never built, database down", e.Do(http.MethodGet, never, read, nil))
	if status, _, checks := readiness(t, e); status != 503 || checks["database"] == "ok" {
		t.Errorf("/readyz with the database down: %d %v", status, checks)
	}

	m.Stop(t)
	want503(t, "stored, storage and database down", e.Do(http.MethodGet, stored, read, nil))

	m.Start(t)
	restore()
	waitReady(t, e)
	fetch(never, "live")
	if b := fetch(stored, "stored"); string(b) != string(zipBytes) {
		t.Fatal("stored report differs after recovery")
	}
}

// Every 503 of the fetch route tells clients when to retry: also the one for
// a tenant whose settings this process has not read yet, asked for while the
// database is down (storage up).
func TestUnavailableDatabaseAnswersRetryAfter(t *testing.T) {
	dbURL, dbName := unprivilegedDatabase(t)
	e := apptest.New(t, apptest.Options{Env: map[string]string{"DATABASE_URL": dbURL}})
	tenant := e.Tenant("acme", true, 1)
	read := e.Token(tenant, viewer.ScopeReportsRead)
	cutDatabase(t, dbName)
	want503(t, "uncached tenant, database down", e.Do(http.MethodGet, apptest.ReportPath(yesterday().Format("2006-01-02"), 2, true), read, nil))
}
