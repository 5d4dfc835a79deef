package rest_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

const ingestPath = "/api/external/conversations"

// post sends body to the ingestion route with contentType ("" for none).
func post(e *apptest.Env, token string, body []byte, contentType string, headers ...string) *http.Response {
	e.T.Helper()
	if contentType != "" {
		headers = append([]string{"Content-Type", contentType}, headers...)
	}
	return e.Do(http.MethodPost, ingestPath, token, body, headers...)
}

// wantAccepted checks a 200 {"accepted": n} answer.
func wantAccepted(t *testing.T, resp *http.Response, n int) {
	t.Helper()
	body := apptest.Read(t, resp)
	var got map[string]int
	if resp.StatusCode != 200 || json.Unmarshal(body, &got) != nil || len(got) != 1 || got["accepted"] != n {
		t.Fatalf("ingest: status %d body %s, want 200 {\"accepted\":%d}", resp.StatusCode, body, n)
	}
}

// jsonArray encodes conversations as a JSON array body.
func jsonArray(t *testing.T, convs ...apptest.Conv) []byte {
	t.Helper()
	b, err := json.Marshal(convs)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// ndjson encodes conversations one a line; a string is written as is.
func ndjson(t *testing.T, lines ...any) []byte {
	t.Helper()
	var buf bytes.Buffer
	for _, l := range lines {
		if s, ok := l.(string); ok {
			buf.WriteString(s + "\n")
			continue
		}
		b, err := json.Marshal(l)
		if err != nil {
			t.Fatal(err)
		}
		buf.Write(append(b, '\n'))
	}
	return buf.Bytes()
}

// hourDoc fetches the JSON report of one hour of yesterday and decodes it.
func hourDoc(t *testing.T, e *apptest.Env, read string, hour int, headers ...string) apptest.Doc {
	t.Helper()
	resp := e.Do(http.MethodGet, apptest.ReportPath(yesterday().Format("2006-01-02"), hour, false), read, nil, headers...)
	body := apptest.Read(t, resp)
	if resp.StatusCode != 200 {
		t.Fatalf("report of hour %d: status %d: %s", hour, resp.StatusCode, body)
	}
	return apptest.DecodeDoc(t, body)
}

// wantConversations checks that the report holds exactly want, in order.
func wantConversations(t *testing.T, doc apptest.Doc, want ...apptest.Conv) {
	t.Helper()
	msgs := 0
	for _, c := range want {
		msgs += len(c.Messages)
	}
	if want == nil {
		want = []apptest.Conv{}
	}
	if doc.ConversationCount != len(want) || doc.MessageCount != msgs || !reflect.DeepEqual(doc.Conversations, want) {
		got, _ := json.Marshal(doc.Conversations)
		exp, _ := json.Marshal(want)
		t.Fatalf("report of hour %d: counts %d/%d, conversations\n%s\nwant %d/%d\n%s",
			doc.UtcHour, doc.ConversationCount, doc.MessageCount, got, len(want), msgs, exp)
	}
}

// inHour returns a time in the given hour of yesterday.
func inHour(hour, minute int) time.Time {
	return yesterday().Add(time.Duration(hour)*time.Hour + time.Duration(minute)*time.Minute)
}

// Both body formats are accepted and answer {"accepted": N}; the hour's
// report then holds exactly what they carried, by the hour rule (UTC, start
// of the hour inclusive), in report order, times in UTC.
func TestIngestJSONArrayAndNDJSON(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	tenant := e.Tenant("acme", true, 1)
	write := e.Token(tenant, viewer.ScopeConversationsWrite)
	read := e.Token(tenant, viewer.ScopeReportsRead)

	a := apptest.NewConv("a", inHour(10, 5))
	tie := apptest.Msg{Id: "m-0", SentAt: a.Messages[1].SentAt, Sender: "agent", Text: "same time, smaller Id"}
	a.Messages = []apptest.Msg{a.Messages[0], tie, a.Messages[1]}
	sentA := a
	sentA.Messages = []apptest.Msg{a.Messages[2], a.Messages[1], a.Messages[0]}
	b := apptest.NewConv("b", inHour(10, 1))
	b.EndedAt, b.Messages = nil, b.Messages[:1]
	last := apptest.NewConv("last", inHour(11, 0).Add(-time.Microsecond))
	body := jsonArray(t, sentA, b, last)
	wantAccepted(t, post(e, write, body, "application/json; charset=utf-8"), 3)
	wantConversations(t, hourDoc(t, e, read, 10), b, a, last)

	c, d := apptest.NewConv("c", inHour(11, 0)), apptest.NewConv("d", inHour(11, 30))
	d.Messages = []apptest.Msg{}
	start := inHour(11, 15).Add(123456789 * time.Nanosecond)
	offset := apptest.NewConv("e", start.Truncate(time.Microsecond))
	sentOffset := apptest.NewConv("e", start.Truncate(time.Microsecond))
	sentOffset.StartedAt = start.In(time.FixedZone("", 2*3600)).Format(time.RFC3339Nano)
	wantAccepted(t, post(e, write, ndjson(t, c, "", d, sentOffset), "application/x-ndjson"), 3)
	wantConversations(t, hourDoc(t, e, read, 11), c, offset, d)
}

// Upsert by Id: the same conversation sent twice is stored once, and a later
// write replaces the earlier one, messages included, even once the hour's
// report is stored.
func TestIngestUpsertReplaces(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	tenant := e.Tenant("acme", true, 1)
	write := e.Token(tenant, viewer.ScopeConversationsWrite)
	read := e.Token(tenant, viewer.ScopeReportsRead)

	first := apptest.NewConv("c-1", inHour(9, 10))
	wantAccepted(t, post(e, write, jsonArray(t, first), "application/json"), 1)
	wantAccepted(t, post(e, write, jsonArray(t, first), "application/json"), 1)
	wantConversations(t, hourDoc(t, e, read, 9), first)

	later := apptest.NewConv("c-1", inHour(9, 10))
	later.Status, later.EndedAt, later.Messages = "abandoned", nil, later.Messages[:1]
	later.Messages[0].Text = "changed"
	wantAccepted(t, post(e, write, ndjson(t, later), "application/x-ndjson"), 1)
	wantConversations(t, hourDoc(t, e, read, 9), later)

	// Within one batch, the last record of an Id wins.
	v1, v2 := apptest.NewConv("c-2", inHour(9, 20)), apptest.NewConv("c-2", inHour(9, 20))
	v2.Messages[1].Text = "second version"
	resp := post(e, write, jsonArray(t, v1, v2), "application/json")
	if b := apptest.Read(t, resp); resp.StatusCode != 200 {
		t.Fatalf("batch with a repeated Id: status %d: %s", resp.StatusCode, b)
	}
	wantConversations(t, hourDoc(t, e, read, 9), later, v2)
}

// An invalid record anywhere in a batch fails it with a 400 naming the record
// (or line) and the field, and nothing of the batch is stored: neither its
// valid records nor its changes to stored conversations.
func TestIngestInvalidRecordStoresNothing(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	tenant := e.Tenant("acme", true, 1)
	write := e.Token(tenant, viewer.ScopeConversationsWrite)
	read := e.Token(tenant, viewer.ScopeReportsRead)
	kept := apptest.NewConv("kept", inHour(14, 0))
	wantAccepted(t, post(e, write, jsonArray(t, kept), "application/json"), 1)
	wantConversations(t, hourDoc(t, e, read, 14), kept)

	changed := apptest.NewConv("kept", inHour(14, 0))
	changed.Messages = changed.Messages[:1]
	badSender := apptest.NewConv("bad", inHour(14, 3))
	badSender.Messages[1].Sender = "robot"
	badTime := apptest.NewConv("bad", inHour(14, 3))
	badTime.Messages[0].SentAt = "yesterday at noon"

	cases := []struct {
		name, contentType string
		body              []byte
		names             []string
	}{
		{"json record 2", "application/json",
			jsonArray(t, apptest.NewConv("new-1", inHour(14, 1)), changed, badSender, apptest.NewConv("new-2", inHour(15, 1))),
			[]string{"record 2", "Messages[1].Sender"}},
		{"ndjson line 3", "application/x-ndjson",
			ndjson(t, apptest.NewConv("new-1", inHour(14, 1)), changed, badTime, apptest.NewConv("new-2", inHour(15, 1))),
			[]string{"line 3", "Messages[0].SentAt"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := wantProblem(t, post(e, write, tc.body, tc.contentType), http.StatusBadRequest)
			for _, n := range tc.names {
				if !strings.Contains(p.Detail, n) {
					t.Errorf("detail %q does not name %q", p.Detail, n)
				}
			}
			wantConversations(t, hourDoc(t, e, read, 14), kept)
			wantConversations(t, hourDoc(t, e, read, 15))
		})
	}
}

// Who may ingest: a tenant token with conversations.write for its own
// tenant; every other caller is refused and stores nothing.
func TestIngestAuthorization(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	tenant := e.Tenant("acme", true, 1)
	other := e.Tenant("other", true, 1)
	host := e.Token(uuid.Nil, viewer.ScopeHostAdmin, viewer.ScopeConversationsWrite)
	body := jsonArray(t, apptest.NewConv("c-auth", inHour(16, 0)))

	cases := []struct {
		name   string
		token  string
		header []string
		status int
	}{
		{"no token", "", nil, 401},
		{"invalid token", e.Token(tenant, viewer.ScopeConversationsWrite) + "x", nil, 401},
		{"read scope only", e.Token(tenant, viewer.ScopeReportsRead), nil, 403},
		{"host_admin alone", e.Token(uuid.Nil, viewer.ScopeHostAdmin), []string{"X-Tenant-Id", tenant.String()}, 403},
		{"host without X-Tenant-Id", host, nil, 400},
		{"host with unknown X-Tenant-Id", host, []string{"X-Tenant-Id", uuid.NewString()}, 404},
		{"tenant naming another tenant", e.Token(tenant, viewer.ScopeConversationsWrite), []string{"X-Tenant-Id", other.String()}, 404},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := post(e, tc.token, body, "application/json", tc.header...)
			wantProblem(t, resp, tc.status)
			if tc.status == 401 && resp.Header.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
		})
	}
	for _, id := range []uuid.UUID{tenant, other} {
		wantConversations(t, hourDoc(t, e, e.Token(id, viewer.ScopeReportsRead), 16))
	}
}

