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

// TestReadHourTenantRule checks, on PostgreSQL and SQLite, that an hour is
// read by its tenant and refused to another tenant and to no viewer at all
// before anything is read: neither callback runs.
func TestReadHourTenantRule(t *testing.T) {
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
			h := document.NewHour(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), 7)
			if err := s.Ingest(sysCtx(), tn.ID, document.Batch([]document.Conversation{conv("c-1", h.From(), "m-1", "m-2")})); err != nil {
				t.Fatal(err)
			}
			read := func(ctx context.Context) (starts, docs int, err error) {
				err = s.ReadHour(ctx, tn.ID, h, func(HourInfo) error { starts++; return nil },
					func([]byte, int) error { docs++; return nil })
				return starts, docs, err
			}
			if starts, docs, err := read(viewer.TenantContext(context.Background(), "test", tn.ID)); err != nil || starts != 1 || docs != 1 {
				t.Fatalf("own tenant: %d starts, %d documents, %v", starts, docs, err)
			}
			for who, ctx := range map[string]context.Context{
				"another tenant": viewer.TenantContext(context.Background(), "test", uuid.New()),
				"no viewer":      context.Background(),
			} {
				starts, docs, err := read(ctx)
				if apperr.CodeOf(err) != apperr.NotFound || starts != 0 || docs != 0 {
					t.Errorf("%s: %d starts, %d documents, %v; want tenant not found and nothing read", who, starts, docs, err)
				}
			}
		})
	}
}
