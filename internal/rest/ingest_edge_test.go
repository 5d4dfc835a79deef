package rest_test

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// A batch without a Content-Type is refused with 415, not taken as JSON.
func TestIngestWithoutContentType(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	tenant := e.Tenant("acme", true, 1)
	write := e.Token(tenant, viewer.ScopeConversationsWrite)
	p := wantProblem(t, post(e, write, jsonArray(t, apptest.NewConv("c-1", inHour(7, 0))), ""), http.StatusUnsupportedMediaType)
	if p.Detail != "missing content type: use application/json or application/x-ndjson" {
		t.Fatalf("detail %q", p.Detail)
	}
	wantConversations(t, hourDoc(t, e, e.Token(tenant, viewer.ScopeReportsRead), 7))
}

// Zone offsets past ±23:59, which Go's parser accepts, are refused with 400
// naming the record and the field.
func TestIngestZoneOffsetOutOfRange(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	tenant := e.Tenant("acme", true, 1)
	write := e.Token(tenant, viewer.ScopeConversationsWrite)
	ok := apptest.NewConv("ok", inHour(7, 0))
	bad := apptest.NewConv("bad", inHour(7, 1))
	bad.StartedAt = inHour(7, 1).Format("2006-01-02T15:04:05") + "+24:00"
	p := wantProblem(t, post(e, write, jsonArray(t, ok, bad), "application/json"), http.StatusBadRequest)
	if p.Detail != "record 1: StartedAt: must be an RFC 3339 time: a zone offset is at most ±23:59" {
		t.Fatalf("detail %q", p.Detail)
	}
	bad = apptest.NewConv("bad", inHour(7, 1))
	bad.Messages[0].SentAt = inHour(7, 1).Format("2006-01-02T15:04:05") + "-24:00"
	p = wantProblem(t, post(e, write, ndjson(t, ok, bad), "application/x-ndjson"), http.StatusBadRequest)
	if p.Detail != "line 2: Messages[0].SentAt: must be an RFC 3339 time: a zone offset is at most ±23:59" {
		t.Fatalf("detail %q", p.Detail)
	}
	wantConversations(t, hourDoc(t, e, e.Token(tenant, viewer.ScopeReportsRead), 7))
}

// A batch that declares more than the limit is refused at once, before a
// byte of its body is sent.
func TestIngestDeclaredTooLarge(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	write := e.Token(e.Tenant("acme", true, 1), viewer.ScopeConversationsWrite)
	conn, err := net.Dial("tcp", strings.TrimPrefix(e.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n",
		ingestPath, write, 33<<20)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer before the body: %v", err)
	}
	p := wantProblem(t, resp, http.StatusRequestEntityTooLarge)
	if p.Detail != "batch is larger than 32 MiB" {
		t.Fatalf("detail %q", p.Detail)
	}
}
