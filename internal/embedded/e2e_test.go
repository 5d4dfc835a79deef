package embedded_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hibiken/asynq"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/jobs"
)

// TestEmbeddedEndToEnd runs the real-services scenario on the embedded
// defaults: ingest, generate on the worker (asynq on the in-process Redis),
// fetch zipped and as JSON (objects in the in-process S3), GraphQL with a
// presigned link, the live fallback for late data; then a restart on the
// same DATA_DIR keeps tenants, conversations, stored reports and the
// signing key.
func TestEmbeddedEndToEnd(t *testing.T) {
	dir := t.TempDir()
	e, stop := apptest.NewEmbedded(t, dir, nil)
	tenant := e.Tenant("Acme", true, 3)
	write := e.Token(tenant, "conversations.write")
	read := e.Token(tenant, "dataservice_external")
	day := time.Now().UTC().AddDate(0, 0, -2).Truncate(24 * time.Hour)
	dayStr := day.Format("2006-01-02")
	at := day.Add(15 * time.Hour)
	e.Ingest(write, []apptest.Conv{
		apptest.NewConv("c-b", at.Add(10*time.Minute)),
		apptest.NewConv("c-a", at.Add(10*time.Minute)),
		apptest.NewConv("c-0", at.Add(time.Minute)),
		apptest.NewConv("c-late", at.Add(time.Hour)), // hour 16
	})

	stopWorker := e.StartWorker()
	generateOnWorker(t, e, tenant, dayStr)

	zipBytes := fetchZip(t, e, read, dayStr, 15, "stored")
	doc := apptest.DecodeDoc(t, apptest.Unzip(t, zipBytes, fmt.Sprintf("daily-report-%s-15.json", dayStr)))
	if got := ids(doc); !slices.Equal(got, []string{"c-0", "c-a", "c-b"}) || doc.ConversationCount != 3 || doc.MessageCount != 6 {
		t.Fatalf("stored report: %v, %d conversations, %d messages", got, doc.ConversationCount, doc.MessageCount)
	}
	resp := e.Do(http.MethodGet, apptest.ReportPath(dayStr, 15, false), read, nil)
	jsonBody := apptest.Read(t, resp)
	if resp.StatusCode != 200 || resp.Header.Get("X-Report-Source") != "stored" ||
		!bytes.Equal(jsonBody, apptest.Unzip(t, zipBytes, fmt.Sprintf("daily-report-%s-15.json", dayStr))) {
		t.Fatalf("JSON report: %d %s, not the zip's document", resp.StatusCode, resp.Header.Get("X-Report-Source"))
	}

	checkGraphQL(t, e, read, dayStr, zipBytes)

	// Late data makes the hour stale: the next fetch builds it live.
	e.Ingest(write, []apptest.Conv{apptest.NewConv("c-new", at.Add(30*time.Minute))})
	live := fetchZip(t, e, read, dayStr, 15, "live")
	if d := apptest.DecodeDoc(t, apptest.Unzip(t, live, fmt.Sprintf("daily-report-%s-15.json", dayStr))); d.ConversationCount != 4 {
		t.Fatalf("live report has %d conversations, want 4", d.ConversationCount)
	}
	stored := fetchZip(t, e, read, dayStr, 15, "stored") // the live build was stored
	stopWorker()
	stop()

	// Restart on the same DATA_DIR.
	e2, _ := apptest.NewEmbedded(t, dir, nil)
	if ts, err := e2.App.Store.Tenants(apptest.System()); err != nil || len(ts) != 1 || ts[0].ID != tenant {
		t.Fatalf("tenants after restart: %v %v", ts, err)
	}
	chunks, err := e2.App.Store.DayChunks(apptest.System(), tenant, dayStr)
	if err != nil || len(chunks) != 24 || !chunks[15].Stored() {
		t.Fatalf("chunks after restart: %d %v", len(chunks), err)
	}
	// The old token still works (same signing key) and the stored object is
	// served as it was.
	if again := fetchZip(t, e2, read, dayStr, 15, "stored"); !bytes.Equal(again, stored) {
		t.Fatal("stored report changed across the restart")
	}
	resp = e2.Do(http.MethodGet, apptest.ReportPath(dayStr, 16, false), read, nil)
	if d := apptest.DecodeDoc(t, apptest.Read(t, resp)); resp.StatusCode != 200 || !slices.Equal(ids(d), []string{"c-late"}) {
		t.Fatalf("hour 16 after restart: %d %v", resp.StatusCode, ids(d))
	}
}

