package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/store"
	"github.com/dailyreports/dailyreports/internal/testenv"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// openStore returns a migrated store over a fresh PostgreSQL database.
func openStore(t *testing.T) *store.Store {
	t.Helper()
	s, err := store.OpenPostgres(testenv.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

func system() context.Context { return viewer.SystemContext(context.Background(), "test") }

// DeleteChunksBefore deletes one tenant's rows of days before the cutoff,
// whatever their status, and nothing else; a second call deletes nothing.
func TestDeleteChunksBefore(t *testing.T) {
	s := openStore(t)
	ctx := system()
	var ids []uuid.UUID
	for _, name := range []string{"a", "b"} {
		tn, err := s.CreateTenant(ctx, name, store.TenantSettings{RetentionMonths: 1})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, tn.ID)
	}
	days := []string{"2026-03-31", "2026-04-01", "2026-04-02"}
	for _, id := range ids {
		for _, d := range days {
			day, _ := time.Parse(document.DayLayout, d)
			for _, h := range []int{0, 23} {
				ref := store.ChunkRef{TenantID: id, Hour: document.NewHour(day, h)}
				if err := s.MarkBuilding(ctx, ref, "run", 1); err != nil {
					t.Fatal(err)
				}
				if h == 0 {
					if _, err := s.MarkStored(ctx, ref, store.Stored{GeneratedAt: time.Now()}, nil); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
	}
	n, err := s.DeleteChunksBefore(ctx, ids[0], "2026-04-02")
	if err != nil || n != 4 {
		t.Fatalf("deleted %d rows, err %v; want the 4 rows of two days", n, err)
	}
	if n, err := s.DeleteChunksBefore(ctx, ids[0], "2026-04-02"); err != nil || n != 0 {
		t.Fatalf("second delete: %d rows, err %v; want none", n, err)
	}
	var rows []*store.ChunkState
	for _, d := range days {
		cs, err := s.ChunksOfDay(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, cs...)
	}
	var left []string
	for _, r := range rows {
		if r.Ref.TenantID == ids[0] {
			left = append(left, r.Ref.Hour.DayString())
		}
	}
	if want := []string{"2026-04-02", "2026-04-02"}; !slices.Equal(left, want) {
		t.Fatalf("tenant a keeps days %v, want %v", left, want)
	}
	if len(rows) != 2+6 {
		t.Fatalf("%d rows left, want tenant b's 6 untouched", len(rows))
	}
}

// Retentions lists every tenant, enabled or not, by id.
func TestRetentions(t *testing.T) {
	s := openStore(t)
	ctx := system()
	want := make([]store.Retention, 0, 3)
	for i, set := range []store.TenantSettings{{Enabled: true, RetentionMonths: 1}, {RetentionMonths: 3}, {Enabled: true, RetentionMonths: 2}} {
		tn, err := s.CreateTenant(ctx, string(rune('a'+i)), set)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, store.Retention{TenantID: tn.ID, Months: set.RetentionMonths})
	}
	slices.SortFunc(want, func(a, b store.Retention) int { return slices.Compare(a.TenantID[:], b.TenantID[:]) })
	got, err := s.Retentions(ctx)
	if err != nil || !slices.Equal(got, want) {
		t.Fatalf("Retentions = %v, %v; want %v", got, err, want)
	}
}
