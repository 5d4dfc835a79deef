package graph_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/dailyreports/dailyreports/internal/apptest"
)

// post sends body as it is to POST /graphql.
func post(t *testing.T, e *apptest.Env, token string, body []byte, headers ...string) response {
	t.Helper()
	return answer(t, e.Do(http.MethodPost, "/graphql", token, body, append([]string{"Content-Type", "application/json"}, headers...)...))
}

// wantMedia fails the test unless r is of media type mt.
func (r response) wantMedia(t *testing.T, status int, mt string) {
	t.Helper()
	if r.Status != status || r.Header.Get("Content-Type") != mt+"; charset=utf-8" {
		t.Fatalf("status %d, Content-Type %q; want %d %s: %.600s", r.Status, r.Header.Get("Content-Type"), status, mt, r.Raw)
	}
}

// GET answers queries as GraphQL over HTTP describes, in the media type the
// client accepts.
func TestGet(t *testing.T) {
	w := newWorld(t, apptest.Options{})
	for _, accept := range []string{mediaJSON, mediaResponse, "*/*", ""} {
		r := get(t, w.e, w.readA, map[string]string{"query": "{ viewer { subject } }"}, accept)
		want := mediaJSON
		if accept == mediaResponse {
			want = mediaResponse
		}
		r.wantMedia(t, http.StatusOK, want)
		var d struct{ Viewer struct{ Subject string } }
		r.ok(t, &d)
		if d.Viewer.Subject == "" {
			t.Fatalf("GET answered %s", r.Raw)
		}
	}
	r := get(t, w.e, w.readA, map[string]string{
		"query":         `query Day($d: Date!) { dailyReport(utcDay: $d) { utcDay } } query Who { viewer { subject } }`,
		"operationName": "Day", "variables": `{"d": "` + dayString(yesterday()) + `"}`,
	}, mediaResponse+", "+mediaJSON+";q=0.9")
	r.wantMedia(t, http.StatusOK, mediaResponse)
	if !strings.Contains(string(r.Data), dayString(yesterday())) {
		t.Fatalf("GET with variables: %s", r.Raw)
	}

	// A mutation over GET is 405 and does not run.
	r = get(t, w.e, w.host, map[string]string{"query": `mutation { createTenant(input: {name: "g"}) { id } }`}, mediaJSON)
	if r.Status != http.StatusMethodNotAllowed || r.Header.Get("Allow") != http.MethodPost || r.code(t) != "BAD_REQUEST" {
		t.Fatalf("mutation over GET: %d Allow %q %s", r.Status, r.Header.Get("Allow"), r.Raw)
	}
	if n := tenantCount(t, w); n != 2 {
		t.Fatalf("%d tenants after a mutation over GET", n)
	}
	for _, params := range []map[string]string{{}, {"query": "{ __typename }", "variables": "[7]"}, {"query": "{ __typename }", "variables": "{"}} {
		if r := get(t, w.e, w.readA, params, mediaJSON); r.Status != http.StatusBadRequest || r.code(t) != "BAD_REQUEST" {
			t.Fatalf("GET %v: %d %s", params, r.Status, r.Raw)
		}
	}
}

