package oauth

import (
	"context"
	"encoding/json"
	"log/slog"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/ent"
	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/auth"
)

// Issuer signs access tokens; *auth.Signer implements it.
type Issuer interface {
	Issue(subject string, tenantID uuid.UUID, scopes []string, ttl time.Duration) (string, time.Time, error)
}

// DefaultTokenTTL is the lifetime of issued tokens when Handler.TTL is zero.
const DefaultTokenTTL = time.Hour

// maxBody bounds a token request; real ones are a few hundred bytes.
const maxBody = 16 << 10

// Handler is the token endpoint (POST /connect/token): the client-credentials
// grant of RFC 6749 §4.4. Clients authenticate with HTTP Basic (§2.3.1) or
// with client_id and client_secret in the form, never both; scope may narrow
// the client's scopes. Issued tokens name the client as sub, carry its
// tenant (none for a host client) and work on every route.
type Handler struct {
	Clients *Clients
	Issuer  Issuer
	// TTL is the lifetime of issued tokens (0 means DefaultTokenTTL).
	TTL time.Duration
	Log *slog.Logger
	// Throttle limits failed client authentications; nil means one with
	// the default limits (DefaultClientBurst, …), made on first use.
	Throttle *Throttle

	once sync.Once
}

// tokenResponse is the successful answer (RFC 6749 §5.1).
type tokenResponse struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"`
	Scope       string `json:"scope"`
}

// ServeHTTP answers one token request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	req, err := parseRequest(w, r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	client, err := h.authenticate(r.Context(), r.RemoteAddr, req)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	resp, err := h.grant(client, req)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.Log.InfoContext(r.Context(), "token issued", "client_id", req.clientID, "scope", resp.Scope)
	h.Clients.used(r.Context(), client, time.Now(), h.Log)
	writeJSON(w, http.StatusOK, resp)
}

// throttle returns the handler's Throttle.
func (h *Handler) throttle() *Throttle {
	h.once.Do(func() {
		if h.Throttle == nil {
			h.Throttle = defaultThrottle()
		}
	})
	return h.Throttle
}

// authenticate checks the client's credentials, within the throttle's
// budget of failures for the client id and the remote address.
func (h *Handler) authenticate(ctx context.Context, remoteAddr string, req tokenRequest) (*ent.ApiClient, error) {
	t := h.throttle()
	att, wait := t.admit(throttleKey(req.clientID), remoteHost(remoteAddr), time.Now())
	if att == nil {
		return nil, throttled(wait)
	}
	client, err := h.Clients.authenticate(ctx, req.clientID, req.secret)
	t.done(att, client != nil || err != nil) // an outage is no failed guess
	if err != nil {
		return nil, err
	}
	if client == nil {
		return nil, errClient()
	}
	return client, nil
}

// grant issues the authenticated client's token.
func (h *Handler) grant(client *ent.ApiClient, req tokenRequest) (*tokenResponse, error) {
	switch req.grantType {
	case "":
		return nil, invalidRequest("grant_type is required")
	case "client_credentials":
	default:
		return nil, &oauthError{Code: "unsupported_grant_type", Description: "only client_credentials is supported"}
	}
	if req.scopeErr != nil {
		return nil, &oauthError{Code: "invalid_scope", Description: "scope must be scope tokens separated by spaces (RFC 6749 §3.3)"}
	}
	scopes := client.Scopes
	if len(req.scopes) > 0 {
		for _, s := range req.scopes {
			if !slices.Contains(client.Scopes, s) {
				return nil, &oauthError{Code: "invalid_scope", Description: "scope " + strconv.Quote(s) + " is not granted to this client"}
			}
		}
		scopes = slices.Compact(slices.Sorted(slices.Values(req.scopes)))
	}
	var tenant uuid.UUID
	if client.TenantID != nil {
		tenant = *client.TenantID
	}
	ttl := h.TTL
	if ttl <= 0 {
		ttl = DefaultTokenTTL
	}
	token, _, err := h.Issuer.Issue(client.ClientID, tenant, scopes, ttl)
	if err != nil {
		return nil, err
	}
	return &tokenResponse{
		AccessToken: token, TokenType: "Bearer",
		ExpiresIn: int64(ttl / time.Second), Scope: strings.Join(scopes, " "),
	}, nil
}

// tokenRequest is a parsed token request.
type tokenRequest struct {
	grantType        string
	clientID, secret string
	scopes           []string
	// scopeErr is why scope is malformed, answered once the client is
	// authenticated.
	scopeErr error
}

// parseRequest reads the form and the client's credentials. Parameters must
// come in the body, once each (RFC 6749 §3.2, §2.3.1).
func parseRequest(w http.ResponseWriter, r *http.Request) (tokenRequest, error) {
	var req tokenRequest
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/x-www-form-urlencoded" {
		return req, invalidRequest("the body must be application/x-www-form-urlencoded")
	}
	if r.URL.RawQuery != "" {
		return req, invalidRequest("parameters must be sent in the request body")
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if err := r.ParseForm(); err != nil {
		return req, invalidRequest("the body is not a valid form")
	}
	for k, v := range r.PostForm {
		if len(v) > 1 {
			return req, invalidRequest("parameter " + k + " is repeated")
		}
	}
	req.grantType = r.PostForm.Get("grant_type")
	req.scopes, req.scopeErr = auth.ParseScope(r.PostForm.Get("scope"))
	return req, clientCredentials(r, &req)
}

// clientCredentials reads the client's id and secret from HTTP Basic or the
// form.
func clientCredentials(r *http.Request, req *tokenRequest) error {
	form := r.PostForm
	if r.Header.Get("Authorization") == "" {
		req.clientID, req.secret = form.Get("client_id"), form.Get("client_secret")
		if req.clientID == "" || req.secret == "" {
			return &oauthError{Code: "invalid_client", Description: "client authentication is required"}
		}
		return nil
	}
	user, pass, ok := r.BasicAuth()
	if !ok {
		return &oauthError{Code: "invalid_client", Description: "unsupported client authentication method"}
	}
	if form.Has("client_secret") {
		return invalidRequest("use one client authentication method, not two")
	}
	id, err1 := queryUnescape(user)
	secret, err2 := queryUnescape(pass)
	if err1 != nil || err2 != nil || id == "" {
		return &oauthError{Code: "invalid_client", Description: "malformed client credentials"}
	}
	if form.Has("client_id") && form.Get("client_id") != id {
		return invalidRequest("client_id differs from the authenticated client")
	}
	req.clientID, req.secret = id, secret
	return nil
}

// fail answers err as an RFC 6749 §5.2 error.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	oe, ok := err.(*oauthError)
	if !ok {
		oe = serverError(err)
		h.Log.ErrorContext(r.Context(), "token request failed", "err", err)
	} else {
		h.Log.DebugContext(r.Context(), "token request refused", "error", oe.Code, "detail", oe.Description)
	}
	status := oe.status()
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="dailyreports", charset="UTF-8"`)
	}
	if s := max(oe.retryAfter, apperr.RetryAfterOf(err)); s > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(s.Seconds()+0.999)))
	}
	writeJSON(w, status, oe)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json;charset=UTF-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
