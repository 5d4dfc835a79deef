package embedded_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/dailyreports/dailyreports/internal/apptest"
)

// otherMachine is an HTTP client on another machine: it reaches only
// host (the name PUBLIC_URL gives, resolved to the proxy in front of the
// service); the service's loopback ports, the embedded store's among them,
// are out of its reach.
func otherMachine(host, proxyAddr string) *http.Client {
	return &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if addr != host {
				return nil, errors.New("unreachable from another machine: " + addr)
			}
			return (&net.Dialer{}).DialContext(ctx, network, proxyAddr)
		},
	}}
}

// In embedded mode a presigned link works from another machine: it is on
// PUBLIC_URL (here behind a reverse proxy that strips a path prefix, as
// production setups do), served by the API listener, and still checked:
// a tampered, expired or unsigned link, and any write, are refused.
func TestEmbeddedLinksWorkFromAnotherMachine(t *testing.T) {
	proxy := httptest.NewUnstartedServer(nil)
	host := fmt.Sprintf("reports.test:%d", proxy.Listener.Addr().(*net.TCPAddr).Port)
	public := "http://" + host + "/reports"
	e, _ := apptest.NewEmbedded(t, t.TempDir(), map[string]string{"PUBLIC_URL": public})
	backend, _ := url.Parse(e.URL)
	proxy.Config.Handler = &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		r.SetURL(backend)
		r.Out.URL.Path = strings.TrimPrefix(r.In.URL.Path, "/reports")
		r.Out.URL.RawPath = ""
	}}
	proxy.Start()
	t.Cleanup(proxy.Close)
	client := otherMachine(host, proxy.Listener.Addr().String())

	tenant := e.Tenant("Acme", true, 3)
	read := e.Token(tenant, "dataservice_external")
	day := time.Now().UTC().AddDate(0, 0, -1).Format("2006-01-02")
	at, _ := time.Parse("2006-01-02", day)
	e.Ingest(e.Token(tenant, "conversations.write"), []apptest.Conv{apptest.NewConv("c-1", at.Add(9*time.Hour))})
	zipBytes := fetchZip(t, e, read, day, 9, "live")

	link := downloadURL(t, client, public, read, day, 9)
	if !strings.HasPrefix(link, public+"/objects/") {
		t.Fatalf("link %q is not under PUBLIC_URL", link)
	}
	status, body, header := get(t, client, http.MethodGet, link)
	if status != http.StatusOK || string(body) != string(zipBytes) ||
		header.Get("Content-Disposition") != fmt.Sprintf(`attachment; filename="daily-report-%s-09.zip"`, day) {
		t.Fatalf("link from another machine: %d, %d bytes, %q", status, len(body), header.Get("Content-Disposition"))
	}

	u, _ := url.Parse(link)
	tampered := func(f func(q url.Values)) string {
		q := u.Query()
		f(q)
		c := *u
		c.RawQuery = q.Encode()
		return c.String()
	}
	other := *u
	other.Path = strings.Replace(u.Path, "-09.zip", "-10.zip", 1)
	other.RawPath = ""
	for name, l := range map[string]string{
		"another object":    other.String(),
		"a wrong signature": tampered(func(q url.Values) { q.Set("X-Amz-Signature", strings.Repeat("0", 64)) }),
		"a longer lifetime": tampered(func(q url.Values) { q.Set("X-Amz-Expires", "604800") }),
		"no signature":      public + "/objects/daily-reports/" + tenant.String() + "/",
		"the bucket":        public + "/objects/daily-reports",
	} {
		if status, body, _ := get(t, client, http.MethodGet, l); status != http.StatusForbidden || !strings.Contains(string(body), "AccessDenied") {
			t.Errorf("%s: %d %.200s", name, status, body)
		}
	}
	for _, m := range []string{http.MethodPut, http.MethodDelete, http.MethodPost} {
		if status, _, _ := get(t, client, m, link); status < 400 || status >= 500 {
			t.Errorf("%s of the link: %d", m, status)
		}
	}
	short := downloadURLTTL(t, client, public, read, day, 9, 1)
	time.Sleep(2100 * time.Millisecond)
	if status, body, _ := get(t, client, http.MethodGet, short); status != http.StatusForbidden || !strings.Contains(string(body), "expired") {
		t.Errorf("an expired link: %d %.200s", status, body)
	}
}

func downloadURL(t *testing.T, c *http.Client, base, token, day string, hour int) string {
	return downloadURLTTL(t, c, base, token, day, hour, 60)
}

// downloadURLTTL asks GraphQL, at base, for the hour's link valid ttl
// seconds.
func downloadURLTTL(t *testing.T, c *http.Client, base, token, day string, hour, ttl int) string {
	t.Helper()
	q := fmt.Sprintf(`{ hourlyReport(utcDay: %q, utcHour: %d) { downloadUrl(ttlSeconds: %d) { url } } }`, day, hour, ttl)
	body, _ := json.Marshal(map[string]string{"query": q})
	req, _ := http.NewRequest(http.MethodPost, base+"/graphql", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw := apptest.Read(t, resp)
	var out struct {
		Data struct {
			HourlyReport struct {
				DownloadURL struct{ URL string } `json:"downloadUrl"`
			}
		}
	}
	if err := json.Unmarshal(raw, &out); err != nil || out.Data.HourlyReport.DownloadURL.URL == "" {
		t.Fatalf("graphql through the proxy: %d %s", resp.StatusCode, raw)
	}
	return out.Data.HourlyReport.DownloadURL.URL
}

func get(t *testing.T, c *http.Client, method, u string) (int, []byte, http.Header) {
	t.Helper()
	req, err := http.NewRequest(method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b, resp.Header
}
