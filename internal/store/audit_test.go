package store

import (
	"testing"

	"github.com/dailyreports/dailyreports/internal/testenv"
)

// The audit log is append-only: not even the service itself may delete an
// entry (the schema's privacy policy allows only creation).
func TestAuditEntriesCannotBeDeleted(t *testing.T) {
	s, err := OpenPostgres(testenv.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if err := s.Migrate(sysCtx()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateTenant(sysCtx(), "acme", TenantSettings{Enabled: true, RetentionMonths: 1}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.client.AuditEntry.Delete().Exec(sysCtx()); err == nil || n != 0 {
		t.Fatalf("audit entries deleted: %d (%v)", n, err)
	}
	if n, err := s.client.AuditEntry.Query().Count(sysCtx()); err != nil || n != 1 {
		t.Fatalf("%d audit entries (%v), want the creation's", n, err)
	}
}
