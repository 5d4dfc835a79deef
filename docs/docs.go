// Package docs is the API's own reference: the OpenAPI document of the REST
// routes (openapi.json), the JSON Schema of the report document
// (schemas/report-v1.json), the GraphQL schema printed from the server
// (schema.graphql, written by go generate) and the prose beside them. The
// server serves the embedded copies of the JSON documents, so what it serves
// is what the repository holds; only the OpenAPI document's servers are set
// at serve time, from PUBLIC_URL.
package docs

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
)

// Paths the server serves the documents at. The OpenAPI document refers to
// the report schema by the relative reference schemas/report-v1.json, which
// resolves to ReportSchemaPath next to OpenAPIPath, and to the file of the
// same name next to openapi.json in this directory.
const (
	OpenAPIPath      = "/openapi.json"
	ReportSchemaPath = "/schemas/report-v1.json"
)

//go:embed openapi.json
var openAPI []byte

//go:embed schemas/report-v1.json
var reportSchema []byte

// ReportSchema returns the JSON Schema (draft 2020-12) of the report
// document with SchemaVersion 1.
func ReportSchema() []byte { return bytes.Clone(reportSchema) }

// OpenAPI returns the OpenAPI document with the URL of its first server set
// to publicURL; an empty publicURL leaves the document as committed. Every
// other byte is the committed document's.
func OpenAPI(publicURL string) ([]byte, error) {
	if publicURL == "" {
		return bytes.Clone(openAPI), nil
	}
	start, end, err := firstServerURL(openAPI)
	if err != nil {
		return nil, fmt.Errorf("docs: openapi servers: %w", err)
	}
	url, err := json.Marshal(publicURL)
	if err != nil {
		return nil, fmt.Errorf("docs: openapi servers: %w", err)
	}
	out := make([]byte, 0, len(openAPI)+len(url))
	out = append(out, openAPI[:start]...)
	out = append(out, url...)
	return append(out, openAPI[end:]...), nil
}

// firstServerURL returns the byte offsets of servers[0].url in doc.
func firstServerURL(doc []byte) (start, end int, err error) {
	s, _, err := topLevelValue(doc, "servers")
	if err != nil {
		return 0, 0, err
	}
	dec := json.NewDecoder(bytes.NewReader(doc[s:]))
	var first json.RawMessage
	if t, err := dec.Token(); err != nil || t != json.Delim('[') || !dec.More() || dec.Decode(&first) != nil {
		return 0, 0, errors.New("servers is not a list of servers")
	}
	firstEnd := s + int(dec.InputOffset())
	us, ue, err := topLevelValue(first, "url")
	if err != nil {
		return 0, 0, err
	}
	base := firstEnd - len(first)
	return base + us, base + ue, nil
}

// topLevelValue returns the byte offsets of the value of key in the JSON
// object doc.
func topLevelValue(doc []byte, key string) (start, end int, err error) {
	dec := json.NewDecoder(bytes.NewReader(doc))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return 0, 0, errors.New("not a JSON object")
	}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return 0, 0, err
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return 0, 0, err
		}
		if k == key {
			end := int(dec.InputOffset())
			return end - len(v), end, nil
		}
	}
	return 0, 0, fmt.Errorf("no key %q", key)
}
