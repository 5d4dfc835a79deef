package rest

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/dailyreports/dailyreports/internal/access"
	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/auth"
	"github.com/dailyreports/dailyreports/internal/chunk"
	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/store"
)

var hourPattern = regexp.MustCompile(`^[0-9]{1,2}$`)

// HourRequest is a parsed request for one hour's report.
type HourRequest struct {
	Hour       document.Hour
	Compressed bool
}

// ParseHourRequest validates the route's day and hour and the query's
// compressed: absent means false, else exactly one of true or false (any
// case); an empty value is malformed. The hour must have ended by now.
func ParseHourRequest(day, hour string, query url.Values, now time.Time) (HourRequest, error) {
	d, err := time.Parse(document.DayLayout, day)
	if err != nil || len(day) != len(document.DayLayout) {
		return HourRequest{}, apperr.New(apperr.Invalid, "utcDay must be a date as YYYY-MM-DD")
	}
	if !hourPattern.MatchString(hour) {
		return HourRequest{}, apperr.New(apperr.Invalid, "utcHour must be an hour from 0 to 23")
	}
	h, _ := strconv.Atoi(hour)
	if h > 23 {
		return HourRequest{}, apperr.New(apperr.Invalid, "utcHour must be an hour from 0 to 23")
	}
	comp, err := parseCompressed(query["compressed"])
	if err != nil {
		return HourRequest{}, err
	}
	req := HourRequest{Hour: document.NewHour(d, h), Compressed: comp}
	if req.Hour.To().After(now) {
		return HourRequest{}, apperr.New(apperr.Invalid, "the hour has not ended yet")
	}
	return req, nil
}

// parseCompressed reads the values of the compressed parameter.
func parseCompressed(values []string) (bool, error) {
	switch {
	case len(values) == 0:
		return false, nil
	case len(values) > 1:
		return false, apperr.New(apperr.Invalid, "compressed must be given once")
	case strings.EqualFold(values[0], "true"):
		return true, nil
	case strings.EqualFold(values[0], "false"):
		return false, nil
	}
	return false, apperr.New(apperr.Invalid, "compressed must be true or false")
}

// getReport serves one hour's report, zipped or as JSON (GET and HEAD).
func (a *API) getReport(w http.ResponseWriter, r *http.Request) {
	now := a.now()
	req, err := ParseHourRequest(r.PathValue("utcDay"), r.PathValue("utcHour"), r.URL.Query(), now)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	v, err := auth.Require(r)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	t, err := a.Access.ReportTenant(r.Context(), v, r.Header.Get("X-Tenant-Id"))
	if err == nil {
		err = access.CheckDay(t, req.Hour.Day, now)
	}
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	rep, err := a.Reports.Get(r.Context(), store.ChunkRef{TenantID: t.ID, Hour: req.Hour})
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	defer rep.Close()
	setReportHeaders(w.Header(), rep)
	if req.Compressed {
		serveZip(w, r, rep)
		return
	}
	a.serveJSON(w, r, rep)
}

// setReportHeaders writes the X-Report-* headers, shared by both forms.
func setReportHeaders(h http.Header, rep *chunk.Report) {
	m := rep.Meta
	h.Set("X-Report-Tenant-Id", m.TenantID.String())
	h.Set("X-Report-Utc-Day", m.Hour.DayString())
	h.Set("X-Report-Utc-Hour", strconv.Itoa(m.Hour.Hour))
	h.Set("X-Report-Conversation-Count", strconv.Itoa(m.ConversationCount))
	h.Set("X-Report-Message-Count", strconv.Itoa(m.MessageCount))
	h.Set("X-Report-Generated-At", m.GeneratedAt.UTC().Format(time.RFC3339))
	h.Set("X-Report-Source", rep.Source)
	h.Set("X-Report-Schema-Version", strconv.Itoa(m.SchemaVersion))
	h.Set("X-Report-Sha256", m.SHA256)
	// Reports belong to one tenant and change when late data arrives:
	// private, and revalidated (cheaply, by ETag) before reuse.
	h.Set("Cache-Control", "private, no-cache")
	h.Set("Vary", "Authorization, X-Tenant-Id")
}

// serveZip serves the zip with conditional requests and byte ranges.
func serveZip(w http.ResponseWriter, r *http.Request, rep *chunk.Report) {
	h := w.Header()
	h.Set("Content-Type", "application/zip")
	h.Set("Content-Disposition", `attachment; filename="`+rep.Meta.Hour.ZipName()+`"`)
	h.Set("ETag", `"`+rep.Meta.SHA256+`"`)
	http.ServeContent(w, r, "", rep.Meta.GeneratedAt, rep.Content)
}

// serveJSON streams the document out of the zip. Its ETag differs from the
// zip's: it names another representation of the same report.
func (a *API) serveJSON(w http.ResponseWriter, r *http.Request, rep *chunk.Report) {
	etag := `"` + rep.Meta.SHA256 + `-json"`
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("ETag", etag)
	if inm := r.Header.Get("If-None-Match"); inm != "" && etagMatch(inm, etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	rc, size, err := document.OpenEntry(rep.Content, rep.Meta.Size)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	defer rc.Close()
	h.Set("Content-Length", strconv.FormatInt(size, 10))
	if r.Method == http.MethodHead {
		return
	}
	if _, err := io.Copy(w, rc); err != nil {
		a.Log.WarnContext(r.Context(), "report body interrupted", "err", err)
	}
}

// etagMatch applies If-None-Match's weak comparison to one ETag.
func etagMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}
