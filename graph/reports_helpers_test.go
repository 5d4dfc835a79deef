package graph_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/store"
)

// hourly is an HourlyReport as the tests read it.
type hourly struct {
	TenantId          string
	UtcDay            string
	UtcHour           int
	ObjectKey         string
	Status            string
	ConversationCount *int
	MessageCount      *int
	SizeBytes         *int
	Sha256            *string
	GeneratedAt       *string
	DownloadUrl       *link
	Data              json.RawMessage
	Attempts          *int
	LastError         *string
}

type link struct {
	Url       string
	ExpiresAt time.Time
}

const hourFields = `tenantId utcDay utcHour objectKey status conversationCount messageCount sizeBytes sha256 generatedAt`

// hourlyReport asks for one hour with extra fields beside hourFields.
func hourlyReport(t *testing.T, e *apptest.Env, token string, tenant *uuid.UUID, day time.Time, hour int, extra string) response {
	t.Helper()
	vars := map[string]any{"day": dayString(day), "hour": hour}
	if tenant != nil {
		vars["tenant"] = tenant.String()
	}
	q := `query($day: Date!, $hour: Int!, $tenant: ID) {
		hourlyReport(utcDay: $day, utcHour: $hour, tenantId: $tenant) { ` + hourFields + ` ` + extra + ` } }`
	return do(t, e, token, q, vars)
}

// mustHourly is hourlyReport that must succeed.
func mustHourly(t *testing.T, e *apptest.Env, token string, tenant *uuid.UUID, day time.Time, hour int, extra string) hourly {
	t.Helper()
	var d struct{ HourlyReport hourly }
	hourlyReport(t, e, token, tenant, day, hour, extra).ok(t, &d)
	return d.HourlyReport
}

// ingestHour writes n conversations (ids prefixed with prefix) into hour h
// of day with the write token.
func ingestHour(e *apptest.Env, write string, day time.Time, h, n int, prefix string) {
	convs := make([]apptest.Conv, n)
	for i := range convs {
		convs[i] = apptest.NewConv(fmt.Sprintf("%s-%d-%d", prefix, h, i), day.Add(time.Duration(h)*time.Hour+time.Duration(i+1)*time.Minute))
	}
	e.Ingest(write, convs)
}

// rest fetches the hour through REST and returns the body and sha256 header.
func rest(t *testing.T, e *apptest.Env, token string, day time.Time, h int, compressed bool) ([]byte, http.Header) {
	t.Helper()
	resp := e.Do(http.MethodGet, apptest.ReportPath(dayString(day), h, compressed), token, nil)
	b := apptest.Read(t, resp)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("REST %d: %s", resp.StatusCode, b)
	}
	return b, resp.Header
}

func sum(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

// failChunk records a failed build of the hour, as a run's last pass does.
func failChunk(t *testing.T, e *apptest.Env, tenant uuid.UUID, day time.Time, h int) {
	t.Helper()
	ref := store.ChunkRef{TenantID: tenant, Hour: document.NewHour(day, h)}
	ctx := apptest.System()
	if err := e.App.Store.MarkBuilding(ctx, ref, "run-test", 1); err != nil {
		t.Fatal(err)
	}
	if err := e.App.Store.MarkFailed(ctx, ref, "run-test", "boom"); err != nil {
		t.Fatal(err)
	}
}

func ptr[T any](v T) *T { return &v }
