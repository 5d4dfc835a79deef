package store

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// openSQLite opens and migrates a fresh SQLite database file.
func openSQLite(t *testing.T, path string) *Store {
	t.Helper()
	s, err := OpenSQLite(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if err := s.Migrate(sysCtx()); err != nil {
		t.Fatal(err)
	}
	return s
}

func sysCtx() context.Context { return viewer.SystemContext(context.Background(), "test") }

func conv(id string, start time.Time, msgIDs ...string) document.Conversation {
	c := document.Conversation{ID: id, SessionID: "s-" + id, Channel: "webchat", Language: "en-US",
		ProjectName: "support", StartedAt: start, Status: "completed"}
	for i, m := range msgIDs {
		c.Messages = append(c.Messages, document.Message{ID: m, SentAt: start.Add(time.Duration(i%2) * time.Second),
			Sender: "user", Text: "hi " + m})
	}
	return c
}

// readHour returns the ids of an hour's conversations and, per conversation,
// of its messages, in report order.
func readHour(t *testing.T, s *Store, tenant uuid.UUID, h document.Hour) (HourInfo, []string, [][]string) {
	t.Helper()
	var info HourInfo
	var ids []string
	var msgs [][]string
	err := s.ReadHour(sysCtx(), tenant, h, func(i HourInfo) error { info = i; return nil },
		func(doc []byte, n int) error {
			c := decodeConversation(t, doc)
			if n != len(c.Messages) {
				t.Errorf("conversation %s: message count %d, document has %d", c.ID, n, len(c.Messages))
			}
			ids = append(ids, c.ID)
			var m []string
			for _, x := range c.Messages {
				m = append(m, x.ID)
			}
			msgs = append(msgs, m)
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	return info, ids, msgs
}

// decodeConversation decodes a stored conversation document (its keys match
// document.Conversation's fields, ignoring case).
func decodeConversation(t *testing.T, doc []byte) document.Conversation {
	t.Helper()
	var c document.Conversation
	if err := json.Unmarshal(doc, &c); err != nil {
		t.Fatalf("stored document %s: %v", doc, err)
	}
	return c
}

func TestSQLiteMigrateIngestReadHour(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db.sqlite")
	s := openSQLite(t, path)
	if err := s.Migrate(sysCtx()); err != nil { // idempotent
		t.Fatalf("second migrate: %v", err)
	}
	tn, err := s.CreateTenant(sysCtx(), "Acme", TenantSettings{Enabled: true, RetentionMonths: 2})
	if err != nil {
		t.Fatal(err)
	}
	h := document.NewHour(time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC), 15)
	at := h.From().Add(5 * time.Minute)
	batch := []document.Conversation{
		conv("c-2", at, "m-1", "m-2"),
		conv("c-1", at.Add(time.Microsecond), "m-1"),
		conv("c-out", h.To(), "m-1"), // the next hour
	}
	if err := s.Ingest(sysCtx(), tn.ID, document.Batch(batch)); err != nil {
		t.Fatal(err)
	}
	info, ids, msgs := readHour(t, s, tn.ID, h)
	if info.ConversationCount != 2 || info.MessageCount != 3 || info.DataVersion != 1 {
		t.Fatalf("info %+v", info)
	}
	if !slices.Equal(ids, []string{"c-2", "c-1"}) || !slices.Equal(msgs[0], []string{"m-1", "m-2"}) {
		t.Fatalf("order %v %v", ids, msgs)
	}
	// A second write replaces the messages and bumps the hour.
	if err := s.Ingest(sysCtx(), tn.ID, document.Batch([]document.Conversation{conv("c-2", at, "m-9")})); err != nil {
		t.Fatal(err)
	}
	info, _, msgs = readHour(t, s, tn.ID, h)
	if info.DataVersion != 2 || info.MessageCount != 2 || !slices.Equal(msgs[0], []string{"m-9"}) {
		t.Fatalf("after rewrite %+v %v", info, msgs)
	}
	// Another tenant sees nothing of it.
	other := viewer.TenantContext(context.Background(), "test", uuid.New())
	if n, err := s.client.Conversation.Query().Count(other); err != nil || n != 0 {
		t.Fatalf("other tenant sees %d conversations (%v)", n, err)
	}
}

// TestSQLiteOrdersIdsByBytes checks the tie-break on Id is byte order (the
// collation "C" of PostgreSQL), not a locale's or a case-insensitive one.
func TestSQLiteOrdersIdsByBytes(t *testing.T) {
	s := openSQLite(t, filepath.Join(t.TempDir(), "db.sqlite"))
	tn, err := s.CreateTenant(sysCtx(), "Acme", TenantSettings{Enabled: true, RetentionMonths: 1})
	if err != nil {
		t.Fatal(err)
	}
	h := document.NewHour(time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC), 9)
	at := h.From().Add(time.Minute)
	ids := []string{"b", "a", "B", "Z", "é", "e", "10", "9", "a-1", "a_1", "ä", "日本", "😀", "A"}
	var batch []document.Conversation
	for _, id := range ids {
		batch = append(batch, conv(id, at, "z", "Z", "é", "a"))
	}
	if err := s.Ingest(sysCtx(), tn.ID, document.Batch(batch)); err != nil {
		t.Fatal(err)
	}
	_, got, msgs := readHour(t, s, tn.ID, h)
	want := slices.Clone(ids)
	slices.Sort(want) // Go compares strings byte by byte
	if !slices.Equal(got, want) {
		t.Fatalf("conversations %q, want %q", got, want)
	}
	// Messages: SentAt first ("z" and "é" at start, "Z" and "a" a second
	// later), then Id in byte order.
	if want := []string{"z", "é", "Z", "a"}; !slices.Equal(msgs[0], want) {
		t.Fatalf("messages %q, want %q", msgs[0], want)
	}
}

func TestSQLiteTimesCompareAsInstants(t *testing.T) {
	s := openSQLite(t, filepath.Join(t.TempDir(), "db.sqlite"))
	tn, err := s.CreateTenant(sysCtx(), "Acme", TenantSettings{Enabled: true, RetentionMonths: 1})
	if err != nil {
		t.Fatal(err)
	}
	h := document.NewHour(time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC), 10)
	// Whole and fractional seconds, written through a non-UTC zone.
	zone := time.FixedZone("x", -5*3600)
	batch := []document.Conversation{
		conv("last", h.To().Add(-time.Microsecond).In(zone), "m"),
		conv("first", h.From().In(zone), "m"),
		conv("mid", h.From().Add(90*time.Second+500*time.Millisecond), "m"),
		conv("mid2", h.From().Add(91*time.Second), "m"),
		conv("before", h.From().Add(-time.Microsecond), "m"),
	}
	if err := s.Ingest(sysCtx(), tn.ID, document.Batch(batch)); err != nil {
		t.Fatal(err)
	}
	_, got, _ := readHour(t, s, tn.ID, h)
	if want := []string{"first", "mid", "mid2", "last"}; !slices.Equal(got, want) {
		t.Fatalf("hour holds %q, want %q", got, want)
	}
}

