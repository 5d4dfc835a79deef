package rest

import (
	"net/http"
	"strings"

	"github.com/dailyreports/dailyreports/internal/apperr"
)

// problemsOnly makes every error answer under /api/ a problem document,
// including those net/http writes itself as plain text: the mux's 404 (no
// route) and 405 (another method; Allow is kept), and http.ServeContent's
// 416 (Content-Range is kept). Handlers keep writing their own problems.
func problemsOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api" && !strings.HasPrefix(r.URL.Path, "/api/") {
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(&problemWriter{ResponseWriter: w, r: r}, r)
	})
}

// problemWriter turns an error answer in plain text (what http.Error
// writes) into problem details, dropping the text.
type problemWriter struct {
	http.ResponseWriter
	r       *http.Request
	written bool
	swallow bool
}

func (w *problemWriter) WriteHeader(code int) {
	if !w.written && code >= 400 && strings.HasPrefix(w.Header().Get("Content-Type"), "text/plain") {
		w.written, w.swallow = true, true
		p := plainProblem(code, w.r, w.Header())
		writeProblem(w.ResponseWriter, code, p.code, p.text, 0, nil)
		return
	}
	w.written = true
	w.ResponseWriter.WriteHeader(code)
}

func (w *problemWriter) Write(p []byte) (int, error) {
	if w.swallow {
		return len(p), nil
	}
	if !w.written {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *problemWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// problemText is the code and detail of a problem document.
type problemText struct {
	code apperr.Code
	text string
}

// plainProblem describes an error net/http answered in plain text.
func plainProblem(status int, r *http.Request, h http.Header) problemText {
	switch status {
	case http.StatusNotFound:
		return problemText{apperr.NotFound, "no route matches " + clipText(r.Method, 16) + " " + clipText(r.URL.Path, 200)}
	case http.StatusMethodNotAllowed:
		return problemText{apperr.MethodNotAllowed, "this route does not allow " + clipText(r.Method, 16) + "; it allows " + h.Get("Allow")}
	case http.StatusRequestedRangeNotSatisfiable:
		size, _ := strings.CutPrefix(h.Get("Content-Range"), "bytes */")
		return problemText{apperr.RangeNotSatisfiable, "no part of the requested range lies within the " + size + " bytes of the report"}
	}
	if status >= 500 {
		return problemText{apperr.Internal, http.StatusText(status)}
	}
	return problemText{apperr.Invalid, http.StatusText(status)}
}

// clipText shortens a client-chosen string before a message echoes it.
func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
