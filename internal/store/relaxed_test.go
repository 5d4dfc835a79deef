package store

import (
	"context"
	"database/sql"
	"testing"

	"github.com/dailyreports/dailyreports/ent"
)

// A relaxed transaction commits without waiting for the flush, and only it:
// the setting does not stay on the pooled connection, and the transaction
// is still one unit.
func TestRelaxedCommitIsLocalToItsTransaction(t *testing.T) {
	s := openPostgres(t)
	s.db.SetMaxOpenConns(1) // the statement after runs on the relaxed transaction's connection
	ctx := sysCtx()
	setting := func(q interface {
		QueryContext(context.Context, string, ...any) (*sql.Rows, error)
	}) string {
		t.Helper()
		rows, err := q.QueryContext(ctx, "SELECT current_setting('synchronous_commit')")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var v string
		for rows.Next() {
			if err := rows.Scan(&v); err != nil {
				t.Fatal(err)
			}
		}
		return v
	}
	var inside string
	if err := s.relaxed(ctx, "test", func(c *ent.Client) error { inside = setting(c); return nil }); err != nil {
		t.Fatal(err)
	}
	if after := setting(s.client); inside != "off" || after != "on" {
		t.Fatalf("synchronous_commit: %q inside the relaxed transaction, %q after it", inside, after)
	}
}