// A body over the size limit is refused with 413 and one of an unsupported
// media type with 415; neither stores anything.
func TestIngestBodyLimits(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	tenant := e.Tenant("acme", true, 1)
	write := e.Token(tenant, viewer.ScopeConversationsWrite)

	// 560 valid records of ~60 KB each: about 33.6 MB, over the 32 MiB limit.
	var big []apptest.Conv
	for i := range 560 {
		c := apptest.NewConv(uuid.NewString(), inHour(17, i%60))
		c.Messages = c.Messages[:1]
		c.Messages[0].Text = strings.Repeat("x", 60_000)
		big = append(big, c)
	}
	body := jsonArray(t, big...)
	if len(body) <= 32<<20 {
		t.Fatalf("body of %d bytes is not over the limit", len(body))
	}
	wantProblem(t, post(e, write, body, "application/json"), http.StatusRequestEntityTooLarge)

	small := jsonArray(t, apptest.NewConv("c-1", inHour(17, 0)))
	wantProblem(t, post(e, write, small, "text/plain"), http.StatusUnsupportedMediaType)
	wantProblem(t, post(e, write, small, "application/json; charset=latin1"), http.StatusUnsupportedMediaType)

	wantConversations(t, hourDoc(t, e, e.Token(tenant, viewer.ScopeReportsRead), 17))
}

