package rest

import (
	"net/http"

	"github.com/dailyreports/dailyreports/internal/auth"
)

// eraseConversation erases one conversation everywhere: 204 once no path
// serves a report that holds it.
func (a *API) eraseConversation(w http.ResponseWriter, r *http.Request) {
	if _, err := auth.Require(r); err != nil {
		a.writeError(w, r, err)
		return
	}
	if err := a.Reports.EraseConversation(r.Context(), r.Header.Get("X-Tenant-Id"), r.PathValue("Id")); err != nil {
		a.writeError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
}
