package rest_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/dailyreports/dailyreports/docs"
	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/seed"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// reportSchemas compiles the report schema the service serves (draft
// 2020-12, formats asserted): the document, and the conversation ingestion
// accepts.
func reportSchemas(t *testing.T, e *apptest.Env) (doc, input *jsonschema.Schema) {
	t.Helper()
	resp := e.Do(http.MethodGet, docs.ReportSchemaPath, "", nil)
	body := apptest.Read(t, resp)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/schema+json" {
		t.Fatalf("report schema: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	loc := e.URL + docs.ReportSchemaPath
	if err := c.AddResource(loc, v); err != nil {
		t.Fatal(err)
	}
	if doc, err = c.Compile(loc); err != nil {
		t.Fatalf("compile the report schema: %v", err)
	}
	if input, err = c.Compile(loc + "#/$defs/ConversationInput"); err != nil {
		t.Fatalf("compile ConversationInput: %v", err)
	}
	return doc, input
}

// validateJSON validates the JSON b against s.
func validateJSON(s *jsonschema.Schema, b []byte) error {
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return err
	}
	return s.Validate(v)
}

// Reports the service builds from ingested conversations validate against
// the JSON Schema it serves, zipped and not: unusual content (nulls, absent
// fields, unicode, escapes, fractional seconds, zone offsets), realistic
// seeded hours, and an empty hour. Every conversation of a report is valid
// ingestion input, and ingesting it again is accepted.
func TestReportsValidateAgainstTheirSchema(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	schema, input := reportSchemas(t, e)
	tenant := e.Tenant("acme", true, 1)
	write, read := e.Token(tenant, viewer.ScopeConversationsWrite), e.Token(tenant, viewer.ScopeReportsRead)
	e.Ingest(write, richConversations(inHour(15, 0)))
	err := seed.Generate(0, seed.Options{Day: yesterday(), ConversationsPerHour: 150, MessagesPerConversation: 12, Hours: []int{8}}, 500,
		func(cs []document.Conversation) error {
			return e.App.Store.Ingest(apptest.System(), tenant, document.Batch(cs))
		})
	if err != nil {
		t.Fatal(err)
	}
	day := yesterday().Format("2006-01-02")
	for _, hour := range []int{15, 8, 3} {
		resp := e.Do(http.MethodGet, apptest.ReportPath(day, hour, false), read, nil)
		doc := apptest.Read(t, resp)
		resp = e.Do(http.MethodGet, apptest.ReportPath(day, hour, true), read, nil)
		entry := apptest.Unzip(t, apptest.Read(t, resp), "daily-report-"+day+"-"+twoDigits(hour)+".json")
		if !bytes.Equal(doc, entry) {
			t.Fatalf("hour %d: the JSON form differs from the zip's entry", hour)
		}
		if err := validateJSON(schema, doc); err != nil {
			t.Fatalf("hour %d: the report does not validate: %v", hour, err)
		}
		d := apptest.DecodeDoc(t, doc)
		t.Logf("hour %d: %d conversations, %d messages, %d bytes: valid", hour, d.ConversationCount, d.MessageCount, len(doc))
		if hour == 3 && !bytes.Contains(doc, []byte(`"Conversations":[]`)) {
			t.Errorf("an empty hour's report: %s", doc)
		}
		var parts struct{ Conversations []json.RawMessage }
		if err := json.Unmarshal(doc, &parts); err != nil {
			t.Fatal(err)
		}
		for i, c := range parts.Conversations {
			if err := validateJSON(input, c); err != nil {
				t.Fatalf("hour %d: conversation %d is not valid ingestion input: %v", hour, i, err)
			}
		}
		if len(parts.Conversations) > 0 {
			body, _ := json.Marshal(parts.Conversations)
			wantAccepted(t, post(e, write, body, "application/json"), len(parts.Conversations))
		}
	}
}

func twoDigits(h int) string { return string([]byte{byte('0' + h/10), byte('0' + h%10)}) }

// The schema is not vacuous: a real report changed in any of the ways the
// document never is fails it.
func TestReportSchemaRefusesWhatReportsNeverAre(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	schema, _ := reportSchemas(t, e)
	tenant := e.Tenant("acme", true, 1)
	e.Ingest(e.Token(tenant, viewer.ScopeConversationsWrite), richConversations(inHour(15, 0)))
	resp := e.Do(http.MethodGet, apptest.ReportPath(yesterday().Format("2006-01-02"), 15, false), e.Token(tenant, viewer.ScopeReportsRead), nil)
	doc := string(apptest.Read(t, resp))
	if err := validateJSON(schema, []byte(doc)); err != nil {
		t.Fatal(err)
	}
	for name, change := range map[string][2]string{
		"schema version 2":          {`"SchemaVersion":1`, `"SchemaVersion":2`},
		"hour 24":                   {`"UtcHour":15`, `"UtcHour":24`},
		"From not on the hour":      {`T15:00:00Z","To"`, `T15:00:01Z","To"`},
		"unknown top-level key":     {`"SchemaVersion":1`, `"SchemaVersion":1,"Extra":1`},
		"missing key":               {`"MessageCount":`, `"MessageCount_":`},
		"negative count":            {`"ConversationCount":3`, `"ConversationCount":-3`},
		"unknown sender":            {`"Sender":"agent"`, `"Sender":"robot"`},
		"confidence above 1":        {`"Confidence":1}`, `"Confidence":1.5}`},
		"confidence a string":       {`"Confidence":0}`, `"Confidence":"0"}`},
		"time with an offset":       {`"EndedAt":null`, `"EndedAt":"2026-01-01T02:00:00+02:00"`},
		"time with a trailing zero": {`.5Z"`, `.50Z"`},
		"null Text":                 {`"Text":"closed"`, `"Text":null`},
		"null Messages":             {`"Messages":[]`, `"Messages":null`},
		"empty Id":                  {`"Id":"c-minimal"`, `"Id":""`},
		"uppercase tenant id":       {`"TenantId":"` + tenant.String(), `"TenantId":"` + strings.ToUpper(tenant.String())},
	} {
		if !strings.Contains(doc, change[0]) {
			t.Fatalf("%s: the report has no %s", name, change[0])
		}
		if err := validateJSON(schema, []byte(strings.Replace(doc, change[0], change[1], 1))); err == nil {
			t.Errorf("%s: the schema accepts it", name)
		}
	}
}
