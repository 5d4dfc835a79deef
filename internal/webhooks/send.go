package webhooks

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"time"
)

// Delivery limits: the receiver's answer within Timeout, at most
// maxAnswer bytes of it read, headers of at most 16 KiB.
const (
	Timeout   = 10 * time.Second
	maxAnswer = 64 << 10
)

// newClient returns the HTTP client of deliveries: no proxy, no redirect
// followed, every address checked after resolution, a 10 s timeout.
func newClient(allowPrivate bool) *http.Client {
	dialer := &net.Dialer{Timeout: Timeout, Control: control(allowPrivate)}
	return &http.Client{
		Timeout: Timeout,
		Transport: &http.Transport{
			Proxy:                  nil,
			DialContext:            dialer.DialContext,
			TLSHandshakeTimeout:    Timeout,
			ResponseHeaderTimeout:  Timeout,
			MaxResponseHeaderBytes: 16 << 10,
			MaxIdleConns:           32,
			IdleConnTimeout:        30 * time.Second,
			ForceAttemptHTTP2:      true,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// message is one signed POST.
type message struct {
	url, id, secret string
	body            []byte
	at              time.Time
}

// result is what one attempt got: the receiver's status (0 when none
// answered) and, when it failed, why in the service's words.
type result struct {
	status   int
	reason   string
	duration time.Duration
}

// delivered reports whether the receiver accepted the message.
func (r result) delivered() bool { return r.status >= 200 && r.status < 300 }

// post sends m once.
func post(ctx context.Context, c *http.Client, m message) result {
	start := time.Now()
	sig, err := Sign(m.secret, m.id, m.at, m.body)
	if err != nil {
		return result{reason: "the signing secret is malformed"}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, m.url, bytes.NewReader(m.body))
	if err != nil {
		return result{reason: "the url cannot be requested"}
	}
	h := req.Header
	h.Set("Content-Type", "application/json")
	h.Set("User-Agent", "dailyreports-webhooks/1")
	h.Set("webhook-id", m.id)
	h.Set("webhook-timestamp", formatUnix(m.at))
	h.Set("webhook-signature", sig)
	resp, err := c.Do(req)
	d := time.Since(start)
	if err != nil {
		return result{reason: transportReason(err), duration: d}
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxAnswer))
	_ = resp.Body.Close()
	r := result{status: resp.StatusCode, duration: time.Since(start)}
	switch {
	case r.delivered():
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		r.reason = "redirect not followed"
	default:
		r.reason = "the receiver answered " + http.StatusText(resp.StatusCode)
	}
	return r
}

// transportReason names why no answer came, without the receiver's words.
func transportReason(err error) string {
	var ne net.Error
	switch {
	case errors.Is(err, ErrRefusedAddress):
		return "refused: the url resolves to a loopback or private address"
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()):
		return "timeout: no answer within 10 s"
	case errors.Is(err, context.Canceled):
		return "canceled"
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return "the host name does not resolve"
	}
	return "connection failed"
}
