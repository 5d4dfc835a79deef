package rest

import (
	"encoding/json"
	"net/http"

	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/auth"
	"github.com/dailyreports/dailyreports/internal/ingest"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// ingest upserts a batch of the tenant's conversations, all or nothing.
func (a *API) ingest(w http.ResponseWriter, r *http.Request) {
	v, err := auth.Require(r)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	tenantID, err := auth.TenantFor(v, viewer.ScopeConversationsWrite, r.Header.Get("X-Tenant-Id"))
	if err == nil {
		_, err = a.Store.Tenant(r.Context(), tenantID)
		if apperr.CodeOf(err) == apperr.NotFound {
			err = apperr.New(apperr.NotFound, "tenant not found")
		}
	}
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	batch, err := ingest.Decode(r.Body, r.Header.Get("Content-Type"), a.Limits)
	switch {
	case ingest.IsTooLarge(err):
		writeProblem(w, http.StatusRequestEntityTooLarge, "too_large", apperr.MessageOf(err), noRetry{}, err)
		return
	case ingest.IsUnsupportedType(err):
		writeProblem(w, http.StatusUnsupportedMediaType, "unsupported_media_type", apperr.MessageOf(err), noRetry{}, err)
		return
	case err != nil:
		a.writeError(w, r, err)
		return
	}
	if err := a.Store.Ingest(r.Context(), tenantID, batch); err != nil {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int{"accepted": len(batch)})
}

type noRetry struct{}

func (noRetry) Seconds() float64 { return 0 }

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
