package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/ent"
	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/testenv"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// Chunk reads what the chunk's row records, on PostgreSQL and SQLite, under
// the tenant rule: a principal of another tenant sees no row, and no viewer
// at all is refused.
func TestChunkState(t *testing.T) {
	pg, err := OpenPostgres(testenv.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pg.Close() })
	if err := pg.Migrate(sysCtx()); err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]*Store{"postgres": pg, "sqlite": openSQLite(t, filepath.Join(t.TempDir(), "db.sqlite"))} {
		t.Run(name, func(t *testing.T) {
			tn, err := s.CreateTenant(sysCtx(), "acme", TenantSettings{Enabled: true, RetentionMonths: 1})
			if err != nil {
				t.Fatal(err)
			}
			ref := ChunkRef{TenantID: tn.ID, Hour: document.NewHour(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), 7)}
			own := viewer.TenantContext(context.Background(), "test", tn.ID)
			if st, err := s.Chunk(own, ref); st != nil || err != nil {
				t.Fatalf("no row: %+v, %v", st, err)
			}
			generated := time.Date(2026, 3, 2, 0, 30, 0, 0, time.UTC)
			want := Stored{BuiltVersion: 0, ConversationCount: 2, MessageCount: 5, SizeBytes: 123, SHA256: "abc", GeneratedAt: generated}
			if err := s.MarkStored(sysCtx(), ref, want); err != nil {
				t.Fatal(err)
			}
			st, err := s.Chunk(own, ref)
			if err != nil || st == nil || st.Ref != ref || st.Report == nil || *st.Report != want || !st.Fresh() || !st.Stored() || st.Failed() {
				t.Fatalf("stored: %+v, %v", st, err)
			}
			if err := s.bump(ref); err != nil {
				t.Fatal(err)
			}
			if st, err := s.Chunk(own, ref); err != nil || st.Fresh() || st.Report == nil {
				t.Fatalf("after new data: %+v, %v (want a stale report)", st, err)
			}
			if st, err := s.Chunk(viewer.TenantContext(context.Background(), "test", uuid.New()), ref); st != nil || err != nil {
				t.Errorf("another tenant: %+v, %v", st, err)
			}
			if st, err := s.Chunk(context.Background(), ref); st != nil || err == nil {
				t.Errorf("no viewer: %+v, %v", st, err)
			}
		})
	}
}

// bump raises ref's data version as ingestion does.
func (s *Store) bump(ref ChunkRef) error {
	return s.withTx(sysCtx(), func(tx *ent.Tx) error {
		return bumpHours(sysCtx(), tx.ReportChunk, ref.TenantID, map[document.Hour]struct{}{ref.Hour: {}})
	})
}
