package store

import (
	"context"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/ent"
	"github.com/dailyreports/dailyreports/ent/reportchunk"
	"github.com/dailyreports/dailyreports/ent/tenant"
)

// Retention is one tenant's retention setting.
type Retention struct {
	TenantID uuid.UUID
	Months   int
}

// Retentions returns the retention setting of every tenant the viewer can
// see, enabled or not, by tenant id.
func (s *Store) Retentions(ctx context.Context) ([]Retention, error) {
	var rows []struct {
		ID              uuid.UUID `json:"id"`
		RetentionMonths int       `json:"retention_months"`
	}
	err := s.client.Tenant.Query().Order(ent.Asc(tenant.FieldID)).
		Select(tenant.FieldID, tenant.FieldRetentionMonths).Scan(ctx, &rows)
	if err != nil {
		return nil, dbErr("list retentions", err)
	}
	out := make([]Retention, len(rows))
	for i, r := range rows {
		out[i] = Retention{TenantID: r.ID, Months: r.RetentionMonths}
	}
	return out, nil
}

// DeleteChunksBefore deletes the chunk rows of the tenant's days before day
// (YYYY-MM-DD, which orders like the dates) and returns how many it deleted.
func (s *Store) DeleteChunksBefore(ctx context.Context, tenantID uuid.UUID, day string) (int, error) {
	n, err := s.client.ReportChunk.Delete().
		Where(reportchunk.TenantID(tenantID), reportchunk.DayLT(day)).Exec(ctx)
	return n, dbErr("delete expired chunks", err)
}
