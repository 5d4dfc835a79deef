package rest_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// yesterday is a day inside every retention window whose hours have ended.
func yesterday() time.Time {
	return time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -1)
}

type problem struct {
	Type   string
	Title  string
	Status int
	Detail string
}

func wantProblem(t *testing.T, resp *http.Response, status int) problem {
	t.Helper()
	body := apptest.Read(t, resp)
	if resp.StatusCode != status {
		t.Fatalf("status %d, want %d: %s", resp.StatusCode, status, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type %q, want application/problem+json", ct)
	}
	var p problem
	if err := json.Unmarshal(body, &p); err != nil || p.Status != status || p.Title == "" || p.Detail == "" || p.Type == "" {
		t.Fatalf("bad problem document %s (%v)", body, err)
	}
	return p
}

func TestReportStatusCodes(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	day := yesterday().Format("2006-01-02")
	on := e.Tenant("on", true, 1)
	off := e.Tenant("off", false, 1)
	read := e.Token(on, viewer.ScopeReportsRead)
	host := e.Token(uuid.Nil, viewer.ScopeHostAdmin)
	other, _, _ := e.App.Signer.Issue("x", on, []string{viewer.ScopeReportsRead}, time.Hour)
	old := time.Now().UTC().AddDate(0, -2, 0).Format("2006-01-02")
	future := time.Now().UTC().Add(2 * time.Hour)

	cases := []struct {
		name   string
		path   string
		token  string
		header []string
		status int
	}{
		{"ok zipped", apptest.ReportPath(day, 15, true), read, nil, 200},
		{"ok json", apptest.ReportPath(day, 15, false), read, nil, 200},
		{"zero-padded hour", fmt.Sprintf("/api/external/conversations/daily-report/%s/09", day), read, nil, 200},
		{"compressed defaults to false", fmt.Sprintf("/api/external/conversations/daily-report/%s/9", day), read, nil, 200},
		{"malformed day", apptest.ReportPath("2025-13-01", 1, true), read, nil, 400},
		{"day without dashes", "/api/external/conversations/daily-report/20250422/1", read, nil, 400},
		{"hour 24", apptest.ReportPath(day, 24, true), read, nil, 400},
		{"hour not a number", "/api/external/conversations/daily-report/" + day + "/x", read, nil, 400},
		{"hour with three digits", "/api/external/conversations/daily-report/" + day + "/009", read, nil, 400},
		{"bad compressed", "/api/external/conversations/daily-report/" + day + "/1?compressed=yes", read, nil, 400},
		{"hour not ended", apptest.ReportPath(future.Format("2006-01-02"), future.Hour(), true), read, nil, 400},
		{"no token", apptest.ReportPath(day, 1, true), "", nil, 401},
		{"invalid token", apptest.ReportPath(day, 1, true), other + "x", nil, 401},
		{"token in query string", apptest.ReportPath(day, 1, true) + "&access_token=" + read, "", nil, 401},
		{"missing scope", apptest.ReportPath(day, 1, true), e.Token(on, viewer.ScopeConversationsWrite), nil, 403},
		{"feature disabled", apptest.ReportPath(day, 1, true), e.Token(off, viewer.ScopeReportsRead), nil, 403},
		{"host names disabled tenant", apptest.ReportPath(day, 1, true), host, []string{"X-Tenant-Id", off.String()}, 403},
		{"host names unknown tenant", apptest.ReportPath(day, 1, true), host, []string{"X-Tenant-Id", uuid.NewString()}, 404},
		{"host names no tenant", apptest.ReportPath(day, 1, true), host, nil, 400},
		{"host names tenant", apptest.ReportPath(day, 1, true), host, []string{"X-Tenant-Id", on.String()}, 200},
		{"tenant names another tenant", apptest.ReportPath(day, 1, true), read, []string{"X-Tenant-Id", off.String()}, 404},
		{"outside retention", apptest.ReportPath(old, 1, true), read, nil, 410},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := e.Do(http.MethodGet, tc.path, tc.token, nil, tc.header...)
			if tc.status == 200 {
				if b := apptest.Read(t, resp); resp.StatusCode != 200 {
					t.Fatalf("status %d: %s", resp.StatusCode, b)
				}
				return
			}
			p := wantProblem(t, resp, tc.status)
			if tc.status == 401 && resp.Header.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
			t.Logf("%d %s", p.Status, p.Detail)
		})
	}
}

