package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/minio/minio-go/v7"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/testenv"
	"github.com/dailyreports/dailyreports/jobs"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// fixture is the database and bucket release 1 made (see its README).
var fixture = filepath.Join("testdata", "upgrade-release1")

// fixtureDay is the day of its conversations; the service runs the next
// day, inside every tenant's retention window.
const fixtureDay = "2026-11-28"

var fixtureNow = time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)

// The fixture's tenants (tenants.txt): A enabled for 3 months, B for 2, C
// disabled, S seeded.
var (
	tenantA = uuid.MustParse("bfad9d5f-0fb8-402e-a396-11af974ab944")
	tenantB = uuid.MustParse("60dfd268-4250-45f9-a545-10aacf17d80f")
	tenantC = uuid.MustParse("5cea1c3e-fee8-44cb-925f-cd26e8044fa0")
	tenantS = uuid.MustParse("946f2489-9f4c-47ac-8686-49f2592d8b21")
)

// TestUpgradeFromRelease1 migrates the PostgreSQL database and serves the
// bucket release 1 left: every row is kept, every stored report is served
// with the same bytes, stale hours are rebuilt live, and a rebuild of the
// day gives the release's documents again.
func TestUpgradeFromRelease1(t *testing.T) {
	dbURL := testenv.NewDatabase(t)
	db, err := sql.Open("postgres", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	loadDump(t, db, "schema.sql")
	loadDump(t, db, "data.sql")
	before := snapshot(t, db)

	start := time.Now()
	e := apptest.New(t, apptest.Options{DatabaseURL: dbURL, Now: func() time.Time { return fixtureNow }})
	t.Logf("open and migrate the release database: %s", time.Since(start).Round(time.Millisecond))
	if after := snapshot(t, db); !equalSnapshots(t, before, after) {
		t.Fatal("rows changed by the migration")
	}
	// A client the release revoked carries its creation time as revokedAt.
	if got := e.SQL(`SELECT name || ' ' || (revoked_at IS NOT DISTINCT FROM CASE WHEN revoked THEN created_at END) || ' ' || (last_used_at IS NULL) FROM api_clients ORDER BY id`); !slices.Equal(got, []string{"acme reader true true", "host automation true true", "revoked one true true"}) {
		t.Errorf("revoked_at and last_used_at after the upgrade: %q", got)
	}
	// No build holds a claim on a chunk of the release.
	if got := e.SQL(`SELECT count(*) FROM report_chunks WHERE build_owner <> '' OR build_version <> 0 OR build_expires_at IS NOT NULL`); !slices.Equal(got, []string{"0"}) {
		t.Errorf("chunks with a build claim after the upgrade: %q", got)
	}
	objects := uploadObjects(t, e)

	// Hours 2, 3 and 4 of A are stale (data written after they were
	// stored). Hour 7 is marked failed, but the zip stored before is of its
	// current data version, so it is served as stored, as the release did.
	live := map[string]bool{key(tenantA, 2): true, key(tenantA, 3): true, key(tenantA, 4): true}
	for k, zip := range objects {
		tenant, hour := parseKey(t, k)
		body, source := fetch(t, e, tenant, hour, true)
		if live[k] {
			if source != "live" {
				t.Errorf("%s: served %s, want live (stale)", k, source)
			}
			continue
		}
		if source != "stored" || !bytes.Equal(body, zip) {
			t.Errorf("%s: served %s, %d bytes, want the stored zip (%d bytes) byte for byte", k, source, len(body), len(zip))
		}
	}
	checkLiveHours(t, e, objects)
	if resp := e.Do(http.MethodGet, apptest.ReportPath(fixtureDay, 5, false), e.Token(tenantC, "dataservice_external"), nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("disabled tenant C: %d, want 403", resp.StatusCode)
	}

	rebuildDay(t, e)
	for k, zip := range objects {
		tenant, hour := parseKey(t, k)
		got, source := fetch(t, e, tenant, hour, false)
		if source != "stored" {
			t.Errorf("%s after the rebuild: served %s", k, source)
		}
		if live[k] {
			continue // their data changed after the release stored them: checkLiveHours
		}
		want := apptest.Unzip(t, zip, fmt.Sprintf("daily-report-%s-%02d.json", fixtureDay, hour))
		if !bytes.Equal(withoutGeneratedAt(got), withoutGeneratedAt(want)) {
			t.Errorf("%s rebuilt:\n got %s\nwant %s", k, got, want)
		}
	}
	checkLiveHours(t, e, objects)
}

// checkLiveHours checks the hours whose data changed after the release
// stored them: hour 2 gained c-late and keeps c-d byte for byte; c-e moved
// from hour 3 to hour 4.
func checkLiveHours(t *testing.T, e *apptest.Env, objects map[string][]byte) {
	t.Helper()
	want := map[int][]string{2: {"c-d", "c-late"}, 3: nil, 4: {"c-e"}}
	for hour, ids := range want {
		body, _ := fetch(t, e, tenantA, hour, false)
		doc := apptest.DecodeDoc(t, body)
		var got []string
		for _, c := range doc.Conversations {
			got = append(got, c.Id)
		}
		if !slices.Equal(got, ids) || doc.ConversationCount != len(ids) {
			t.Errorf("hour %d holds %v (count %d), want %v", hour, got, doc.ConversationCount, ids)
		}
	}
	old := apptest.Unzip(t, objects[key(tenantA, 2)], "daily-report-"+fixtureDay+"-02.json")
	body, _ := fetch(t, e, tenantA, 2, false)
	cd := regexp.MustCompile(`\{"Id":"c-d".*?\]\}`).Find(old)
	if cd == nil || !bytes.Contains(body, cd) {
		t.Errorf("hour 2 no longer holds the release's c-d %s:\n%s", cd, body)
	}
	body, _ = fetch(t, e, tenantA, 4, false)
	if !bytes.Contains(body, []byte(`"Text":"moved to hour 4"`)) {
		t.Errorf("hour 4 lacks the moved conversation: %s", body)
	}
}

// rebuildDay rebuilds every hour of the day of every enabled tenant,
// through the nightly job's code path, as `generate` does.
func rebuildDay(t *testing.T, e *apptest.Env) {
	t.Helper()
	r := e.App.Runner()
	sum, err := r.Run(apptest.System(), jobs.RunPayload{RunID: "upgrade-test", Day: fixtureDay, Force: true},
		&jobs.LocalExecutor{Runner: r, Parallel: 4})
	if err != nil || len(sum.Failed) > 0 || sum.Chunks != 3*24 {
		t.Fatalf("rebuild: %+v %v", sum, err)
	}
}

// fetch gets an hour through REST with a token of its tenant and returns
// the body and X-Report-Source.
func fetch(t *testing.T, e *apptest.Env, tenant uuid.UUID, hour int, compressed bool) ([]byte, string) {
	t.Helper()
	resp := e.Do(http.MethodGet, apptest.ReportPath(fixtureDay, hour, compressed), e.Token(tenant, "dataservice_external"), nil)
	body := apptest.Read(t, resp)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s hour %d: %d %s", tenant, hour, resp.StatusCode, body)
	}
	return body, resp.Header.Get("X-Report-Source")
}

