package store

import (
	"context"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/ent"
	"github.com/dailyreports/dailyreports/ent/auditentry"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// audit records a change of a tenant's setting from old (nil when the
// tenant is created) to set, made by the viewer in ctx, in tx.
func audit(ctx context.Context, tx *ent.Tx, tenantID uuid.UUID, old *TenantSettings, set TenantSettings) error {
	v, _ := viewer.FromContext(ctx)
	c := tx.AuditEntry.Create().SetTenantID(tenantID).SetActor(actorOf(v)).
		SetNewEnabled(set.Enabled).SetNewRetentionMonths(set.RetentionMonths)
	if old != nil {
		c.SetOldEnabled(old.Enabled).SetOldRetentionMonths(old.RetentionMonths)
	}
	return dbErr("record audit entry", c.Exec(ctx))
}

// actorOf names the principal of a change: its subject, or "system" for the
// service acting without one.
func actorOf(v viewer.Viewer) string {
	switch {
	case v.Subject != "" && len(v.Subject) <= 256:
		return v.Subject
	case v.Subject != "":
		return v.Subject[:256]
	}
	return "system"
}

// AuditLog returns the latest limit changes of a tenant's setting, newest
// first. Only host administrators and the service can read it.
func (s *Store) AuditLog(ctx context.Context, tenantID uuid.UUID, limit int) ([]*ent.AuditEntry, error) {
	es, err := s.client.AuditEntry.Query().Where(auditentry.TenantID(tenantID)).
		Order(ent.Desc(auditentry.FieldAt), ent.Desc(auditentry.FieldID)).Limit(limit).All(ctx)
	return es, dbErr("read audit log", err)
}
