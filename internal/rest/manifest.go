package rest

import (
	"net/http"
	"strconv"
	"time"

	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/auth"
	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/reports"
)

// manifestJSON is the day's manifest as REST answers it.
type manifestJSON struct {
	TenantId        string
	UtcDay          string
	RetentionMonths int
	ExpiresAt       time.Time
	Hours           []manifestHourJSON
}

// manifestHourJSON is one hour; all but UtcHour and Status are null unless
// the hour is STORED.
type manifestHourJSON struct {
	UtcHour              int
	Status               reports.Status
	ConversationCount    *int
	MessageCount         *int
	SizeBytes            *int
	Sha256               *string
	GeneratedAt          *time.Time
	DownloadUrl          *string
	DownloadUrlExpiresAt *time.Time
}

// getManifest answers the day's 24 hours, with presigned links to the
// stored ones, building nothing (GET and HEAD).
func (a *API) getManifest(w http.ResponseWriter, r *http.Request) {
	day, ttl, err := parseManifestRequest(r)
	if err == nil {
		_, err = auth.Require(r)
	}
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	m, err := a.Reports.Manifest(r.Context(), r.Header.Get("X-Tenant-Id"), day, ttl)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, manifestOf(m))
}

// parseManifestRequest reads the day and the optional ttlSeconds.
func parseManifestRequest(r *http.Request) (time.Time, *int, error) {
	day := r.PathValue("utcDay")
	d, err := time.Parse(document.DayLayout, day)
	if err != nil || len(day) != len(document.DayLayout) {
		return time.Time{}, nil, apperr.New(apperr.Invalid, "utcDay must be a date as YYYY-MM-DD")
	}
	values, ok := r.URL.Query()["ttlSeconds"]
	if !ok {
		return d, nil, nil
	}
	n, err := strconv.Atoi(values[0])
	if len(values) != 1 || err != nil || n < 1 {
		return time.Time{}, nil, apperr.New(apperr.Invalid, "ttlSeconds must be given once, as a whole number of seconds of at least 1")
	}
	return d, &n, nil
}

func manifestOf(m *reports.Manifest) manifestJSON {
	out := manifestJSON{TenantId: m.TenantID.String(), UtcDay: m.Day.Format(document.DayLayout),
		RetentionMonths: m.RetentionMonths, ExpiresAt: m.ExpiresAt, Hours: make([]manifestHourJSON, len(m.Hours))}
	for i, h := range m.Hours {
		out.Hours[i] = manifestHourJSON{UtcHour: h.UtcHour(), Status: h.Status(),
			ConversationCount: h.ConversationCount(), MessageCount: h.MessageCount(), SizeBytes: h.SizeBytes(),
			Sha256: h.Sha256(), GeneratedAt: h.GeneratedAt()}
		if h.Link != nil {
			out.Hours[i].DownloadUrl, out.Hours[i].DownloadUrlExpiresAt = &h.Link.URL, &h.Link.ExpiresAt
		}
	}
	return out
}
