package graph

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/munnerz/goautoneg"
)

// Media types of answers.
const (
	mediaJSON     = "application/json"
	mediaResponse = "application/graphql-response+json"
	mediaHTML     = "text/html"
)

// answerTypes are the media types of GraphQL answers, the legacy one first:
// it answers */* and a request without Accept.
var answerTypes = []string{mediaJSON, mediaResponse}

// negotiate picks the media type of the answer among offers by the Accept
// header: application/json without one, "" when no offer is acceptable
// (a type given q=0 is refused, RFC 9110 §12.4.2).
func negotiate(accept string, offers []string) string {
	if strings.TrimSpace(accept) == "" {
		return mediaJSON
	}
	// goautoneg.Negotiate would also pick a type the client refuses with
	// q=0, so the clauses are matched here, best quality first.
	for _, c := range goautoneg.ParseAccept(accept) {
		if c.Q <= 0 {
			continue
		}
		for _, offer := range offers {
			typ, sub, _ := strings.Cut(offer, "/")
			if (c.Type == typ || c.Type == "*") && (c.SubType == sub || c.SubType == "*") {
				return offer
			}
		}
	}
	return ""
}

// badRequest is a request that is not a GraphQL request. Its message never
// quotes the request: a client's body is not echoed back.
type badRequest struct {
	status  int
	message string
}

const notGraphQL = "the body is not a GraphQL request: a JSON object with a string query, " +
	"and optionally a string operationName and objects variables and extensions"

// params reads the GraphQL parameters of a request, from the URL of a GET
// and from the body of a POST.
func (t httpTransport) params(w http.ResponseWriter, r *http.Request) (*graphql.RawParams, *badRequest) {
	if r.Method == http.MethodPost {
		return t.body(w, r)
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, &badRequest{http.StatusBadRequest, "the URL's query string does not decode"}
	}
	if !q.Has("query") {
		return nil, &badRequest{http.StatusBadRequest, "a GET request carries its document in the query parameter"}
	}
	p := &graphql.RawParams{Query: q.Get("query"), OperationName: q.Get("operationName")}
	for name, into := range map[string]*map[string]any{"variables": &p.Variables, "extensions": &p.Extensions} {
		if v := q.Get(name); v != "" && decodeJSON(strings.NewReader(v), into) != nil {
			return nil, &badRequest{http.StatusBadRequest, "the " + name + " parameter must be a JSON object"}
		}
	}
	return p, nil
}

// body reads the parameters of a POST: one JSON object of at most maxBody
// bytes.
func (t httpTransport) body(w http.ResponseWriter, r *http.Request) (*graphql.RawParams, *badRequest) {
	mt, mp, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != mediaJSON || (mp["charset"] != "" && !strings.EqualFold(mp["charset"], "utf-8")) {
		return nil, &badRequest{http.StatusUnsupportedMediaType, "a POST body is application/json (UTF-8)"}
	}
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, t.maxBody))
	if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
		return nil, &badRequest{http.StatusRequestEntityTooLarge, fmt.Sprintf("the request body is over %d bytes", t.maxBody)}
	} else if err != nil {
		return nil, &badRequest{http.StatusBadRequest, "the request body could not be read"}
	}
	if b := bytes.TrimLeft(raw, " \t\r\n"); len(b) > 0 && b[0] == '[' {
		return nil, &badRequest{http.StatusBadRequest, "batched requests are not supported: send one operation per request"}
	}
	var body struct {
		Query         *string        `json:"query"`
		OperationName *string        `json:"operationName"`
		Variables     map[string]any `json:"variables"`
		Extensions    map[string]any `json:"extensions"`
	}
	if decodeJSON(bytes.NewReader(raw), &body) != nil || body.Query == nil {
		return nil, &badRequest{http.StatusBadRequest, notGraphQL}
	}
	p := &graphql.RawParams{Query: *body.Query, Variables: body.Variables, Extensions: body.Extensions}
	if body.OperationName != nil {
		p.OperationName = *body.OperationName
	}
	return p, nil
}

// decodeJSON decodes exactly one JSON value into v, numbers as json.Number
// as gqlgen expects them.
func decodeJSON(r io.Reader, v any) error {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data after the JSON value")
	}
	return nil
}