func TestReportHeadersAndConditionalRequests(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	tenant := e.Tenant("acme", true, 1)
	day := yesterday()
	e.Ingest(e.Token(tenant, viewer.ScopeConversationsWrite), []apptest.Conv{
		apptest.NewConv("c-1", day.Add(15*time.Hour+2*time.Minute)),
	})
	read := e.Token(tenant, viewer.ScopeReportsRead)
	path := apptest.ReportPath(day.Format("2006-01-02"), 15, true)

	resp := e.Do(http.MethodGet, path, read, nil)
	zipBytes := apptest.Read(t, resp)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, zipBytes)
	}
	sum := sha256.Sum256(zipBytes)
	want := map[string]string{
		"Content-Type":                "application/zip",
		"Content-Disposition":         fmt.Sprintf(`attachment; filename="daily-report-%s-15.zip"`, day.Format("2006-01-02")),
		"Content-Length":              strconv.Itoa(len(zipBytes)),
		"ETag":                        `"` + hex.EncodeToString(sum[:]) + `"`,
		"X-Report-Tenant-Id":          tenant.String(),
		"X-Report-Utc-Day":            day.Format("2006-01-02"),
		"X-Report-Utc-Hour":           "15",
		"X-Report-Conversation-Count": "1",
		"X-Report-Message-Count":      "2",
		"X-Report-Source":             "live",
		"X-Report-Schema-Version":     "1",
		"X-Report-Sha256":             hex.EncodeToString(sum[:]),
	}
	for k, v := range want {
		if got := resp.Header.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	if _, err := time.Parse(time.RFC3339, resp.Header.Get("X-Report-Generated-At")); err != nil {
		t.Errorf("X-Report-Generated-At: %v", err)
	}
	doc := apptest.DecodeDoc(t, apptest.Unzip(t, zipBytes, fmt.Sprintf("daily-report-%s-15.json", day.Format("2006-01-02"))))
	if doc.ConversationCount != 1 || doc.Conversations[0].Id != "c-1" {
		t.Fatalf("document %+v", doc)
	}

	// The second request is served from storage, byte for byte the same.
	resp = e.Do(http.MethodGet, path, read, nil)
	again := apptest.Read(t, resp)
	if resp.Header.Get("X-Report-Source") != "stored" || string(again) != string(zipBytes) {
		t.Fatalf("second fetch: source %q, same bytes %t", resp.Header.Get("X-Report-Source"), string(again) == string(zipBytes))
	}

	etag := resp.Header.Get("ETag")
	resp = e.Do(http.MethodGet, path, read, nil, "If-None-Match", etag)
	if apptest.Read(t, resp); resp.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: status %d, want 304", resp.StatusCode)
	}
	resp = e.Do(http.MethodGet, path, read, nil, "Range", "bytes=10-19")
	part := apptest.Read(t, resp)
	if resp.StatusCode != http.StatusPartialContent || string(part) != string(zipBytes[10:20]) {
		t.Errorf("Range: status %d, %d bytes", resp.StatusCode, len(part))
	}
	resp = e.Do(http.MethodHead, path, read, nil)
	if b := apptest.Read(t, resp); resp.StatusCode != 200 || len(b) != 0 || resp.Header.Get("X-Report-Sha256") == "" {
		t.Errorf("HEAD: status %d, %d body bytes", resp.StatusCode, len(b))
	}

	// The uncompressed form is the zip's entry, with the same headers.
	jsonPath := apptest.ReportPath(day.Format("2006-01-02"), 15, false)
	resp = e.Do(http.MethodGet, jsonPath, read, nil)
	body := apptest.Read(t, resp)
	entry := apptest.Unzip(t, zipBytes, fmt.Sprintf("daily-report-%s-15.json", day.Format("2006-01-02")))
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" || string(body) != string(entry) {
		t.Fatalf("json: status %d type %q same %t", resp.StatusCode, resp.Header.Get("Content-Type"), string(body) == string(entry))
	}
	if resp.Header.Get("X-Report-Sha256") != hex.EncodeToString(sum[:]) {
		t.Error("json answer's X-Report-Sha256 does not name the zip")
	}
	resp = e.Do(http.MethodGet, jsonPath, read, nil, "If-None-Match", resp.Header.Get("ETag"))
	if apptest.Read(t, resp); resp.StatusCode != http.StatusNotModified {
		t.Errorf("json If-None-Match: status %d, want 304", resp.StatusCode)
	}
}

