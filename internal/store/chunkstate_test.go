package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/testenv"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// StoredState reads what the chunk's row records, on PostgreSQL and SQLite,
// and applies the tenant rule itself: a principal of another tenant, or no
// viewer at all, is refused.
func TestStoredState(t *testing.T) {
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
			if st, err := s.StoredState(own, ref); st != nil || err != nil {
				t.Fatalf("no row: %+v, %v", st, err)
			}
			if err := s.MarkStored(sysCtx(), ref, Stored{BuiltVersion: 0, SizeBytes: 123, SHA256: "abc"}); err != nil {
				t.Fatal(err)
			}
			st, err := s.StoredState(own, ref)
			if err != nil || st == nil || *st != (StoredState{DataVersion: 0, SHA256: "abc", SizeBytes: 123}) {
				t.Fatalf("stored: %+v, %v", st, err)
			}
			if st, err := s.StoredState(sysCtx(), ref); err != nil || st == nil {
				t.Fatalf("as the service: %+v, %v", st, err)
			}
			for who, ctx := range map[string]context.Context{
				"another tenant": viewer.TenantContext(context.Background(), "test", uuid.New()),
				"no viewer":      context.Background(),
			} {
				if st, err := s.StoredState(ctx, ref); st != nil || apperr.CodeOf(err) != apperr.NotFound {
					t.Errorf("%s: %+v, %v", who, st, err)
				}
			}
		})
	}
}