var generatedAt = regexp.MustCompile(`"GeneratedAt":"[^"]*"`)

func withoutGeneratedAt(doc []byte) []byte {
	return generatedAt.ReplaceAll(doc, []byte(`"GeneratedAt":""`))
}

func key(tenant uuid.UUID, hour int) string {
	return fmt.Sprintf("%s/daily-report-%s-%02d.zip", tenant, fixtureDay, hour)
}

func parseKey(t *testing.T, k string) (uuid.UUID, int) {
	t.Helper()
	var hour int
	tenant, name, _ := strings.Cut(k, "/")
	if _, err := fmt.Sscanf(name, "daily-report-"+fixtureDay+"-%02d.zip", &hour); err != nil {
		t.Fatalf("object %s: %v", k, err)
	}
	return uuid.MustParse(tenant), hour
}

// uploadObjects puts the release's objects, with their user metadata, into
// the service's bucket and returns them by key.
func uploadObjects(t *testing.T, e *apptest.Env) map[string][]byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(fixture, "objects", "metadata.json"))
	if err != nil {
		t.Fatal(err)
	}
	var meta map[string]map[string]string
	if err := json.Unmarshal(raw, &meta); err != nil {
		t.Fatal(err)
	}
	c := e.MinIO.Client(t)
	out := make(map[string][]byte, len(meta))
	for k, m := range meta {
		b, err := os.ReadFile(filepath.Join(fixture, "objects", filepath.FromSlash(k)))
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.PutObject(context.Background(), e.App.Config.S3Bucket, k, bytes.NewReader(b), int64(len(b)),
			minio.PutObjectOptions{ContentType: "application/zip", UserMetadata: m})
		if err != nil {
			t.Fatal(err)
		}
		out[k] = b
	}
	if len(out) != 24+24+1 {
		t.Fatalf("%d objects, want 49", len(out))
	}
	return out
}

// loadDump runs one of the fixture's pg_dump files, without psql's
// meta-commands, on a connection of its own (the dump empties search_path).
func loadDump(t *testing.T, db *sql.DB, name string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixture, name))
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(string(b), "\n") {
		if !strings.HasPrefix(l, `\`) {
			lines = append(lines, l)
		}
	}
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Raw(func(any) error { return driver.ErrBadConn }) }()
	if _, err := conn.ExecContext(context.Background(), strings.Join(lines, "\n")); err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
}

// snapshotQueries are the rows an upgrade must keep, by table.
var snapshotQueries = map[string]string{
	"tenants":       "SELECT * FROM tenants ORDER BY id",
	"audit_entries": "SELECT * FROM audit_entries ORDER BY id",
	// The release's columns: later migrations add others (revoked_at, checked in TestUpgradeFromRelease1).
	"api_clients": "SELECT id, client_id, secret_hash, name, scopes, revoked, created_at, tenant_id FROM api_clients ORDER BY id",
	// The release's columns: the build claim's are checked in TestUpgradeFromRelease1.
	"report_chunks": "SELECT id, day, hour, status, data_version, built_version, run_id, attempts, conversation_count, message_count, size_bytes, sha256, generated_at, last_error, updated_at, tenant_id FROM report_chunks ORDER BY id",
	"conversations": "SELECT id, tenant_id, external_id, started_at, updated_at FROM conversations ORDER BY id",
	"per tenant":    "SELECT tenant_id, count(*), string_agg(external_id, ' ' ORDER BY external_id) FROM conversations GROUP BY tenant_id ORDER BY tenant_id",
}

// snapshot returns the rows of snapshotQueries as text, by name.
func snapshot(t *testing.T, db *sql.DB) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for name, q := range snapshotQueries {
		rows, err := db.Query("SELECT row_to_json(r)::text FROM (" + q + ") r")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out[name] = append(out[name], s)
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func equalSnapshots(t *testing.T, before, after map[string][]string) bool {
	t.Helper()
	ok := true
	for name := range snapshotQueries {
		if len(before[name]) == 0 {
			t.Errorf("%s: no rows in the fixture", name)
		}
		if !slices.Equal(before[name], after[name]) {
			t.Errorf("%s changed:\n before %q\n after  %q", name, before[name], after[name])
			ok = false
		}
	}
	return ok
}