// generateOnWorker runs the day's generation on the worker, as the nightly
// job does, and waits for every chunk to be stored.
func generateOnWorker(t *testing.T, e *apptest.Env, tenant uuid.UUID, day string) {
	t.Helper()
	client := asynq.NewClient(e.App.Redis)
	defer client.Close()
	task, err := jobs.NewRunTask(jobs.RunPayload{RunID: "e2e-" + day, Day: day, Tenants: []uuid.UUID{tenant}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Enqueue(task); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		chunks, err := e.App.Store.DayChunks(apptest.System(), tenant, day)
		if err != nil {
			t.Fatal(err)
		}
		stored := 0
		for _, c := range chunks {
			if c.Stored() {
				stored++
			}
		}
		if stored == 24 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("generation on the worker: %d of 24 chunks stored after 60s", stored)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// fetchZip fetches a zipped report, checks its headers and returns it.
func fetchZip(t *testing.T, e *apptest.Env, token, day string, hour int, source string) []byte {
	t.Helper()
	resp := e.Do(http.MethodGet, apptest.ReportPath(day, hour, true), token, nil)
	body := apptest.Read(t, resp)
	sum := sha256.Sum256(body)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/zip" ||
		resp.Header.Get("X-Report-Source") != source || resp.Header.Get("X-Report-Sha256") != hex.EncodeToString(sum[:]) {
		t.Fatalf("zipped report %s/%d: %d %s source %q, want %q", day, hour, resp.StatusCode,
			resp.Header.Get("Content-Type"), resp.Header.Get("X-Report-Source"), source)
	}
	return body
}

// checkGraphQL asks for the day's 24 hours and the hour's presigned link,
// which the embedded object store serves.
func checkGraphQL(t *testing.T, e *apptest.Env, token, day string, zipBytes []byte) {
	t.Helper()
	query := fmt.Sprintf(`{ dailyReport(utcDay: %q) { utcDay hours { utcHour status conversationCount } }
		hourlyReport(utcDay: %q, utcHour: 15) { status downloadUrl(ttlSeconds: 60) { url } } }`, day, day)
	body, _ := json.Marshal(map[string]string{"query": query})
	resp := e.Do(http.MethodPost, "/graphql", token, body, "Content-Type", "application/json")
	raw := apptest.Read(t, resp)
	var out struct {
		Data struct {
			DailyReport struct {
				UtcDay string
				Hours  []struct {
					UtcHour           int
					Status            string
					ConversationCount *int
				}
			}
			HourlyReport struct {
				Status      string
				DownloadURL struct{ URL string } `json:"downloadUrl"`
			}
		}
		Errors []any
	}
	if err := json.Unmarshal(raw, &out); err != nil || resp.StatusCode != 200 || len(out.Errors) > 0 {
		t.Fatalf("graphql: %d %v %s", resp.StatusCode, err, raw)
	}
	hours := out.Data.DailyReport.Hours
	if len(hours) != 24 || hours[15].UtcHour != 15 || hours[15].Status != "STORED" ||
		hours[15].ConversationCount == nil || *hours[15].ConversationCount != 3 {
		t.Fatalf("dailyReport: %s", raw)
	}
	link, err := http.Get(out.Data.HourlyReport.DownloadURL.URL)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(link.Body)
	link.Body.Close()
	if link.StatusCode != 200 || !bytes.Equal(got, zipBytes) {
		t.Fatalf("presigned link: %d, %d bytes", link.StatusCode, len(got))
	}
}

func ids(d apptest.Doc) []string {
	var out []string
	for _, c := range d.Conversations {
		out = append(out, c.Id)
	}
	return out
}