// Under application/graphql-response+json, a request refused before it
// runs is 400 without data; under application/json it is 200. An executed
// request is 200 in both.
func TestStatusCodes(t *testing.T) {
	w := newWorld(t, apptest.Options{})
	refused := map[string]string{
		"{ viewer { subject }":                                    "GRAPHQL_PARSE_FAILED",
		"{ viewer { nosuchfield } }":                              "GRAPHQL_VALIDATION_FAILED",
		"{ " + aliases(201, "__typename") + " }":                  "FIELD_LIMIT_EXCEEDED",
		`query($d: Date!) { dailyReport(utcDay: $d) { utcDay } }`: "GRAPHQL_VALIDATION_FAILED", // no $d
	}
	for q, code := range refused {
		body, _ := json.Marshal(map[string]any{"query": q})
		r := post(t, w.e, w.readA, body, "Accept", mediaResponse)
		r.wantMedia(t, http.StatusBadRequest, mediaResponse)
		if r.wantCode(t, code); r.Data != nil {
			t.Fatalf("a refused request has data: %s", r.Raw)
		}
		post(t, w.e, w.readA, body, "Accept", mediaJSON).wantMedia(t, http.StatusOK, mediaJSON)
	}
	// Executed, with a field error: 200, data null.
	r := do(t, w.e, "", `{ viewer { subject } }`, nil)
	if r.Status != http.StatusOK || r.code(t) != "UNAUTHENTICATED" {
		t.Fatalf("field error: %d %s", r.Status, r.Raw)
	}
	body, _ := json.Marshal(map[string]any{"query": `{ viewer { subject } }`})
	post(t, w.e, "", body, "Accept", mediaResponse).wantMedia(t, http.StatusOK, mediaResponse)

	// No acceptable media type: 406; a body that is not JSON: 415.
	if r := post(t, w.e, w.readA, body, "Accept", "text/plain"); r.Status != http.StatusNotAcceptable || r.code(t) != "BAD_REQUEST" {
		t.Fatalf("Accept: text/plain: %d %s", r.Status, r.Raw)
	}
	if r := answer(t, w.e.Do(http.MethodPost, "/graphql", w.readA, body, "Content-Type", "text/plain")); r.Status != http.StatusUnsupportedMediaType {
		t.Fatalf("text/plain body: %d %s", r.Status, r.Raw)
	}
}

// A body that is not one GraphQL request is 400 with a short error that
// quotes nothing of it, and batches are refused.
func TestMalformedBodies(t *testing.T) {
	w := newWorld(t, apptest.Options{})
	const marker = "marker-4f1d"
	for _, body := range []string{
		`[{"query": "{ __typename }", "operationName": "` + marker + `"}, {"query": "{ __typename }"}]`,
		`  [ {"query": "{ __typename }"} ]`,
		`{"query": "{ __typename }", "variables": ["` + marker + `"]}`,
		`{"query": 5, "x": "` + marker + `"}`,
		`{"operationName": "` + marker + `"}`,
		`{"query": "{ __typename }"} {"query": "` + marker + `"}`,
		`"` + marker + `"`,
		`{"query": "` + marker,
		``,
	} {
		r := post(t, w.e, w.readA, []byte(body))
		if r.Status != http.StatusBadRequest || r.code(t) != "BAD_REQUEST" {
			t.Fatalf("body %q: %d %s", body, r.Status, r.Raw)
		}
		if s := string(r.Raw); strings.Contains(s, marker) || strings.Contains(s, "Go value") || strings.Contains(s, "RawParams") ||
			strings.Contains(s, "json:") || len(s) > 300 {
			t.Fatalf("body %q answered %s", body, s)
		}
	}
	r := post(t, w.e, w.readA, []byte(`[{"query": "{ __typename }"}]`))
	if msg := r.Errors[0].Message; !strings.Contains(msg, "batch") {
		t.Fatalf("batch refused with %q", msg)
	}
}

// A body over 1 MiB is 413 with a clean error.
func TestBodyLimit(t *testing.T) {
	w := newWorld(t, apptest.Options{})
	body, _ := json.Marshal(map[string]any{"query": "{ __typename }" + strings.Repeat(" ", 1<<20)})
	r := post(t, w.e, w.readA, body)
	if r.Status != http.StatusRequestEntityTooLarge || r.code(t) != "BAD_REQUEST" || bytes.Contains(r.Raw, []byte("__typename")) {
		t.Fatalf("2 MiB body: %d %.300s", r.Status, r.Raw)
	}
	body, _ = json.Marshal(map[string]any{"query": "{ __typename }" + strings.Repeat(" ", 1<<20-100)})
	post(t, w.e, w.readA, body).ok(t, nil)
}
