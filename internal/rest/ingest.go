package rest

import (
	"encoding/json"
	"io"
	"net/http"

	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/auth"
	"github.com/dailyreports/dailyreports/internal/document"
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
	}
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	batch, release, err := a.readBatch(r)
	defer release()
	if err != nil {
		a.writeBodyError(w, r, err)
		return
	}
	if err := a.Store.Ingest(r.Context(), tenantID, batch); err != nil {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int{"accepted": len(batch)})
}

// readBatch decodes the request's batch within the ingestion budget. A
// declared length over the limit is refused before anything is read; the
// budget's share is held until release, as long as the decoded batch.
func (a *API) readBatch(r *http.Request) ([]document.Encoded, func(), error) {
	if err := a.Limits.CheckLength(r.ContentLength); err != nil {
		return nil, func() {}, err
	}
	var body io.Reader = r.Body
	release := func() {}
	if a.Budget != nil {
		size := r.ContentLength
		if size < 0 {
			size = a.Limits.WithDefaults().MaxBytes
		}
		body, release = a.Budget.Reader(r.Context(), r.Body, size)
	}
	batch, err := ingest.ReadBatch(body, r.Header.Get("Content-Type"), a.Limits)
	return batch, release, err
}

// writeBodyError answers an error of reading a request body; a body that
// arrived too slowly is a Timeout whatever the decoder made of it.
func (a *API) writeBodyError(w http.ResponseWriter, r *http.Request, err error) {
	if isSlowBody(err) {
		a.Log.InfoContext(r.Context(), "request body too slow", "err", err)
		err = apperr.Wrap(err, apperr.Timeout, errSlowBody.Error())
	}
	a.writeError(w, r, err)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