func TestSQLiteReopenKeepsData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db.sqlite")
	s, err := OpenSQLite(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(sysCtx()); err != nil {
		t.Fatal(err)
	}
	tn, err := s.CreateTenant(sysCtx(), "Acme", TenantSettings{Enabled: true, RetentionMonths: 3})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openSQLite(t, path)
	got, err := s.Tenant(sysCtx(), tn.ID)
	if err != nil || got.Name != "Acme" || got.RetentionMonths != 3 {
		t.Fatalf("after reopen: %+v %v", got, err)
	}
}

// TestSQLiteConcurrentWriters checks that writers queue for SQLite's one
// write lock instead of failing with "database is locked", while reads of
// an hour go on beside them.
func TestSQLiteConcurrentWriters(t *testing.T) {
	s := openSQLite(t, filepath.Join(t.TempDir(), "db.sqlite"))
	tn, err := s.CreateTenant(sysCtx(), "Acme", TenantSettings{Enabled: true, RetentionMonths: 1})
	if err != nil {
		t.Fatal(err)
	}
	h := document.NewHour(time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC), 11)
	errs := make(chan error, 16)
	for w := range 8 {
		go func() {
			for i := range 10 {
				id := fmt.Sprintf("c-%d-%d", w, i%3) // rewrites too
				errs <- s.Ingest(sysCtx(), tn.ID, document.Batch([]document.Conversation{conv(id, h.From().Add(time.Duration(i)*time.Second), "m-1", "m-2")}))
			}
		}()
		go func() {
			for range 10 {
				errs <- s.ReadHour(sysCtx(), tn.ID, h, func(HourInfo) error { return nil },
					func([]byte, int) error { return nil })
			}
		}()
	}
	for range 8 * 20 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	info, ids, _ := readHour(t, s, tn.ID, h)
	if len(ids) != 24 || info.MessageCount != 48 || info.DataVersion != 80 {
		t.Fatalf("after concurrent writes: %d conversations, %+v", len(ids), info)
	}
}

func TestSQLiteFileIsPrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db.sqlite")
	openSQLite(t, path)
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("database file: %v %v, want mode 0600", st, err)
	}
}
