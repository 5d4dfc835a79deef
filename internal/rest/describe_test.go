package rest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"testing"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/dailyreports/dailyreports/docs"
	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/rest"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// The description routes serve the documents committed under docs/, to
// anyone, with the OpenAPI document's server set to PUBLIC_URL.
func TestDescriptionsServeTheCommittedDocuments(t *testing.T) {
	e := apptest.New(t, apptest.Options{Env: map[string]string{"PUBLIC_URL": "https://reports.example.com/"}})
	committed := func(name string) []byte {
		b, err := os.ReadFile("../../docs/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	get := func(path, contentType string) []byte {
		t.Helper()
		resp := e.Do(http.MethodGet, path, "", nil)
		body := apptest.Read(t, resp)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != contentType || resp.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Fatalf("%s: %d %q %q", path, resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Access-Control-Allow-Origin"))
		}
		head := e.Do(http.MethodHead, path, "", nil)
		if b := apptest.Read(t, head); head.StatusCode != 200 || len(b) != 0 || head.Header.Get("ETag") != resp.Header.Get("ETag") {
			t.Fatalf("HEAD %s: %d, %d bytes, ETag %q", path, head.StatusCode, len(b), head.Header.Get("ETag"))
		}
		return body
	}

	if got := get(docs.ReportSchemaPath, "application/schema+json"); !bytes.Equal(got, committed("schemas/report-v1.json")) {
		t.Error("the served report schema differs from docs/schemas/report-v1.json")
	}
	served := get(docs.OpenAPIPath, "application/json")
	var doc struct{ Servers []struct{ URL string } }
	if err := json.Unmarshal(served, &doc); err != nil || len(doc.Servers) == 0 || doc.Servers[0].URL != "https://reports.example.com" {
		t.Fatalf("servers of the served document: %+v (%v)", doc.Servers, err)
	}
	withoutServer := bytes.Replace(served, []byte(`"https://reports.example.com"`), []byte(`"http://localhost:8080"`), 1)
	if !bytes.Equal(withoutServer, committed("openapi.json")) {
		t.Error("the served OpenAPI document differs from docs/openapi.json by more than its server")
	}
	var md map[string]any
	if err := json.Unmarshal(get(rest.MetadataPath, "application/json"), &md); err != nil ||
		md["issuer"] != "https://reports.example.com" || md["token_endpoint"] != "https://reports.example.com/connect/token" {
		t.Fatalf("metadata %v (%v)", md, err)
	}
}

// A standard OAuth 2.0 client discovers the token endpoint from the
// metadata (RFC 8414 §3) and gets tokens with either client authentication
// method it names, through a proxy at PUBLIC_URL, as in production.
func TestStandardClientDiscoversTheTokenEndpoint(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	issuer := "http://" + ln.Addr().String()
	e := apptest.New(t, apptest.Options{Env: map[string]string{"PUBLIC_URL": issuer}})
	target, _ := url.Parse(e.URL)
	proxy := &httptest.Server{Listener: ln, Config: &http.Server{Handler: httputil.NewSingleHostReverseProxy(target)}}
	proxy.Start()
	t.Cleanup(proxy.Close)

	md := discover(t, issuer)
	tenant := e.Tenant("acme", true, 1)
	client := createClient(t, e, tenant, viewer.ScopeReportsRead)
	styles := map[string]oauth2.AuthStyle{"client_secret_basic": oauth2.AuthStyleInHeader, "client_secret_post": oauth2.AuthStyleInParams}
	for _, method := range md.TokenEndpointAuthMethodsSupported {
		style, ok := styles[method]
		if !ok {
			t.Fatalf("metadata names an unknown authentication method %q", method)
		}
		cfg := clientcredentials.Config{
			ClientID: client.ClientID, ClientSecret: client.ClientSecret, TokenURL: md.TokenEndpoint,
			Scopes: []string{viewer.ScopeReportsRead}, AuthStyle: style,
		}
		hc := cfg.Client(context.Background())
		resp, err := hc.Get(issuer + apptest.ReportPath(yesterday().Format("2006-01-02"), 4, false))
		if err != nil {
			t.Fatalf("%s: %v", method, err)
		}
		if apptest.Read(t, resp); resp.StatusCode != 200 {
			t.Fatalf("%s: the report with the client's token: %d", method, resp.StatusCode)
		}
	}
	if len(md.TokenEndpointAuthMethodsSupported) != 2 {
		t.Errorf("authentication methods %v", md.TokenEndpointAuthMethodsSupported)
	}
}

// metadata is the part of RFC 8414 metadata a client-credentials client
// reads.
type metadata struct {
	Issuer                            string   `json:"issuer"`
	TokenEndpoint                     string   `json:"token_endpoint"`
	GrantTypesSupported               []string `json:"grant_types_supported"`
	TokenEndpointAuthMethodsSupported []string `json:"token_endpoint_auth_methods_supported"`
	ScopesSupported                   []string `json:"scopes_supported"`
	ResponseTypesSupported            []string `json:"response_types_supported"`
}

// discover fetches the metadata of issuer as RFC 8414 §3 has clients do,
// with the checks of §3.2 and §3.3 that discovery libraries (such as
// openid-client) make: 200, application/json, and an issuer identical to the
// one the URL was built from.
func discover(t *testing.T, issuer string) metadata {
	t.Helper()
	u, err := url.Parse(issuer)
	if err != nil {
		t.Fatal(err)
	}
	// The well-known string goes between the host and any path.
	u.Path = "/.well-known/oauth-authorization-server" + u.Path
	resp, err := http.Get(u.String())
	if err != nil {
		t.Fatal(err)
	}
	body := apptest.Read(t, resp)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("metadata: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var md metadata
	if err := json.Unmarshal(body, &md); err != nil {
		t.Fatal(err)
	}
	if md.Issuer != issuer {
		t.Fatalf("issuer %q, want %q, the URL the metadata was discovered from", md.Issuer, issuer)
	}
	if md.TokenEndpoint != issuer+"/connect/token" || !equalStrings(md.GrantTypesSupported, "client_credentials") ||
		!equalStrings(md.ScopesSupported, viewer.ScopeReportsRead, viewer.ScopeConversationsWrite, viewer.ScopeHostAdmin) ||
		md.ResponseTypesSupported == nil || len(md.ResponseTypesSupported) != 0 {
		t.Fatalf("metadata %s", body)
	}
	return md
}

func equalStrings(got []string, want ...string) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}
