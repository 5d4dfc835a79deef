package rest_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/rest"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// realServer serves the service's API handler with rest.NewServer, as the
// binary does, on a loopback port, and returns its address.
func realServer(t *testing.T, e *apptest.Env, o rest.ServerOptions) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := rest.NewServer(e.App.Handler(), o)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return ln.Addr().String()
}

// shortBodyTimes are server options that cut slow bodies fast: a body must
// arrive at 4000 bytes a second after a 300 ms grace.
func shortBodyTimes() rest.ServerOptions {
	o := rest.DefaultServerOptions()
	o.BodyGrace, o.BodyMinRate = 300*time.Millisecond, 4000
	return o
}

// trickle sends a request whose body of n bytes arrives in pieces of
// piece bytes every interval, and returns the response status (0 when the
// server closed the connection without one) and how long the exchange took.
func trickle(t *testing.T, addr, head string, body []byte, piece int, every time.Duration) (int, time.Duration) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(20 * time.Second))
	fmt.Fprintf(conn, "%sHost: test\r\nContent-Length: %d\r\n\r\n", head, len(body))
	start := time.Now()
	go func() {
		for i := 0; i < len(body); i += piece {
			if _, err := conn.Write(body[i:min(i+piece, len(body))]); err != nil {
				return
			}
			time.Sleep(every)
		}
	}()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return 0, time.Since(start)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, time.Since(start)
}

// A client sending a body a byte at a time is cut off once the body falls
// behind the minimum rate, on every route that reads one; the ingestion
// route answers 408 with problem details.
func TestSlowBodiesAreCut(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	tenant := e.Tenant("t", true, 1)
	write := e.Token(tenant, viewer.ScopeConversationsWrite)
	addr := realServer(t, e, shortBodyTimes())
	body := bytes.Repeat([]byte(" "), 200)
	for _, tc := range []struct {
		name, head string
		want       int // 0: any answer, or the connection closed
	}{
		{"token endpoint", "POST /connect/token HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\n", 0},
		{"graphql", "POST /graphql HTTP/1.1\r\nContent-Type: application/json\r\n", 0},
		{"ingestion", "POST " + ingestPath + " HTTP/1.1\r\nContent-Type: application/json\r\nAuthorization: Bearer " + write + "\r\n", http.StatusRequestTimeout},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// 200 bytes at 5 bytes a second would take 40 s.
			status, took := trickle(t, addr, tc.head, body, 1, 200*time.Millisecond)
			if took > 3*time.Second {
				t.Fatalf("the slow body held the connection for %v", took)
			}
			if tc.want != 0 && status != tc.want {
				t.Fatalf("status %d, want %d", status, tc.want)
			}
		})
	}
}

// A body that arrives in pieces, slowly but above the minimum rate, is read
// in full even though it takes longer than the grace.
func TestBodiesAboveTheRateAreRead(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	tenant := e.Tenant("t", true, 1)
	write := e.Token(tenant, viewer.ScopeConversationsWrite)
	addr := realServer(t, e, shortBodyTimes())
	var convs []apptest.Conv
	for i := range 8 {
		convs = append(convs, apptest.NewConv(fmt.Sprintf("c-%d", i), inHour(3, i)))
	}
	body := jsonArray(t, convs...)
	head := "POST " + ingestPath + " HTTP/1.1\r\nContent-Type: application/json\r\nAuthorization: Bearer " + write + "\r\n"
	// About 10,000 bytes a second: well above the 4,000 of the minimum rate.
	status, took := trickle(t, addr, head, body, 1000, 100*time.Millisecond)
	if status != http.StatusOK || took < 300*time.Millisecond {
		t.Fatalf("status %d after %v (%d bytes), want 200 after more than the grace", status, took, len(body))
	}
}

// Every answer carries X-Content-Type-Options: nosniff: REST, GraphQL,
// GraphiQL, the token endpoint, the probes and metrics, and errors of
// net/http itself.
func TestNosniffOnEveryAnswer(t *testing.T) {
	e := apptest.New(t, apptest.Options{Env: map[string]string{"GRAPHQL_PLAYGROUND": "true"}})
	tenant := e.Tenant("t", true, 1)
	read := e.Token(tenant, viewer.ScopeReportsRead)
	base := "http://" + realServer(t, e, rest.DefaultServerOptions())
	day := yesterday().Format("2006-01-02")
	for _, tc := range []struct {
		method, path, body string
		headers            []string
	}{
		{"GET", apptest.ReportPath(day, 2, false), "", []string{"Authorization", "Bearer " + read}},
		{"GET", apptest.ReportPath(day, 2, true), "", []string{"Authorization", "Bearer " + read}},
		{"GET", apptest.ReportPath(day, 2, true), "", nil},
		{"POST", ingestPath, "[]", []string{"Authorization", "Bearer " + read, "Content-Type", "application/json"}},
		{"POST", "/graphql", `{"query":"{ viewer { subject } }"}`, []string{"Authorization", "Bearer " + read, "Content-Type", "application/json"}},
		{"GET", "/graphql", "", []string{"Accept", "text/html"}},
		{"POST", "/connect/token", "grant_type=client_credentials&client_id=x&client_secret=y", []string{"Content-Type", "application/x-www-form-urlencoded"}},
		{"GET", "/healthz", "", nil},
		{"GET", "/readyz", "", nil},
		{"GET", "/metrics", "", nil},
		{"GET", "/api/nothing", "", nil},
		{"POST", apptest.ReportPath(day, 2, true), "", nil},
		{"GET", "/nothing", "", nil},
	} {
		req, err := http.NewRequest(tc.method, base+tc.path, strings.NewReader(tc.body))
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i+1 < len(tc.headers); i += 2 {
			req.Header.Set(tc.headers[i], tc.headers[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		apptest.Read(t, resp)
		if got := resp.Header.Values("X-Content-Type-Options"); len(got) != 1 || got[0] != "nosniff" {
			t.Errorf("%s %s (%d): X-Content-Type-Options %q", tc.method, tc.path, resp.StatusCode, got)
		}
	}
}
