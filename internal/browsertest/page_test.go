package browsertest

import (
	"slices"
	"testing"
)

func TestForeignIsEveryRequestToAnotherOrigin(t *testing.T) {
	p := &Page{requests: []string{
		"http://127.0.0.1:8080/graphql",
		"http://127.0.0.1:8080/graphql/assets/graphiql-X.js",
		short("data:font/woff2;base64,d09GMgABAAAAAA2QAA4AAAAAHpwAAA05A"),
		"blob:http://127.0.0.1:8080/5a8f",
		"http://127.0.0.1:8081/graphql",
		"https://127.0.0.1:8080/graphql",
		"http://localhost:8080/graphql",
		"https://cdn.example/graphiql.js",
		"ws://127.0.0.1:8080/graphql",
	}}
	want := []string{
		"http://127.0.0.1:8081/graphql",
		"https://127.0.0.1:8080/graphql",
		"http://localhost:8080/graphql",
		"https://cdn.example/graphiql.js",
		"ws://127.0.0.1:8080/graphql",
	}
	if got := p.Foreign("http://127.0.0.1:8080"); !slices.Equal(got, want) {
		t.Errorf("Foreign = %q, want %q", got, want)
	}
	if got := p.Requests()[2]; got != "data:font/woff2;base64,…" {
		t.Errorf("a data: URL is recorded as %q", got)
	}
}
