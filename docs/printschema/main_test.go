package main

import (
	"os"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// docs/schema.graphql is the schema the server executes, byte for byte.
func TestCommittedSchemaIsTheServers(t *testing.T) {
	committed, err := os.ReadFile("../schema.graphql")
	if err != nil {
		t.Fatal(err)
	}
	if string(committed) != string(SDL()) {
		t.Fatal("docs/schema.graphql differs from the server's schema: run go generate ./... and commit the result")
	}
}

// The printed schema is valid SDL that defines the server's types.
func TestPrintedSchemaParses(t *testing.T) {
	s, err := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphql", Input: string(SDL())})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Query", "Mutation", "HourlyReport", "DailyReport", "Tenant", "ReportStatus"} {
		if s.Types[name] == nil {
			t.Errorf("type %s is missing", name)
		}
	}
}
