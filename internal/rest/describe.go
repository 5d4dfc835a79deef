package rest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/dailyreports/dailyreports/docs"
	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// MetadataPath is where the OAuth 2.0 authorization server metadata
// (RFC 8414) is served.
const MetadataPath = "/.well-known/oauth-authorization-server"

// describeRoutes registers the documents that describe the API: the OpenAPI
// document, the report's JSON Schema and the authorization server metadata.
// They are public, built once, and answer If-None-Match with 304.
func (a *API) describeRoutes(mux *http.ServeMux) {
	mux.Handle("GET "+docs.OpenAPIPath, a.openAPIDocument())
	mux.Handle("GET "+docs.ReportSchemaPath, describedBy(docs.ReportSchema(), "application/schema+json"))
	mux.Handle("GET "+MetadataPath, describedBy(serverMetadata(a.PublicURL), "application/json"))
}

// openAPIDocument serves the OpenAPI document with PUBLIC_URL as its server.
func (a *API) openAPIDocument() http.Handler {
	doc, err := docs.OpenAPI(a.PublicURL)
	if err != nil {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			a.writeError(w, r, apperr.Wrap(err, apperr.Internal, "internal error"))
		})
	}
	return describedBy(doc, "application/json")
}

// describedBy serves body with a strong ETag (its SHA-256), to any origin.
func describedBy(body []byte, contentType string) http.Handler {
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:]) + `"`
	length := strconv.Itoa(len(body))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("ETag", etag)
		h.Set("Cache-Control", "public, max-age=300")
		h.Set("Access-Control-Allow-Origin", "*")
		if inm := r.Header.Get("If-None-Match"); inm != "" && etagMatch(inm, etag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		h.Set("Content-Type", contentType)
		h.Set("Content-Length", length)
		if r.Method != http.MethodHead {
			_, _ = w.Write(body)
		}
	})
}

// authorizationServer is the RFC 8414 metadata of the token endpoint.
type authorizationServer struct {
	Issuer                            string   `json:"issuer"`
	TokenEndpoint                     string   `json:"token_endpoint"`
	GrantTypesSupported               []string `json:"grant_types_supported"`
	TokenEndpointAuthMethodsSupported []string `json:"token_endpoint_auth_methods_supported"`
	ScopesSupported                   []string `json:"scopes_supported"`
	ResponseTypesSupported            []string `json:"response_types_supported"`
}

// serverMetadata describes the token endpoint of the service at publicURL.
// The issuer is publicURL, the URL clients discover from (RFC 8414 §3.3);
// the iss claim of access tokens is AUTH_ISSUER, which resource servers, not
// OAuth clients, check. There is no authorization endpoint, so no response
// types.
func serverMetadata(publicURL string) []byte {
	b, _ := json.MarshalIndent(authorizationServer{
		Issuer:                            publicURL,
		TokenEndpoint:                     publicURL + "/connect/token",
		GrantTypesSupported:               []string{"client_credentials"},
		TokenEndpointAuthMethodsSupported: []string{"client_secret_basic", "client_secret_post"},
		ScopesSupported:                   []string{viewer.ScopeReportsRead, viewer.ScopeConversationsWrite, viewer.ScopeHostAdmin},
		ResponseTypesSupported:            []string{},
	}, "", "  ")
	return append(b, '\n')
}
