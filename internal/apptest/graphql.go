package apptest

import (
	"encoding/json"
	"net/http"
	"testing"
)

// GraphQLError is one error of a GraphQL answer.
type GraphQLError struct {
	Message    string
	Extensions struct{ Code string }
}

// GraphQL runs an operation with token and variables, decodes its data
// into out (when not nil) and returns its errors.
func (e *Env) GraphQL(token, query string, vars map[string]any, out any) []GraphQLError {
	e.T.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		e.T.Fatalf("apptest: graphql: %v", err)
	}
	resp := e.Do(http.MethodPost, "/graphql", token, body, "Content-Type", "application/json")
	b := Read(e.T, resp)
	var answer struct {
		Data   json.RawMessage
		Errors []GraphQLError
	}
	if err := json.Unmarshal(b, &answer); err != nil {
		e.T.Fatalf("apptest: graphql: %d %s", resp.StatusCode, b)
	}
	if out != nil && len(answer.Errors) == 0 {
		if err := json.Unmarshal(answer.Data, out); err != nil {
			e.T.Fatalf("apptest: graphql data: %v: %s", err, answer.Data)
		}
	}
	return answer.Errors
}

// MustGraphQL is GraphQL failing the test on any error.
func (e *Env) MustGraphQL(t testing.TB, token, query string, vars map[string]any, out any) {
	t.Helper()
	if errs := e.GraphQL(token, query, vars, out); len(errs) > 0 {
		t.Fatalf("apptest: graphql: %+v", errs)
	}
}
