package store

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/store/migration"
)

// sqliteFixture is the embedded database of release 1 (see its
// make-fixture.sh): its dump, the tenants and the documents it served.
var sqliteFixture = filepath.Join("testdata", "upgrade-release1-sqlite")

// openSQLiteFixture restores the fixture's dump into a new database file
// and opens it.
func openSQLiteFixture(t *testing.T) *Store {
	t.Helper()
	dump, err := os.ReadFile(filepath.Join(sqliteFixture, "dailyreports.sql"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "dailyreports.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(string(dump)); err != nil {
		t.Fatalf("restore dump: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := OpenSQLite(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// TestSQLiteUpgradeFromRelease1 migrates the embedded database release 1
// made: it is adopted, every row is kept, and every hour builds the very
// document the release served (GeneratedAt aside).
func TestSQLiteUpgradeFromRelease1(t *testing.T) {
	s := openSQLiteFixture(t)
	ctx := sysCtx()
	// The release's columns: later migrations add the build claim's.
	const chunkRows = "SELECT id, day, hour, status, data_version, built_version, run_id, attempts, conversation_count, message_count, size_bytes, sha256, generated_at, last_error, updated_at, tenant_id FROM report_chunks ORDER BY id"
	chunksBefore := dumpRows(t, s, chunkRows)
	auditBefore := dumpRows(t, s, "SELECT * FROM audit_entries ORDER BY id")
	if err := s.CheckSchema(ctx); err == nil {
		t.Fatal("release database taken as current")
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	st, err := s.SchemaStatus(ctx)
	if err != nil || len(st.Pending) != 0 {
		t.Fatalf("status after migrate %+v %v", st, err)
	}
	if diff := entDiff(t, s); diff != "" {
		t.Fatalf("the upgraded schema differs from ent/schema:\n%s", diff)
	}
	revs := dumpRows(t, s, "SELECT version, type FROM "+migration.RevisionsTable+" ORDER BY version")
	if len(revs) < 3 || revs[0] != versionRelease1+"|1" || slices.ContainsFunc(revs[1:], func(r string) bool { return !strings.HasSuffix(r, "|2") }) {
		t.Fatalf("revisions %q: want the release adopted as baseline, then every later file applied", revs)
	}
	if got := dumpRows(t, s, chunkRows); !slices.Equal(got, chunksBefore) {
		t.Fatalf("chunk rows changed:\n got %q\nwant %q", got, chunksBefore)
	}
	if got := dumpRows(t, s, "SELECT count(*) FROM report_chunks WHERE build_owner <> '' OR build_version <> 0 OR build_expires_at IS NOT NULL"); !slices.Equal(got, []string{"0"}) {
		t.Fatalf("chunks with a build claim after the upgrade: %q", got)
	}
	if got := dumpRows(t, s, "SELECT * FROM audit_entries ORDER BY id"); !slices.Equal(got, auditBefore) || len(got) != 2 {
		t.Fatalf("audit rows changed: %q", got)
	}
	a, b := fixtureTenants(t)
	for id, want := range map[uuid.UUID]string{a: "c-a c-b c-c c-d c-e c-late", b: "b-1"} {
		got := dumpRows(t, s, "SELECT external_id FROM conversations WHERE tenant_id = '"+id.String()+"' ORDER BY external_id")
		if strings.Join(got, " ") != want {
			t.Errorf("tenant %s conversations %q, want %q", id, got, want)
		}
	}
	tn, err := s.Tenant(ctx, a)
	if err != nil || tn.Name != "Acme Ünïcode" || !tn.ReportEnabled || tn.RetentionMonths != 3 {
		t.Fatalf("tenant A %+v %v", tn, err)
	}
	checkServedDocuments(t, s)
}

// checkServedDocuments builds each hour whose document the release served
// and compares them byte for byte, with the release's GeneratedAt.
func checkServedDocuments(t *testing.T, s *Store) {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(sqliteFixture, "documents", "*.json"))
	if err != nil || len(paths) != 12 {
		t.Fatalf("fixture documents: %v %v", paths, err)
	}
	for _, p := range paths {
		want, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var head struct {
			TenantId    uuid.UUID
			UtcDay      string
			UtcHour     int
			GeneratedAt time.Time
		}
		if err := json.Unmarshal(want, &head); err != nil {
			t.Fatal(err)
		}
		day, _ := time.Parse(document.DayLayout, head.UtcDay)
		got := buildHour(t, s, head.TenantId, document.NewHour(day, head.UtcHour), head.GeneratedAt)
		if !bytes.Equal(got, want) {
			t.Errorf("%s:\n got %s\nwant %s", filepath.Base(p), got, want)
		}
	}
}

// buildHour encodes the hour's document from the store, as a build does.
func buildHour(t *testing.T, s *Store, tenant uuid.UUID, h document.Hour, generatedAt time.Time) []byte {
	t.Helper()
	var buf bytes.Buffer
	var enc *document.Encoder
	err := s.ReadHour(sysCtx(), tenant, h, func(info HourInfo) (err error) {
		enc, err = document.NewEncoder(&buf, document.Header{TenantID: tenant, Hour: h, GeneratedAt: generatedAt,
			ConversationCount: info.ConversationCount, MessageCount: info.MessageCount})
		return err
	}, func(doc []byte, n int) error { return enc.WriteRaw(doc, n) })
	if err == nil {
		err = enc.Close()
	}
	if err != nil {
		t.Fatalf("build %s: %v", h, err)
	}
	return buf.Bytes()
}

// fixtureTenants returns tenants A and B of the SQLite fixture.
func fixtureTenants(t *testing.T) (a, b uuid.UUID) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(sqliteFixture, "tenants.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range strings.Fields(string(raw)) {
		k, v, _ := strings.Cut(f, "=")
		switch k {
		case "A":
			a = uuid.MustParse(v)
		case "B":
			b = uuid.MustParse(v)
		}
	}
	return a, b
}

// dumpRows returns each row of query as its columns joined by |.
func dumpRows(t *testing.T, s *Store, query string) []string {
	t.Helper()
	rows, err := s.db.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		parts := make([]string, len(vals))
		for i, v := range vals {
			switch v := v.(type) {
			case nil:
				parts[i] = "NULL"
			case []byte:
				parts[i] = string(v)
			case string:
				parts[i] = v
			case time.Time:
				parts[i] = v.UTC().Format(time.RFC3339Nano)
			case int64:
				parts[i] = strconv.FormatInt(v, 10)
			default:
				parts[i] = strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(fmtAny(v), "\n", " "), "  ", " "))
			}
		}
		out = append(out, strings.Join(parts, "|"))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func fmtAny(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
