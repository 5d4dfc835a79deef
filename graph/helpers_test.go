package graph_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/testenv"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// response is a GraphQL answer.
type response struct {
	Status int
	Header http.Header
	Raw    []byte
	Data   json.RawMessage // nil when the answer has no data entry
	Errors []gqlError
}

// The media types of GraphQL answers.
const (
	mediaJSON     = "application/json"
	mediaResponse = "application/graphql-response+json"
)

type gqlError struct {
	Message    string
	Path       []any
	Extensions map[string]any
}

// do posts a GraphQL operation with token ("" for none) and variables.
func do(t *testing.T, e *apptest.Env, token, query string, vars map[string]any) response {
	t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		t.Fatal(err)
	}
	return answer(t, e.Do(http.MethodPost, "/graphql", token, body, "Content-Type", "application/json"))
}

// get sends a GraphQL request over GET, its parameters in the URL,
// accepting the media type accept.
func get(t *testing.T, e *apptest.Env, token string, params map[string]string, accept string) response {
	t.Helper()
	q := url.Values{}
	for k, v := range params {
		q.Set(k, v)
	}
	return answer(t, e.Do(http.MethodGet, "/graphql?"+q.Encode(), token, nil, "Accept", accept))
}

// answer reads a GraphQL answer, failing the test unless it is JSON.
func answer(t *testing.T, resp *http.Response) response {
	t.Helper()
	raw := apptest.Read(t, resp)
	out := response{Status: resp.StatusCode, Header: resp.Header, Raw: raw}
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("graphql answer is not JSON (%d): %s", resp.StatusCode, raw)
	}
	return out
}

// ok fails the test unless r has no errors, and decodes its data into v.
func (r response) ok(t *testing.T, v any) {
	t.Helper()
	if len(r.Errors) > 0 || r.Status != http.StatusOK {
		t.Fatalf("graphql errors (%d): %s", r.Status, r.Raw)
	}
	if v != nil {
		if err := json.Unmarshal(r.Data, v); err != nil {
			t.Fatalf("decode data: %v: %s", err, r.Data)
		}
	}
}

// code returns the extensions.code of the only error of r, failing the
// test when there is not exactly one.
func (r response) code(t *testing.T) string {
	t.Helper()
	if len(r.Errors) != 1 {
		t.Fatalf("want exactly one error, got: %.600s", r.Raw)
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

// wantCode fails the test unless r failed with one error of code.
func (r response) wantCode(t *testing.T, code string) gqlError {
	t.Helper()
	if got := r.code(t); got != code {
		t.Fatalf("error code %q, want %q: %.600s", got, code, r.Raw)
	}
	return r.Errors[0]
}

// world is a service with two enabled tenants, A and B, and tokens.
type world struct {
	e          *apptest.Env
	a, b       uuid.UUID
	readA      string // dataservice_external of A
	writeA     string // conversations.write of A
	readB      string
	writeB     string
	host       string // host_admin
	hostNoRole string // a host principal without host_admin
}

func newWorld(t *testing.T, opts apptest.Options) *world {
	t.Helper()
	e := apptest.New(t, opts)
	w := &world{e: e, a: e.Tenant("A", true, 3), b: e.Tenant("B", true, 3)}
	w.readA = e.Token(w.a, viewer.ScopeReportsRead)
	w.writeA = e.Token(w.a, viewer.ScopeConversationsWrite)
	w.readB = e.Token(w.b, viewer.ScopeReportsRead)
	w.writeB = e.Token(w.b, viewer.ScopeConversationsWrite)
	w.host = e.Token(uuid.Nil, viewer.ScopeHostAdmin)
	w.hostNoRole = e.Token(uuid.Nil, viewer.ScopeReportsRead)
	return w
}

// yesterday is a day inside every retention window whose hours have ended.
func yesterday() time.Time {
	return time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -1)
}

func dayString(t time.Time) string { return t.Format("2006-01-02") }

// compact removes the layout of a GraphQL document, for error messages.
func compact(s string) string { return strings.Join(strings.Fields(s), " ") }
