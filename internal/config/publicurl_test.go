package config

import "testing"

func TestPublicURL(t *testing.T) {
	cases := []struct{ publicURL, httpAddr, want string }{
		{"", "", "http://localhost:8080"},
		{"", ":9090", "http://localhost:9090"},
		{"", "127.0.0.1:8081", "http://localhost:8081"},
		{"https://reports.example.com", "", "https://reports.example.com"},
		{"https://reports.example.com/", "", "https://reports.example.com"},
		{"https://example.com/dailyreports/", ":9090", "https://example.com/dailyreports"},
		{"http://10.0.0.5:8080", "", "http://10.0.0.5:8080"},
	}
	for _, c := range cases {
		got, err := FromEnv(env(map[string]string{"PUBLIC_URL": c.publicURL, "HTTP_ADDR": c.httpAddr}))
		if err != nil || got.PublicURL != c.want {
			t.Errorf("PUBLIC_URL %q, HTTP_ADDR %q: %q, %v; want %q", c.publicURL, c.httpAddr, got.PublicURL, err, c.want)
		}
	}
}

func TestPublicURLInvalid(t *testing.T) {
	for _, raw := range []string{
		"reports.example.com", "ftp://example.com", "https://", "https://user:pw@example.com",
		"https://example.com/?x=1", "https://example.com/?", "https://example.com/#top", "http://[::1",
	} {
		if _, err := FromEnv(env(map[string]string{"PUBLIC_URL": raw})); err == nil {
			t.Errorf("PUBLIC_URL %q accepted", raw)
		}
	}
}
