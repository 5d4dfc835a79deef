package docs_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/dailyreports/dailyreports/docs"
)

// openapi.json is a valid OpenAPI 3.1 document, its reference to the report
// schema resolving on disk as it does when served; its examples validate.
func TestOpenAPIDocumentIsValid(t *testing.T) {
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = true
	doc, err := loader.LoadFromFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	if !doc.IsOpenAPI31OrLater() {
		t.Fatalf("openapi %q, want 3.1", doc.OpenAPI)
	}
	if err := doc.Validate(context.Background(), openapi3.EnableExamplesValidation()); err != nil {
		t.Fatal(err)
	}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.OperationID == "" || len(op.Tags) == 0 || op.Summary == "" {
				t.Errorf("%s %s: operationId, tags and summary are required", method, path)
			}
		}
	}
	if doc.Paths.Find(docs.OpenAPIPath) == nil || doc.Paths.Find(docs.ReportSchemaPath) == nil {
		t.Error("the description routes are not documented")
	}
}

// schemas/report-v1.json is a valid draft 2020-12 schema, and its example
// and the OpenAPI document's report examples are reports.
func TestReportSchemaIsValid(t *testing.T) {
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(docs.ReportSchema()))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddResource("report-v1.json", v); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("report-v1.json")
	if err != nil {
		t.Fatal(err)
	}
	var examples struct{ Examples []any }
	raw, _ := json.Marshal(v)
	if err := json.Unmarshal(raw, &examples); err != nil || len(examples.Examples) == 0 {
		t.Fatalf("the schema has no example: %v", err)
	}
	var oa struct {
		Components struct {
			Examples map[string]struct{ Value any }
		}
	}
	if err := json.Unmarshal(mustRead(t, "openapi.json"), &oa); err != nil {
		t.Fatal(err)
	}
	reports := append(examples.Examples, oa.Components.Examples["Report"].Value, oa.Components.Examples["EmptyReport"].Value)
	for i, ex := range reports {
		b, _ := json.Marshal(ex)
		inst, _ := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err := s.Validate(inst); err != nil {
			t.Errorf("example %d: %v", i, err)
		}
	}
}

// OpenAPI changes the first server's URL and no other byte.
func TestOpenAPIServerIsPublicURL(t *testing.T) {
	committed := mustRead(t, "openapi.json")
	got, err := docs.OpenAPI("https://example.com/reports")
	if err != nil {
		t.Fatal(err)
	}
	back := bytes.Replace(got, []byte(`"url": "https://example.com/reports"`), []byte(`"url": "http://localhost:8080"`), 1)
	if !bytes.Equal(back, committed) {
		t.Fatal("OpenAPI changed more than servers[0].url")
	}
	var doc struct{ Servers []struct{ URL string } }
	if err := json.Unmarshal(got, &doc); err != nil || doc.Servers[0].URL != "https://example.com/reports" {
		t.Fatalf("servers %+v (%v)", doc.Servers, err)
	}
	if same, _ := docs.OpenAPI(""); !bytes.Equal(same, committed) {
		t.Fatal("an empty PUBLIC_URL changed the document")
	}
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
