package store

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/ent/migrate/migrations"
	"github.com/dailyreports/dailyreports/internal/document"
)

// release1Stores returns a store of each dialect whose database has the
// schema of release 1 and no migration history, as that release left it.
func release1Stores(t *testing.T) map[string]*Store {
	t.Helper()
	pg := openPostgres(t)
	loadSQL(t, pg, filepath.Join("testdata", "upgrade-release1", "schema.sql"))
	lite, err := OpenSQLite(filepath.Join(t.TempDir(), "db.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = lite.Close() })
	dir, err := migrations.Dir(dialect.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	files, _ := dir.Files()
	if _, err := lite.db.Exec(string(files[0].Bytes())); err != nil {
		t.Fatal(err)
	}
	return map[string]*Store{"postgres": pg, "sqlite": lite}
}

// oldConversation is a random conversation with messages in random order,
// some fields null, some text needing escapes, times of 0 to 6 fractional
// digits.
func oldConversation(r *rand.Rand, i int) document.Conversation {
	at := time.Date(2026, 11, 28, r.IntN(24), r.IntN(60), r.IntN(60), r.IntN(1e6)*1000, time.UTC)
	c := document.Conversation{ID: fmt.Sprintf("c-%05d", i), SessionID: fmt.Sprintf("s-%d", r.IntN(100)),
		Channel: "webchat", Language: "tr-TR", ProjectName: "destek \"ünï\"", StartedAt: at, Status: "completed"}
	if i%3 == 0 {
		end := at.Add(time.Duration(r.IntN(600)) * time.Second)
		c.EndedAt = &end
	}
	for j := range r.IntN(9) {
		m := document.Message{ID: fmt.Sprintf("m-%d-%d", r.IntN(5), j), SentAt: at.Add(time.Duration(r.IntN(4)) * time.Second),
			Sender: "user", Text: fmt.Sprintf("hello %d\n\t\u2028 </script> 🤖 %d", i, j)}
		if j%2 == 0 {
			intent, conf := "greeting", r.Float64()
			m.Intent, m.Confidence = &intent, &conf
		}
		c.Messages = append(c.Messages, m)
	}
	return c
}

// insertOld writes conversations into a release-1 database, as that
// release did: a row per conversation and one per message.
func insertOld(t testing.TB, s *Store, tenant uuid.UUID, convs []document.Conversation) {
	t.Helper()
	ctx := context.Background()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback() }()
	now := time.Now().UTC()
	if _, err := tx.ExecContext(ctx, s.bind(`INSERT INTO tenants (id, name, report_enabled, retention_months, created_at)
	  VALUES ($1, 'old', true, 1, $2)`), tenant, now); err != nil {
		t.Fatal(err)
	}
	for i := range convs {
		c := &convs[i]
		var id int64
		err := tx.QueryRowContext(ctx, s.bind(`INSERT INTO conversations (external_id, session_id, channel, language,
		  project_name, started_at, ended_at, status, updated_at, tenant_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		  RETURNING id`), c.ID, c.SessionID, c.Channel, c.Language, c.ProjectName, c.StartedAt, c.EndedAt, c.Status, now, tenant).Scan(&id)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range c.Messages {
			if _, err := tx.ExecContext(ctx, s.bind(`INSERT INTO messages (external_id, sent_at, sender, text, intent,
			  confidence, conversation_id, tenant_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`),
				m.ID, m.SentAt, m.Sender, m.Text, m.Intent, m.Confidence, id, tenant); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// TestConversionResumesAndEncodesAsReports converts a release-1 database of
// three batches, killed after the first: the next migrate resumes, and
// every conversation ends up with the document a report gives it.
func TestConversionResumesAndEncodesAsReports(t *testing.T) {
	const n = 3*convertBatch - 17
	r := rand.New(rand.NewPCG(1, 2))
	convs := make([]document.Conversation, n)
	msgs := 0
	for i := range convs {
		convs[i] = oldConversation(r, i)
		msgs += len(convs[i].Messages)
	}
	for name, s := range release1Stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			tenant := uuid.New()
			insertOld(t, s, tenant, convs)
			m, err := s.migrator()
			if err != nil {
				t.Fatal(err)
			}
			m.Steps[0].Run = func(ctx context.Context) error { // a process killed after one batch
				if _, _, err := s.encodeBatch(ctx, 0); err != nil {
					return err
				}
				return errors.New("killed")
			}
			if _, err := m.Apply(ctx); err == nil || !strings.Contains(err.Error(), "killed") {
				t.Fatalf("interrupted migrate: %v", err)
			}
			if done := countDocuments(t, s); done != convertBatch {
				t.Fatalf("%d conversations encoded after one batch", done)
			}
			start := time.Now()
			if err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			elapsed := time.Since(start)
			t.Logf("%s: migrate encoded the other %d conversations (of %d, %d messages) in %s, %s per 1000",
				name, n-convertBatch, n, msgs, elapsed.Round(time.Millisecond),
				(elapsed * 1000 / time.Duration(n-convertBatch)).Round(time.Millisecond))
			checkDocuments(t, s, tenant, convs)
			if diff := entDiff(t, s); diff != "" {
				t.Fatalf("the upgraded schema differs from ent/schema:\n%s", diff)
			}
		})
	}
}

func countDocuments(t *testing.T, s *Store) int {
	t.Helper()
	var n int
	if err := s.db.QueryRow("SELECT count(*) FROM conversations WHERE document IS NOT NULL").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// checkDocuments checks the stored conversations of tenant are convs, each
// as a report encodes it: messages by SentAt then Id.
func checkDocuments(t *testing.T, s *Store, tenant uuid.UUID, convs []document.Conversation) {
	t.Helper()
	rows, err := s.db.Query(s.bind(`SELECT external_id, started_at, message_count, document FROM conversations
	  WHERE tenant_id = $1 ORDER BY external_id`), tenant)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	i := 0
	for ; rows.Next(); i++ {
		var (
			id, doc string
			started time.Time
			count   int
		)
		if err := rows.Scan(&id, &started, &count, &doc); err != nil {
			t.Fatal(err)
		}
		want := document.Encode(&convs[i])
		if id != want.ID || !started.Equal(want.StartedAt) || count != want.Messages {
			t.Fatalf("row %d: %s %s %d, want %s %s %d", i, id, started, count, want.ID, want.StartedAt, want.Messages)
		}
		if doc != string(want.JSON) {
			t.Fatalf("conversation %s:\n got %s\nwant %s", id, doc, want.JSON)
		}
	}
	if i != len(convs) {
		t.Fatalf("%d conversations, want %d", i, len(convs))
	}
}
