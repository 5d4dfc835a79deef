package rest_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/dailyreports/dailyreports/docs"
	"github.com/dailyreports/dailyreports/internal/apptest"
)

func init() {
	// NDJSON bodies are documented as text (one JSON document per line).
	for _, ct := range []string{"application/x-ndjson", "application/jsonl"} {
		openapi3filter.RegisterBodyDecoder(ct, openapi3filter.PlainBodyDecoder)
	}
}

// requestIs says what the OpenAPI document must think of a request.
type requestIs int

const (
	// valid: the document accepts the request.
	valid requestIs = iota
	// invalid: the document refuses it (its parameters or body say so).
	invalid
	// unchecked: the document cannot tell (a rule only the description
	// states, such as the body's size in bytes).
	unchecked
)

// knownDeviations are answers of the service that do not match the contract
// its OpenAPI document states, by "operationId status", with the reason.
// Each of them must still fail validation: once the service is fixed, its
// entry has to go.
var knownDeviations = map[string]string{}

// conformance sends real requests to a running service and validates each
// request and answer against the OpenAPI document the service serves, with
// kin-openapi's openapi3filter. It records which documented statuses were
// seen.
type conformance struct {
	e      *apptest.Env
	doc    *openapi3.T
	router routers.Router
	seen   *coverage
}

// coverage records the (operationId, status) pairs answered.
type coverage struct {
	mu   sync.Mutex
	seen map[string]bool
}

func (c *coverage) add(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.seen == nil {
		c.seen = map[string]bool{}
	}
	c.seen[key] = true
}

// loadServedOpenAPI loads the OpenAPI document from the service, resolving
// its reference to the report schema over HTTP as any client would, and
// validates it.
func loadServedOpenAPI(t *testing.T, e *apptest.Env) *openapi3.T {
	t.Helper()
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = true
	u, err := url.Parse(e.URL + docs.OpenAPIPath)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := loader.LoadFromURI(u)
	if err != nil {
		t.Fatalf("load the served OpenAPI document: %v", err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		t.Fatalf("the served OpenAPI document is not valid: %v", err)
	}
	return doc
}

// newConformance prepares the validation of e's answers.
func newConformance(t *testing.T, e *apptest.Env, seen *coverage) *conformance {
	t.Helper()
	doc := loadServedOpenAPI(t, e)
	// Route the test server's URLs; servers itself is PUBLIC_URL.
	doc.Servers = openapi3.Servers{{URL: e.URL}}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return &conformance{e: e, doc: doc, router: router, seen: seen}
}

// call is one request of a conformance test.
type call struct {
	method, path string
	token        string
	body         []byte
	headers      []string // name, value, ...
	request      requestIs
	status       int // the status the service must answer
}

// do sends c, validates the request (as c.request says) and the answer,
// and returns the answer with its body.
func (k *conformance) do(t *testing.T, c call) (*http.Response, []byte) {
	t.Helper()
	what := fmt.Sprintf("%s %s", c.method, c.path)
	route, params, err := k.router.FindRoute(k.request(t, c))
	if err != nil {
		t.Fatalf("%s: not documented: %v", what, err)
	}
	in := &openapi3filter.RequestValidationInput{
		Request: k.request(t, c), PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, SkipSettingDefaults: true, MultiError: true},
	}
	err = openapi3filter.ValidateRequest(context.Background(), in)
	switch {
	case c.request == valid && err != nil:
		t.Errorf("%s: the document refuses the request: %v", what, err)
	case c.request == invalid && err == nil:
		t.Errorf("%s: the document accepts a request the service refuses", what)
	}
	resp, err := http.DefaultClient.Do(k.request(t, c))
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	body := apptest.Read(t, resp)
	if resp.StatusCode != c.status {
		t.Fatalf("%s: status %d, want %d: %.300s", what, resp.StatusCode, c.status, body)
	}
	k.checkAnswer(t, what, in, resp, body)
	return resp, body
}

// request builds c as a new request; each use reads its own body.
func (k *conformance) request(t *testing.T, c call) *http.Request {
	t.Helper()
	req, err := http.NewRequest(c.method, k.e.URL+c.path, bytes.NewReader(c.body))
	if err != nil {
		t.Fatal(err)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	for i := 0; i+1 < len(c.headers); i += 2 {
		req.Header.Set(c.headers[i], c.headers[i+1])
	}
	return req
}

// checkAnswer validates an answer with openapi3filter. Undocumented statuses
// fail. openapi3filter skips HEAD and 304 answers; a HEAD answer is
// validated as its route's GET would be, headers only, and a 304 by its
// documented headers.
func (k *conformance) checkAnswer(t *testing.T, what string, in *openapi3filter.RequestValidationInput, resp *http.Response, body []byte) {
	t.Helper()
	key := fmt.Sprintf("%s %d", in.Route.Operation.OperationID, resp.StatusCode)
	k.seen.add(key)
	opts := &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}
	input := *in
	if in.Request.Method == http.MethodHead {
		input.Request = in.Request.Clone(context.Background())
		input.Request.Method = http.MethodGet
		opts.ExcludeResponseBody = true
		if len(body) != 0 {
			t.Errorf("%s: HEAD answered %d body bytes", what, len(body))
		}
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: &input, Status: resp.StatusCode, Header: resp.Header, Options: opts}
	out.SetBodyBytes(body)
	var err error
	if resp.StatusCode == http.StatusNotModified {
		err = checkNotModified(in.Route, resp)
	} else {
		err = openapi3filter.ValidateResponse(context.Background(), out)
	}
	if reason, known := knownDeviations[key]; known {
		if err == nil {
			t.Errorf("%s: %s now conforms to the document (was: %s); remove it from knownDeviations", what, key, reason)
		}
		t.Logf("%s: known deviation (%s): %v", what, reason, err)
		return
	}
	if err != nil {
		t.Errorf("%s: answer %d does not match the document: %v\n%.500s", what, resp.StatusCode, err, body)
	}
}

// checkNotModified checks a 304 against its documented headers (strings).
func checkNotModified(route *routers.Route, resp *http.Response) error {
	ref := route.Operation.Responses.Status(http.StatusNotModified)
	if ref == nil {
		return fmt.Errorf("304 is not documented")
	}
	for name, h := range ref.Value.Headers {
		v := resp.Header.Get(name)
		if v == "" {
			if h.Value.Required {
				return fmt.Errorf("header %s is missing", name)
			}
			continue
		}
		if err := h.Value.Schema.Value.VisitJSON(v, openapi3.EnableJSONSchema2020()); err != nil {
			return fmt.Errorf("header %s: %w", name, err)
		}
	}
	return nil
}

// uncovered returns the documented (operationId, status) pairs not in seen,
// but for those exempt says cannot be provoked.
func uncovered(doc *openapi3.T, seen *coverage, exempt map[string]string) []string {
	var missing []string
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			for status := range op.Responses.Map() {
				key := op.OperationID + " " + status
				if !seen.seen[key] && exempt[status] == "" && exempt[key] == "" {
					missing = append(missing, key)
				}
			}
		}
	}
	sort.Strings(missing)
	return missing
}