func TestStaleReportServedFresh(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	tenant := e.Tenant("acme", true, 1)
	day := yesterday()
	write := e.Token(tenant, viewer.ScopeConversationsWrite)
	read := e.Token(tenant, viewer.ScopeReportsRead)
	path := apptest.ReportPath(day.Format("2006-01-02"), 3, false)
	e.Ingest(write, []apptest.Conv{apptest.NewConv("a", day.Add(3*time.Hour))})
	first := apptest.DecodeDoc(t, apptest.Read(t, e.Do(http.MethodGet, path, read, nil)))
	if first.ConversationCount != 1 {
		t.Fatalf("first report has %d conversations", first.ConversationCount)
	}
	resp := e.Do(http.MethodGet, path, read, nil)
	if apptest.Read(t, resp); resp.Header.Get("X-Report-Source") != "stored" {
		t.Fatalf("second fetch source %q, want stored", resp.Header.Get("X-Report-Source"))
	}

	// A late conversation and an update of the first one make it stale.
	late := apptest.NewConv("b", day.Add(3*time.Hour+30*time.Minute))
	changed := apptest.NewConv("a", day.Add(3*time.Hour))
	changed.Status = "abandoned"
	e.Ingest(write, []apptest.Conv{late, changed})
	resp = e.Do(http.MethodGet, path, read, nil)
	doc := apptest.DecodeDoc(t, apptest.Read(t, resp))
	if resp.Header.Get("X-Report-Source") != "live" || doc.ConversationCount != 2 || doc.Conversations[0].Status != "abandoned" {
		t.Fatalf("after late data: source %q, %d conversations, first status %q",
			resp.Header.Get("X-Report-Source"), doc.ConversationCount, doc.Conversations[0].Status)
	}
	resp = e.Do(http.MethodGet, path, read, nil)
	if apptest.Read(t, resp); resp.Header.Get("X-Report-Source") != "stored" {
		t.Fatalf("rebuilt report not stored: source %q", resp.Header.Get("X-Report-Source"))
	}

	// A conversation moved to another hour leaves the old hour, which is rebuilt.
	moved := apptest.NewConv("b", day.Add(4*time.Hour))
	e.Ingest(write, []apptest.Conv{moved})
	doc = apptest.DecodeDoc(t, apptest.Read(t, e.Do(http.MethodGet, path, read, nil)))
	if doc.ConversationCount != 1 {
		t.Fatalf("old hour after the move has %d conversations, want 1", doc.ConversationCount)
	}
}

func TestConcurrentRequestsShareOneBuild(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	tenant := e.Tenant("acme", true, 1)
	day := yesterday()
	e.Ingest(e.Token(tenant, viewer.ScopeConversationsWrite), []apptest.Conv{apptest.NewConv("a", day.Add(7*time.Hour))})
	read := e.Token(tenant, viewer.ScopeReportsRead)
	path := apptest.ReportPath(day.Format("2006-01-02"), 7, true)
	var wg sync.WaitGroup
	sums := make([]string, 50)
	for i := range sums {
		wg.Go(func() {
			resp := e.Do(http.MethodGet, path, read, nil)
			b := apptest.Read(t, resp)
			if resp.StatusCode != 200 {
				t.Errorf("status %d: %s", resp.StatusCode, b)
			}
			sums[i] = resp.Header.Get("X-Report-Sha256")
		})
	}
	wg.Wait()
	for _, s := range sums[1:] {
		if s != sums[0] {
			t.Fatalf("requests got different reports: %v", sums)
		}
	}
	if n := e.Built("live"); n != 1 {
		t.Fatalf("%v live builds, want 1", n)
	}
}
