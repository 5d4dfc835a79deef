package graph

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// httpTransport answers GraphQL over HTTP as its specification describes:
// POST with an application/json body, GET with the parameters in the URL
// for queries (a mutation over GET is 405, Allow: POST), and
// application/graphql-response+json when the client accepts it, whose status
// tells a refused request (400: the document does not parse, validate or fit
// the limits) from an executed one (200). Under application/json a refused
// document is 200, as the specification asks of that media type.
//
// It stands in for gqlgen's GET and POST transports, which answer a mutation
// over GET with 406, echo an undecodable body with Go's decoder message,
// answer a body over the size limit with 200, and answer 422 to a document
// that fails validation under application/json.
type httpTransport struct {
	maxBody   int64
	maxErrors int
}

var _ graphql.Transport = httpTransport{}

// codeBadRequest is the code of a request that is not a GraphQL request.
const codeBadRequest = "BAD_REQUEST"

// Supports takes every GET, HEAD and POST but WebSocket upgrades.
func (httpTransport) Supports(r *http.Request) bool {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodPost:
		return r.Header.Get("Upgrade") == ""
	}
	return false
}

// Do answers one request.
func (t httpTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	w.Header().Add("Vary", "Accept")
	media := negotiate(r.Header.Get("Accept"), answerTypes)
	if media == "" {
		w.Header().Set("Content-Type", mediaJSON+"; charset=utf-8")
		t.fail(w, http.StatusNotAcceptable, "answers are application/graphql-response+json or application/json: accept one of them")
		return
	}
	w.Header().Set("Content-Type", media+"; charset=utf-8")
	start := graphql.Now()
	params, bad := t.params(w, r)
	if bad != nil {
		t.fail(w, bad.status, bad.message)
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}
	ctx := r.Context()
	opCtx, errs := exec.CreateOperationContext(ctx, params)
	if errs != nil {
		t.refuse(w, media, exec.DispatchError(graphql.WithOperationContext(ctx, opCtx), errs))
		return
	}
	if r.Method != http.MethodPost && opCtx.Operation.Operation != ast.Query {
		w.Header().Set("Allow", http.MethodPost)
		t.fail(w, http.StatusMethodNotAllowed, "only queries are answered over GET: send a mutation with POST")
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, opCtx)
	if resp := responses(ctx); resp != nil { // nil: the client has gone
		resp.Errors = t.capErrors(resp.Errors)
		t.write(w, http.StatusOK, resp)
	}
}

// refuse answers the errors of a request refused before it ran: 400 under
// application/graphql-response+json, 200 under application/json.
func (t httpTransport) refuse(w http.ResponseWriter, media string, resp *graphql.Response) {
	status := http.StatusOK
	if media == mediaResponse {
		status = http.StatusBadRequest
	}
	t.write(w, status, refusal{Errors: t.capErrors(resp.Errors), Extensions: resp.Extensions})
}

// refusal is the answer to a request refused before execution: it has no
// data entry, as the GraphQL specification asks.
type refusal struct {
	Errors     gqlerror.List  `json:"errors"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

// fail answers a request that cannot be run with one error.
func (t httpTransport) fail(w http.ResponseWriter, status int, message string) {
	err := gqlerror.Errorf("%s", message)
	err.Extensions = map[string]any{"code": codeBadRequest}
	t.write(w, status, refusal{Errors: gqlerror.List{err}})
}

func (httpTransport) write(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil { // a resolver's value that does not marshal
		status, b = http.StatusInternalServerError, []byte(`{"errors":[{"message":"internal error","extensions":{"code":"INTERNAL"}}]}`)
	}
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// capErrors keeps the first maxErrors errors and says how many more there
// were, so no document answers thousands of errors, and cuts messages
// longer than maxMessage: parse and validation errors quote the document's
// names and strings, which a client may make as long as its body.
func (t httpTransport) capErrors(errs gqlerror.List) gqlerror.List {
	for _, e := range errs {
		if len(e.Message) > maxMessage {
			e.Message = strings.ToValidUTF8(e.Message[:maxMessage], "") + "…"
		}
	}
	if len(errs) <= t.maxErrors {
		return errs
	}
	more := gqlerror.Errorf("%d more errors were left out", len(errs)-t.maxErrors)
	more.Extensions = map[string]any{"code": "TOO_MANY_ERRORS"}
	return append(errs[:t.maxErrors:t.maxErrors], more)
}

// maxMessage bounds the length of an error message, in bytes.
const maxMessage = 200
