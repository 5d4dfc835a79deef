package config

import (
	"errors"
	"net"
	"net/url"
	"strings"
)

// publicURL validates PUBLIC_URL, or derives its default from the listen
// address: http://localhost:<port of HTTP_ADDR>. The result has no trailing
// slash, so paths are appended to it as they are.
func publicURL(raw, httpAddr string) (string, error) {
	if raw == "" {
		port := "8080"
		if _, p, err := net.SplitHostPort(httpAddr); err == nil && p != "" {
			port = p
		}
		return "http://localhost:" + port, nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		u.User != nil || u.RawQuery != "" || u.ForceQuery || strings.Contains(raw, "#") {
		return "", errors.New("PUBLIC_URL: must be an http or https URL without user info, query or fragment, such as https://reports.example.com")
	}
	return strings.TrimRight(raw, "/"), nil
}
