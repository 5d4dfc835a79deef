package rest_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// manifest is the day's manifest as a client decodes it.
type manifest struct {
	TenantId        string
	UtcDay          string
	RetentionMonths int
	ExpiresAt       time.Time
	Hours           []struct {
		UtcHour                         int
		Status                          string
		ConversationCount, MessageCount *int
		SizeBytes                       *int
		Sha256                          *string
		GeneratedAt                     *time.Time
		DownloadUrl                     *string
		DownloadUrlExpiresAt            *time.Time
	}
}

func manifestPath(day, query string) string {
	p := "/api/external/conversations/daily-report/" + day
	if query != "" {
		p += "?" + query
	}
	return p
}

func getManifest(t *testing.T, e *apptest.Env, token, path string, headers ...string) manifest {
	t.Helper()
	resp := e.Do(http.MethodGet, path, token, nil, headers...)
	body := apptest.Read(t, resp)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("manifest: %d %s", resp.StatusCode, body)
	}
	var m manifest
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// download GETs a presigned link and returns the body.
func download(t *testing.T, url string) []byte {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	b := apptest.Read(t, resp)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("download: %d %s", resp.StatusCode, b)
	}
	return b
}

// One call describes the day as 24 calls of the hour route would, without
// building anything: the same statuses as GraphQL's dailyReport, and for
// STORED hours the route's sha256 and a presigned link to the same bytes.
func TestManifestAgreesWithTheHourRoute(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	tenant := e.Tenant("acme", true, 1)
	write, read := e.Token(tenant, viewer.ScopeConversationsWrite), e.Token(tenant, viewer.ScopeReportsRead)
	day := yesterday().Format("2006-01-02")
	e.Ingest(write, []apptest.Conv{apptest.NewConv("a", inHour(3, 1)), apptest.NewConv("b", inHour(7, 1)), apptest.NewConv("c", inHour(9, 1))})
	for _, h := range []int{3, 7} {
		apptest.Read(t, e.Do(http.MethodGet, apptest.ReportPath(day, h, true), read, nil))
	}
	e.Ingest(write, []apptest.Conv{apptest.NewConv("d", inHour(7, 2))}) // hour 7 stale
	e.SQL(`UPDATE report_chunks SET status = 'failed', last_error = 'x' WHERE hour = 9`)
	built := e.Built("live")

	m := getManifest(t, e, read, manifestPath(day, "ttlSeconds=120"))
	if m.TenantId != tenant.String() || m.UtcDay != day || m.RetentionMonths != 1 || len(m.Hours) != 24 {
		t.Fatalf("manifest %+v", m)
	}
	if want := yesterday().AddDate(0, 1, 1); !m.ExpiresAt.Equal(want) {
		t.Errorf("ExpiresAt %s, want %s", m.ExpiresAt, want)
	}
	var daily struct {
		DailyReport struct{ Hours []struct{ Status string } }
	}
	e.MustGraphQL(t, read, `query($d: Date!) { dailyReport(utcDay: $d) { hours { status } } }`, map[string]any{"d": day}, &daily)
	for i, h := range m.Hours {
		if h.UtcHour != i || h.Status != daily.DailyReport.Hours[i].Status {
			t.Errorf("hour %d: %d %s, GraphQL says %s", i, h.UtcHour, h.Status, daily.DailyReport.Hours[i].Status)
		}
		if stored := h.Status == "STORED"; stored != (h.DownloadUrl != nil) || stored != (h.Sha256 != nil) || stored != (h.SizeBytes != nil) {
			t.Errorf("hour %d (%s): link %v sha %v size %v", i, h.Status, h.DownloadUrl, h.Sha256, h.SizeBytes)
		}
	}
	for h, want := range map[int]string{3: "STORED", 7: "STALE", 9: "FAILED", 12: "MISSING"} {
		if m.Hours[h].Status != want {
			t.Errorf("hour %d: %s, want %s", h, m.Hours[h].Status, want)
		}
	}
	if e.Built("live") != built {
		t.Error("the manifest built reports")
	}
	h3 := m.Hours[3]
	if until := time.Until(*h3.DownloadUrlExpiresAt); until < 100*time.Second || until > 121*time.Second {
		t.Errorf("link valid for %s, want 120s", until)
	}
	zipBytes := download(t, *h3.DownloadUrl)
	sum := sha256.Sum256(zipBytes)
	resp := e.Do(http.MethodHead, apptest.ReportPath(day, 3, true), read, nil)
	apptest.Read(t, resp)
	if hex.EncodeToString(sum[:]) != *h3.Sha256 || resp.Header.Get("X-Report-Sha256") != *h3.Sha256 ||
		len(zipBytes) != *h3.SizeBytes || resp.Header.Get("X-Report-Conversation-Count") != "1" || *h3.ConversationCount != 1 {
		t.Errorf("hour 3: manifest %s (%d bytes), link %x (%d bytes), route %s", *h3.Sha256, *h3.SizeBytes, sum, len(zipBytes), resp.Header.Get("X-Report-Sha256"))
	}
	head := e.Do(http.MethodHead, manifestPath(day, ""), read, nil)
	if b := apptest.Read(t, head); head.StatusCode != 200 || len(b) != 0 {
		t.Errorf("HEAD: %d, %d bytes", head.StatusCode, len(b))
	}
	host := e.Token(uuid.Nil, viewer.ScopeHostAdmin)
	if hm := getManifest(t, e, host, manifestPath(day, ""), "X-Tenant-Id", tenant.String()); hm.Hours[3].Status != "STORED" {
		t.Errorf("host manifest hour 3: %s", hm.Hours[3].Status)
	}
}

// The manifest answers the statuses of the hour route.
func TestManifestStatusCodes(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	on, off, other := e.Tenant("on", true, 1), e.Tenant("off", false, 1), e.Tenant("other", true, 1)
	read := e.Token(on, viewer.ScopeReportsRead)
	host := e.Token(uuid.Nil, viewer.ScopeHostAdmin)
	day := yesterday().Format("2006-01-02")
	tomorrow := time.Now().UTC().AddDate(0, 0, 1).Format("2006-01-02")
	today := getManifest(t, e, read, manifestPath(time.Now().UTC().Format("2006-01-02"), ""))
	if today.Hours[23].Status != "NOT_READY" {
		t.Errorf("today's last hour: %s", today.Hours[23].Status)
	}
	for _, c := range []struct {
		path, token string
		headers     []string
		status      int
	}{
		{manifestPath("2025-13-01", ""), read, nil, 400},
		{manifestPath("20250422", ""), read, nil, 400},
		{manifestPath(day, "ttlSeconds=0"), read, nil, 400},
		{manifestPath(day, "ttlSeconds=x"), read, nil, 400},
		{manifestPath(tomorrow, ""), read, nil, 400},
		{manifestPath(day, ""), host, nil, 400},
		{manifestPath(day, ""), "", nil, 401},
		{manifestPath(day, ""), read + "x", nil, 401},
		{manifestPath(day, ""), e.Token(on, viewer.ScopeConversationsWrite), nil, 403},
		{manifestPath(day, ""), e.Token(off, viewer.ScopeReportsRead), nil, 403},
		{manifestPath(day, ""), host, []string{"X-Tenant-Id", uuid.NewString()}, 404},
		{manifestPath(day, ""), read, []string{"X-Tenant-Id", other.String()}, 404},
		{manifestPath(time.Now().UTC().AddDate(0, -2, 0).Format("2006-01-02"), ""), read, nil, 410},
	} {
		wantProblem(t, e.Do(http.MethodGet, c.path, c.token, nil, c.headers...), c.status)
	}
}
