package graph_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/dailyreports/dailyreports/graph"
)

// Ways the fuzz target sends its document.
const (
	fuzzPost = iota // a JSON body {"query": …, "variables": …}
	fuzzGet         // query and variables in the URL
	fuzzRaw         // the document bytes as the whole body
	fuzzModes
)

// FuzzRequest sends arbitrary documents and variables through the GraphQL
// handler, with the playground on (introspection allowed, the widest
// surface): every answer is JSON with a status of the protocol, at most 21
// errors, never the request echoed, never a Go type name, never a 500.
func FuzzRequest(f *testing.F) {
	intro, err := os.ReadFile("testdata/introspection.graphql")
	if err != nil {
		f.Fatal(err)
	}
	var frags, unknown strings.Builder
	for i := 1; i <= 30; i++ {
		fmt.Fprintf(&frags, "fragment F%d on Query { a: __typename ...F%d ...F%d } ", i, i-1, i-1)
	}
	for i := range 300 {
		fmt.Fprintf(&unknown, "uf%04d ", i)
	}
	for _, doc := range []string{
		"{ __typename }",
		"{ " + strings.Repeat("__typename ", 1000) + "}",
		"fragment F0 on Query { __typename } " + frags.String() + "{ ...F30 }",
		"{ " + unknown.String() + "}",
		string(intro),
		`{ __schema { types { fields { type { fields { args { type { name } } } } } } } }`,
		`fragment A on Query { ...B } fragment B on Query { ...A } { ...A }`,
		`query($t: Int) { hourlyReport(utcDay: "2025-01-01", utcHour: 1) { downloadUrl(ttlSeconds: $t) { url } } }`,
		`mutation { createTenant(input: {name: "x"}) { id } }`,
		`[{"query": "{ __typename }"}, {"query": "{ __typename }"}]`,
	} {
		for mode := range fuzzModes {
			f.Add(uint8(mode), doc, `{"t": 2147483648}`)
		}
	}
	f.Add(uint8(fuzzPost), "{ viewer { subject } }", `[7]`)
	srv := graph.NewServer(&graph.Resolver{}, graph.Options{Playground: true, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	f.Fuzz(func(t *testing.T, mode uint8, doc, vars string) {
		req := fuzzRequest(mode%fuzzModes, doc, vars)
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		checkAnswer(t, rec, doc)
	})
}

func fuzzRequest(mode uint8, doc, vars string) *http.Request {
	var req *http.Request
	switch mode {
	case fuzzGet:
		q := url.Values{"query": {doc}, "variables": {vars}}
		req = httptest.NewRequest(http.MethodGet, "/graphql?"+q.Encode(), nil)
	case fuzzRaw:
		req = httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(doc))
	default:
		query, _ := json.Marshal(doc)
		body := `{"query": ` + string(query) + `, "variables": ` + vars + `}`
		req = httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/graphql-response+json, application/json;q=0.9")
	return req
}

func checkAnswer(t *testing.T, rec *httptest.ResponseRecorder, doc string) {
	t.Helper()
	raw := rec.Body.Bytes()
	switch rec.Code {
	case http.StatusOK, http.StatusBadRequest, http.StatusMethodNotAllowed, http.StatusRequestEntityTooLarge:
	default:
		t.Fatalf("status %d: %.300s", rec.Code, raw)
	}
	var out struct {
		Data   json.RawMessage
		Errors []json.RawMessage
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("answer is not JSON: %v: %.300s", err, raw)
	}
	if len(out.Errors) > 21 || (rec.Code != http.StatusOK && out.Data != nil) {
		t.Fatalf("%d: %d errors, data %.100s", rec.Code, len(out.Errors), out.Data)
	}
	if len(doc) >= 256 && bytes.Contains(raw, []byte(doc)) {
		t.Fatalf("the document is echoed: %.300s", raw)
	}
	for _, leak := range []string{"RawParams", "Go value", "Go struct", "goroutine", "runtime error"} {
		if bytes.Contains(raw, []byte(leak)) {
			t.Fatalf("%q in the answer: %.300s", leak, raw)
		}
	}
}
