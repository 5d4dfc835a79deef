package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"entgo.io/ent/dialect"
	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/ent/reportchunk"
	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// StoredState is what serving a report needs of its chunk's row: the hour's
// data version and the stored report it records (SHA-256 empty and size 0
// while none is recorded).
type StoredState struct {
	DataVersion int64
	SHA256      string
	SizeBytes   int64
}

// storedStateQuery selects a chunk's StoredState; PostgreSQL placeholders.
var storedStateQuery = "SELECT " + reportchunk.FieldDataVersion + ", " + reportchunk.FieldSha256 + ", " +
	reportchunk.FieldSizeBytes + " FROM " + reportchunk.Table + " WHERE " + reportchunk.FieldTenantID +
	" = $1 AND " + reportchunk.FieldDay + " = $2 AND " + reportchunk.FieldHour + " = $3"

// StoredState returns the stored state of ref's chunk, or nil when it has no
// row. Every report fetch asks it, so it is one prepared statement — one
// round trip, nothing to build — instead of an ent query, which cost three
// times the CPU and two round trips.
//
// Being raw SQL it escapes ent's privacy rules, so it applies them itself:
// the viewer must be one that may read ref's tenant (mayRead, the rule of
// internal/rule), and the statement filters by that tenant.
func (s *Store) StoredState(ctx context.Context, ref ChunkRef) (*StoredState, error) {
	if !mayRead(ctx, ref.TenantID) {
		return nil, apperr.New(apperr.NotFound, "not found")
	}
	stmt, err := s.storedStateStmt(ctx)
	if err != nil {
		return nil, dbErr("prepare chunk state", err)
	}
	var st StoredState
	err = stmt.QueryRowContext(ctx, ref.TenantID, ref.Hour.DayString(), ref.Hour.Hour).
		Scan(&st.DataVersion, &st.SHA256, &st.SizeBytes)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, dbErr("get chunk state", err)
	}
	return &st, nil
}

// storedStateStmt prepares the statement of StoredState on first use; a
// failure is not remembered, so a database that was down is tried again.
func (s *Store) storedStateStmt(ctx context.Context) (*sql.Stmt, error) {
	s.stmtMu.Lock()
	defer s.stmtMu.Unlock()
	if s.stateStmt != nil {
		return s.stateStmt, nil
	}
	q := storedStateQuery
	if s.dialect != dialect.Postgres {
		q = strings.NewReplacer("$1", "?", "$2", "?", "$3", "?").Replace(q)
	}
	stmt, err := s.db.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	s.stateStmt = stmt
	return stmt, nil
}

// mayRead reports whether the viewer in ctx may read tenantID's rows, as the
// privacy rules decide: the service itself, host administrators and the
// tenant's own principals.
func mayRead(ctx context.Context, tenantID uuid.UUID) bool {
	v, ok := viewer.FromContext(ctx)
	switch {
	case !ok:
		return false
	case v.System || v.IsHost():
		return true
	}
	tid, ok := v.Tenant()
	return ok && tid == tenantID
}
