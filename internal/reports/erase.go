package reports

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/ent"

	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/auth"
	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/retention"
	"github.com/dailyreports/dailyreports/internal/store"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// Purger deletes every version of an object; *blob.Store implements it.
type Purger interface {
	RemoveAllVersions(ctx context.Context, key string) error
}

// MaxErase is the most Ids one erasure may name.
const MaxErase = 1000

// ErasureResult is what an erasure did: conversations erased, and hours
// whose stored report was rebuilt without them.
type ErasureResult struct {
	Erased       int
	HoursRebuilt int
}

// EraseConversation erases one conversation of the tenant the viewer may
// write (conversations.write on its own tenant, or host_admin naming it in
// requested). A conversation the tenant does not have is NotFound, unless an
// earlier erasure of that Id had not finished: then this one finishes it.
func (s *Service) EraseConversation(ctx context.Context, requested, id string) error {
	v, err := auth.RequireContext(ctx)
	if err != nil {
		return err
	}
	scope := viewer.ScopeConversationsWrite
	if v.IsHost() {
		scope = viewer.ScopeHostAdmin
	}
	tenantID, err := auth.TenantFor(v, scope, requested)
	if err != nil {
		return err
	}
	if err := checkIDs([]string{id}); err != nil {
		return err
	}
	res, cleaned, err := s.erase(ctx, tenantID, []string{id})
	if err == nil && res.Erased == 0 && cleaned == 0 {
		return apperr.New(apperr.NotFound, "conversation not found")
	}
	return err
}

// EraseConversations erases conversations of a tenant by Id; only host
// administrators may. Ids the tenant has no conversation of are skipped.
func (s *Service) EraseConversations(ctx context.Context, tenantID uuid.UUID, ids []string) (ErasureResult, error) {
	if _, err := auth.RequireHost(ctx); err != nil {
		return ErasureResult{}, err
	}
	if err := checkIDs(ids); err != nil {
		return ErasureResult{}, err
	}
	if _, err := s.Store.Tenant(ctx, tenantID); err != nil {
		return ErasureResult{}, err
	}
	res, _, err := s.erase(ctx, tenantID, ids)
	return res, err
}

// erase deletes the conversations, then, before returning, makes sure no
// stored report of their hours holds them: every version of each hour's
// object is deleted, and an hour that had a stored report is rebuilt
// without them. cleaned counts the erasures finished. Should object storage
// fail, the erasures stay unfinished (the error is Unavailable); asking
// again, or the reconcile, finishes them.
func (s *Service) erase(ctx context.Context, tenantID uuid.UUID, ids []string) (res ErasureResult, cleaned int, err error) {
	erased, pending, err := s.Store.EraseConversations(ctx, tenantID, ids)
	if err != nil {
		return res, 0, err
	}
	res.Erased = erased
	if s.Erasures != nil && erased > 0 {
		s.Erasures(erased)
	}
	res.HoursRebuilt, err = s.FinishErasures(ctx, tenantID, pending)
	return res, len(pending), err
}

// FinishErasures cleans the hours of a tenant's unfinished erasures: each
// hour's object is deleted in every version, and rebuilt when the hour had
// a stored report and is inside the retention window. It records the
// erasures finished and returns how many hours it rebuilt.
func (s *Service) FinishErasures(ctx context.Context, tenantID uuid.UUID, pending []store.Erased) (int, error) {
	if len(pending) == 0 {
		return 0, nil
	}
	ctx = viewer.TenantContext(ctx, "erasure", tenantID)
	t, err := s.Store.Tenant(ctx, tenantID)
	if err != nil {
		return 0, err
	}
	hours := make(map[document.Hour]bool)
	ids := make([]int, len(pending))
	for i, e := range pending {
		hours[e.Hour], ids[i] = true, e.ID
	}
	rebuilt := 0
	for h := range hours {
		ref := store.ChunkRef{TenantID: tenantID, Hour: h}
		did, err := s.cleanHour(ctx, ref, retention.Expired(h.Day, t.RetentionMonths, s.now()))
		if err != nil {
			return rebuilt, err
		}
		if did {
			rebuilt++
		}
	}
	return rebuilt, s.Store.MarkErasuresDone(ctx, ids)
}

// cleanHour deletes every version of ref's object and, when the chunk had
// a stored report and the day has not expired, stores it again.
func (s *Service) cleanHour(ctx context.Context, ref store.ChunkRef, expired bool) (bool, error) {
	state, err := s.Store.Chunk(ctx, ref)
	if err != nil {
		return false, err
	}
	if err := s.Purge.RemoveAllVersions(ctx, document.ObjectKey(ref.TenantID, ref.Hour)); err != nil {
		return false, err
	}
	if expired || state == nil || state.Report == nil {
		return false, nil
	}
	if _, err := s.Builder.BuildAndStore(ctx, ref, SourceLive, StoreOptions{Overwrite: true}); err != nil {
		return false, err
	}
	return true, nil
}

// checkIDs refuses an erasure of no Id, of too many, or of an Id no
// conversation can have (1 to 256 bytes of UTF-8 without NUL).
func checkIDs(ids []string) error {
	switch {
	case len(ids) == 0:
		return apperr.New(apperr.Invalid, "ids must name at least one conversation")
	case len(ids) > MaxErase:
		return apperr.New(apperr.Invalid, "at most %d ids may be erased at once", MaxErase)
	}
	for _, id := range ids {
		if id == "" || len(id) > 256 || !utf8.ValidString(id) || strings.ContainsRune(id, 0) {
			return apperr.New(apperr.Invalid, "an Id must be 1 to 256 bytes of UTF-8 without NUL")
		}
	}
	return nil
}

// FinishUnfinished finishes the erasures whose cleanup an outage
// interrupted (the reconcile calls it), at most 100 a call.
func (s *Service) FinishUnfinished(ctx context.Context) error {
	pending, err := s.Store.UnfinishedErasures(viewer.SystemContext(ctx, "erasure"), 100)
	if err != nil {
		return err
	}
	for tenantID, erased := range pending {
		if _, err := s.FinishErasures(ctx, tenantID, erased); err != nil {
			return err
		}
	}
	return nil
}

// ErasureLog returns the latest erasures of a tenant, newest first (first:
// 50 by default, at most 100); only host administrators may read it.
func (s *Service) ErasureLog(ctx context.Context, tenantID uuid.UUID, first *int) ([]*ent.Erasure, error) {
	if _, err := auth.RequireHost(ctx); err != nil {
		return nil, err
	}
	n := 50
	if first != nil {
		if *first < 0 || *first > 100 {
			return nil, apperr.New(apperr.Invalid, "first must be between 0 and 100")
		}
		n = *first
	}
	return s.Store.Erasures(ctx, tenantID, n)
}
