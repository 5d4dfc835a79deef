package rest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/testenv"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// With object storage down, an erasure answers 503 once the database is
// changed, and stays pending: asked again once storage is back, it answers
// 204 (not 404) and finishes the cleanup, so no stored report keeps the
// conversation.
func TestErasureDuringAStorageOutageIsFinishedLater(t *testing.T) {
	m := testenv.StartMinIO(t)
	e := apptest.New(t, apptest.Options{MinIO: m})
	tenant := e.Tenant("acme", true, 1)
	write, read := e.Token(tenant, viewer.ScopeConversationsWrite), e.Token(tenant, viewer.ScopeReportsRead)
	day := yesterday().Format("2006-01-02")
	e.Ingest(write, []apptest.Conv{apptest.NewConv("c-keep", inHour(8, 1)), apptest.NewConv("c-gone", inHour(8, 2))})
	apptest.Read(t, e.Do(http.MethodGet, apptest.ReportPath(day, 8, true), read, nil))
	link := getManifest(t, e, read, manifestPath(day, "")).Hours[8].DownloadUrl

	m.Stop(t)
	wantProblem(t, e.Do(http.MethodDelete, erasePath("c-gone"), write, nil), http.StatusServiceUnavailable)
	if rows := e.SQL(`SELECT count(*) FROM erasures WHERE done_at IS NULL`); rows[0] != "1" {
		t.Fatalf("%s unfinished erasures, want 1", rows[0])
	}
	m.Start(t)
	if resp := e.Do(http.MethodDelete, erasePath("c-gone"), write, nil); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("DELETE again: %d %s", resp.StatusCode, apptest.Read(t, resp))
	}
	if doc := apptest.Unzip(t, download(t, *link), "daily-report-"+day+"-08.json"); strings.Contains(string(doc), "c-gone") || !strings.Contains(string(doc), "c-keep") {
		t.Error("the link handed out before still serves the conversation")
	}
	if rows := e.SQL(`SELECT count(*) FROM erasures WHERE done_at IS NULL`); rows[0] != "0" {
		t.Errorf("%s unfinished erasures after the retry", rows[0])
	}
	wantProblem(t, e.Do(http.MethodDelete, erasePath("c-gone"), write, nil), http.StatusNotFound)
}
