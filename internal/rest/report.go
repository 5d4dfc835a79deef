package rest

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/auth"
	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/negotiate"
	"github.com/dailyreports/dailyreports/internal/reports"
)

var hourPattern = regexp.MustCompile(`^[0-9]{1,2}$`)

// HourRequest is a parsed request for one hour's report.
type HourRequest struct {
	Day        time.Time
	Hour       int
	Compressed bool
}

// ParseHourRequest validates the route's day and hour and the query's
// compressed: absent means false, else exactly one of true or false (any
// case); an empty value is malformed.
func ParseHourRequest(day, hour string, query url.Values) (HourRequest, error) {
	d, err := time.Parse(document.DayLayout, day)
	if err != nil || len(day) != len(document.DayLayout) {
		return HourRequest{}, apperr.New(apperr.Invalid, "utcDay must be a date as YYYY-MM-DD")
	}
	h := -1 // refused by document.CheckedHour
	if hourPattern.MatchString(hour) {
		h, _ = strconv.Atoi(hour)
	}
	if _, err := document.CheckedHour(d, h); err != nil {
		return HourRequest{}, err
	}
	comp, err := parseCompressed(query["compressed"])
	if err != nil {
		return HourRequest{}, err
	}
	return HourRequest{Day: d, Hour: h, Compressed: comp}, nil
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
	req, err := ParseHourRequest(r.PathValue("utcDay"), r.PathValue("utcHour"), r.URL.Query())
	if err == nil {
		_, err = auth.Require(r)
	}
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	rep, err := a.Reports.Fetch(r.Context(), r.Header.Get("X-Tenant-Id"), req.Day, req.Hour)
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
func setReportHeaders(h http.Header, rep *reports.Report) {
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
func serveZip(w http.ResponseWriter, r *http.Request, rep *reports.Report) {
	h := w.Header()
	h.Set("Content-Type", "application/zip")
	h.Set("Content-Disposition", `attachment; filename="`+rep.Meta.Hour.ZipName()+`"`)
	h.Set("ETag", `"`+rep.Meta.SHA256+`"`)
	http.ServeContent(w, r, "", rep.Meta.GeneratedAt, rep.Content)
}

// serveJSON serves the document inside the zip. Its ETag differs from the
// zip's: it names another representation of the same report. A client that
// accepts gzip gets the zip entry's deflate stream framed as gzip, nothing
// inflated or compressed again; the others get it inflated as it streams.
func (a *API) serveJSON(w http.ResponseWriter, r *http.Request, rep *reports.Report) {
	gz := negotiate.AcceptsEncoding(r, "gzip")
	etag := `"` + rep.Meta.SHA256 + `-json"`
	if gz {
		etag = `"` + rep.Meta.SHA256 + `-json-gzip"`
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Vary", h.Get("Vary")+", Accept-Encoding")
	h.Set("ETag", etag)
	if inm := r.Header.Get("If-None-Match"); inm != "" && etagMatch(inm, etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body, size, err := jsonBody(rep, gz)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	defer body.Close()
	if gz {
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("Content-Length", strconv.FormatInt(size, 10))
	if r.Method == http.MethodHead {
		return
	}
	if _, err := io.Copy(w, body); err != nil {
		a.Log.WarnContext(r.Context(), "report body interrupted", "err", err)
	}
}

// jsonBody is the document of rep and its length: gzipped from the zip's
// own deflate stream, or inflated.
func jsonBody(rep *reports.Report, gz bool) (io.ReadCloser, int64, error) {
	if gz {
		stream, n, err := document.GzipEntry(rep.Content, rep.Meta.Size)
		return io.NopCloser(stream), n, err
	}
	return document.OpenEntry(rep.Content, rep.Meta.Size)
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
