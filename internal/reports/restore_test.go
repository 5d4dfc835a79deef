package reports_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/store"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// A build that read the hour before an erasure and uploads after the
// erasure's rebuild cannot leave its older report in storage: its upload
// finds a newer build recorded and stores the hour again, so the object is
// the one the database names, without the erased conversation.
func TestAnOlderUploadDoesNotStayOverANewerReport(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	tenant := e.Tenant("acme", true, 1)
	write := e.Token(tenant, viewer.ScopeConversationsWrite)
	read := e.Token(tenant, viewer.ScopeReportsRead)
	day := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -1)
	h := document.NewHour(day, 10)
	e.Ingest(write, []apptest.Conv{apptest.NewConv("c-keep", h.From().Add(time.Minute)), apptest.NewConv("c-gone", h.From().Add(2*time.Minute))})
	apptest.Read(t, e.Do(http.MethodGet, apptest.ReportPath(h.DayString(), 10, true), read, nil))
	ref := store.ChunkRef{TenantID: tenant, Hour: h}
	b := e.App.Builder()
	ctx := apptest.System()
	old, err := b.Build(ctx, ref) // read before the erasure
	if err != nil {
		t.Fatal(err)
	}
	defer old.Remove()
	if resp := e.Do(http.MethodDelete, "/api/external/conversations/c-gone", write, nil); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("erase: %d", resp.StatusCode)
	}
	if err := b.Upload(ctx, old); err != nil {
		t.Fatal(err)
	}
	state, err := e.App.Store.Chunk(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	_, data, err := e.App.Blob.ReadAll(context.Background(), document.ObjectKey(tenant, h), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	doc := string(apptest.Unzip(t, data, h.EntryName()))
	if strings.Contains(doc, "c-gone") || !strings.Contains(doc, "c-keep") || hex.EncodeToString(sum[:]) != state.ReportSHA256() || !state.Fresh() {
		t.Errorf("stored object (sha256 %x, fresh record %v of %s) holds: %s", sum, state.Fresh(), state.ReportSHA256(), doc)
	}
}
