package webhooks_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/dailyreports/dailyreports/docs"
	"github.com/dailyreports/dailyreports/internal/testenv"
)

// conformsToDocs validates the bodies the receiver got against the schema
// the OpenAPI document gives the webhook messages (components/schemas/name).
func conformsToDocs(t *testing.T, name string, got []testenv.Received) {
	t.Helper()
	doc, err := docs.OpenAPI("")
	if err != nil {
		t.Fatal(err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	if err := c.AddResource("openapi.json", v); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("openapi.json#/components/schemas/" + name)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range got {
		body, err := jsonschema.UnmarshalJSON(bytes.NewReader(r.Body))
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Validate(body); err != nil {
			raw, _ := json.Marshal(body)
			t.Errorf("a %s body does not match the OpenAPI document: %v\n%s", r.Type, err, raw)
		}
	}
}