// Tenants are isolated: the same conversation Id in two tenants names two
// conversations, and a tenant's token learns nothing of another tenant, not
// even that it exists.
func TestIngestTenantIsolation(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	a, b := e.Tenant("a", true, 1), e.Tenant("b", true, 1)
	readA, readB := e.Token(a, viewer.ScopeReportsRead), e.Token(b, viewer.ScopeReportsRead)
	fromA, fromB := apptest.NewConv("c-1", inHour(18, 0)), apptest.NewConv("c-1", inHour(18, 0))
	fromA.Messages[0].Text, fromB.Messages[0].Text = "from a", "from b"
	fromB.Messages = fromB.Messages[:1]
	wantAccepted(t, post(e, e.Token(a, viewer.ScopeConversationsWrite), jsonArray(t, fromA), "application/json"), 1)
	wantAccepted(t, post(e, e.Token(b, viewer.ScopeConversationsWrite), jsonArray(t, fromB), "application/json"), 1)
	wantConversations(t, hourDoc(t, e, readA, 18), fromA)
	wantConversations(t, hourDoc(t, e, readB, 18), fromB)

	path := apptest.ReportPath(yesterday().Format("2006-01-02"), 18, false)
	writeA := e.Token(a, viewer.ScopeConversationsWrite)
	for _, probe := range []struct {
		name string
		send func(tenantID string) *http.Response
	}{
		{"read", func(id string) *http.Response { return e.Do(http.MethodGet, path, readA, nil, "X-Tenant-Id", id) }},
		{"write", func(id string) *http.Response {
			return post(e, writeA, jsonArray(t, apptest.NewConv("c-1", inHour(18, 0))), "application/json", "X-Tenant-Id", id)
		}},
	} {
		existing := wantProblem(t, probe.send(b.String()), http.StatusNotFound)
		for _, id := range []string{uuid.NewString(), "not-a-uuid"} {
			if unknown := wantProblem(t, probe.send(id), http.StatusNotFound); existing != unknown {
				t.Errorf("%s: another tenant answers %+v, %q %+v", probe.name, existing, id, unknown)
			}
		}
	}
	wantConversations(t, hourDoc(t, e, readB, 18), fromB)
}
