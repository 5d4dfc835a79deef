package retention

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/document"
)

// Every report key of a tenant parses back to its day; keys of another
// tenant and other names do not.
func TestKeyDay(t *testing.T) {
	id := uuid.MustParse("6f1c2b4e-0000-4000-8000-000000000001")
	prefix := reportPrefix(id)
	day := time.Date(2026, 2, 28, 0, 0, 0, 0, time.UTC)
	for h := range 24 {
		key := document.ObjectKey(id, document.NewHour(day, h))
		if got, ok := keyDay(key, prefix); !ok || got != "2026-02-28" {
			t.Fatalf("keyDay(%q) = %q, %t", key, got, ok)
		}
	}
	other := document.ObjectKey(uuid.MustParse("6f1c2b4e-0000-4000-8000-000000000002"), document.NewHour(day, 3))
	for _, key := range []string{
		other,
		id.String() + "/notes.txt",
		prefix + "2026-02-28-03.json",
		prefix + "2026-02-28-24.zip",
		prefix + "2026-02-30-03.zip",
		prefix + "2026-02-28-3.zip",
		prefix + "2026-02-28-003.zip",
		prefix + "2026-02-28-0a.zip",
		prefix + "2026-02-28_03.zip",
	} {
		if got, ok := keyDay(key, prefix); ok {
			t.Errorf("keyDay(%q) = %q, want no report key", key, got)
		}
	}
}
