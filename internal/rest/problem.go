package rest

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/auth"
	"github.com/dailyreports/dailyreports/internal/metrics"
)

// Problem is an RFC 9457 problem details document.
type Problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
}

// statusOf maps the error vocabulary to HTTP statuses, once for all routes.
var statusOf = map[apperr.Code]int{
	apperr.Invalid:             http.StatusBadRequest,
	apperr.Unauthenticated:     http.StatusUnauthorized,
	apperr.Forbidden:           http.StatusForbidden,
	apperr.NotFound:            http.StatusNotFound,
	apperr.Gone:                http.StatusGone,
	apperr.Conflict:            http.StatusConflict,
	apperr.TooMany:             http.StatusTooManyRequests,
	apperr.Unavailable:         http.StatusServiceUnavailable,
	apperr.Internal:            http.StatusInternalServerError,
	apperr.TooLarge:            http.StatusRequestEntityTooLarge,
	apperr.UnsupportedMedia:    http.StatusUnsupportedMediaType,
	apperr.Timeout:             http.StatusRequestTimeout,
	apperr.MethodNotAllowed:    http.StatusMethodNotAllowed,
	apperr.RangeNotSatisfiable: http.StatusRequestedRangeNotSatisfiable,
}

// writeError answers err as problem details. Internal errors are logged with
// their cause and answered with a generic message.
func (a *API) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := apperr.CodeOf(err)
	status, ok := statusOf[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	level := slog.LevelDebug
	if status >= 500 {
		level = slog.LevelError
	}
	a.Log.Log(r.Context(), level, "request failed", "status", status, "err", err)
	if metrics.IsLiveBuildRefusal(err) {
		a.Metrics.LiveBuildsRefused.Inc()
	}
	writeProblem(w, status, code, apperr.MessageOf(err), apperr.RetryAfterOf(err), err)
}

// writeProblem writes a problem document with status.
func writeProblem(w http.ResponseWriter, status int, code apperr.Code, detail string, retry time.Duration, err error) {
	h := w.Header()
	if status == http.StatusUnauthorized {
		h.Set("WWW-Authenticate", auth.Challenge(err))
	}
	if s := retry.Seconds(); s > 0 {
		h.Set("Retry-After", strconv.Itoa(int(s+0.999)))
	}
	h.Set("Content-Type", "application/problem+json")
	h.Set("Cache-Control", "no-store")
	for _, k := range []string{"Content-Length", "ETag", "Last-Modified", "Content-Disposition"} {
		h.Del(k)
	}
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(Problem{
		Type:   "urn:dailyreports:problem:" + string(code),
		Title:  http.StatusText(status),
		Status: status,
		Detail: detail,
	})
}
