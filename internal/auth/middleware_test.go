package auth

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// protected answers 200 with the viewer's subject, or 401 with the message
// and challenge of Require's error.
func protected() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, err := Require(r)
		if err != nil {
			w.Header().Set("WWW-Authenticate", Challenge(err))
			http.Error(w, apperr.MessageOf(err), http.StatusUnauthorized)
			return
		}
		if ctxV, ok := viewer.FromContext(r.Context()); !ok || ctxV.Subject != v.Subject {
			http.Error(w, "viewer not in context", http.StatusInternalServerError)
			return
		}
		w.Write([]byte(v.Subject))
	})
}

func TestMiddleware(t *testing.T) {
	s := mustSigner(t)
	tok := hs256(t, tenantClaims(nil))
	expired := hs256(t, tenantClaims(func(c jwt.MapClaims) { c["exp"] = 1 }))
	tests := []struct {
		name      string
		url       string
		auth      []string
		status    int
		body      string
		challenge string
	}{
		{"valid", "/r", []string{"Bearer " + tok}, 200, "client-1", ""},
		{"lowercase scheme", "/r", []string{"bearer " + tok}, 200, "client-1", ""},
		{"uppercase scheme", "/r", []string{"BEARER " + tok}, 200, "client-1", ""},
		{"missing header", "/r", nil, 401, msgMissing, "Bearer"},
		{"empty header", "/r", []string{""}, 401, msgMissing, "Bearer"},
		{"wrong scheme", "/r", []string{"Basic " + tok}, 401, msgMissing, "Bearer"},
		{"bare token", "/r", []string{tok}, 401, msgMissing, "Bearer"},
		{"scheme only", "/r", []string{"Bearer"}, 401, msgInvalid, `Bearer error="invalid_token"`},
		{"two tokens", "/r", []string{"Bearer " + tok + " " + tok}, 401, msgInvalid, `Bearer error="invalid_token"`},
		{"two headers", "/r", []string{"Bearer " + tok, "Bearer " + tok}, 401, msgInvalid, `Bearer error="invalid_token"`},
		{"expired", "/r", []string{"Bearer " + expired}, 401, msgInvalid, `Bearer error="invalid_token"`},
		{"query token only", "/r?access_token=" + tok, nil, 401, msgQueryString, `Bearer error="invalid_token"`},
		{"query token beside header", "/r?access_token=" + tok, []string{"Bearer " + tok}, 401, msgQueryString, `Bearer error="invalid_token"`},
		{"empty query token", "/r?access_token=", []string{"Bearer " + tok}, 401, msgQueryString, `Bearer error="invalid_token"`},
	}
	h := Middleware(s)(protected())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, tt.url, nil)
			for _, a := range tt.auth {
				req.Header.Add("Authorization", a)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tt.status || rec.Body.String() != tt.body && rec.Body.String() != tt.body+"\n" {
				t.Errorf("got %d %q, want %d %q", rec.Code, rec.Body.String(), tt.status, tt.body)
			}
			if got := rec.Header().Get("WWW-Authenticate"); got != tt.challenge {
				t.Errorf("WWW-Authenticate = %q, want %q", got, tt.challenge)
			}
		})
	}
}

func TestMiddlewareLeavesPublicRoutesAlone(t *testing.T) {
	public := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) })
	req := httptest.NewRequest(http.MethodGet, "/healthz", nil)
	req.Header.Set("Authorization", "Bearer nonsense")
	rec := httptest.NewRecorder()
	Middleware(mustSigner(t))(public).ServeHTTP(rec, req)
	if rec.Code != 200 || rec.Body.String() != "ok" {
		t.Fatalf("got %d %q", rec.Code, rec.Body.String())
	}
}

func TestRequireWithoutMiddlewareFailsClosed(t *testing.T) {
	_, err := Require(httptest.NewRequest(http.MethodGet, "/", nil))
	assertUnauthenticated(t, err, msgMissing)
	if !errors.Is(err, errNoCredentials) {
		t.Errorf("err = %v, want errNoCredentials", err)
	}
}
