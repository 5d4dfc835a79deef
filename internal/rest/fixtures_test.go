package rest_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/oauth"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// reportPath is the fetch route of day and hour as given, with a raw query.
func reportPath(day string, hour string, query string) string {
	p := "/api/external/conversations/daily-report/" + day + "/" + hour
	if query != "" {
		p += "?" + query
	}
	return p
}

// richConversations are conversations of the hour that starts at start
// whose report exercises the document's encoding: nulls and absent
// optional fields, fractional seconds, zone offsets, unicode and escapes,
// confidences at the bounds, a conversation without messages.
func richConversations(start time.Time) []map[string]any {
	at := func(d time.Duration) string { return start.Add(d).Format(time.RFC3339Nano) }
	offset := func(d time.Duration) string {
		return start.Add(d).In(time.FixedZone("", 2*3600)).Format("2006-01-02T15:04:05.999999-07:00")
	}
	return []map[string]any{
		{
			"Id": "c-ünïcödé-😀", "SessionId": "s-1", "Channel": "whatsapp", "Language": "tr-TR", "ProjectName": "destek",
			"StartedAt": at(1500 * time.Millisecond), "EndedAt": nil, "Status": "active",
			"Messages": []map[string]any{
				{"Id": "m-1", "SentAt": at(1500 * time.Millisecond), "Sender": "user", "Text": "Merhaba 👋 \"quotes\" \\ back\tslash\nnew line \u2028 ﷺ 漢字 עברית", "Intent": nil, "Confidence": nil},
				{"Id": "m-2", "SentAt": offset(2*time.Second + 123456*time.Microsecond), "Sender": "bot", "Text": "", "Intent": "greeting", "Confidence": 1},
				{"Id": "m-3", "SentAt": at(3 * time.Second), "Sender": "agent", "Text": "<b>&amp;</b>", "Intent": "handover", "Confidence": 0},
				{"Id": "m-4", "SentAt": at(4 * time.Second), "Sender": "system", "Text": "closed", "Confidence": 1e-7},
			},
		},
		{"Id": "c-minimal", "StartedAt": offset(10 * time.Minute), "Messages": []any{}},
		{
			"Id": "c-nulls", "SessionId": nil, "Channel": nil, "Language": nil, "ProjectName": nil,
			"StartedAt": at(59*time.Minute + 59*time.Second + 999999*time.Microsecond), "EndedAt": at(70 * time.Minute), "Status": nil,
			"Messages": []map[string]any{{"Id": "m-1", "SentAt": at(time.Hour), "Sender": "user", "Text": "late", "Intent": nil, "Confidence": nil}},
		},
	}
}

// createClient creates an API client of tenant as a host administrator.
func createClient(t *testing.T, e *apptest.Env, tenant uuid.UUID, scopes ...string) *oauth.Created {
	t.Helper()
	host := viewer.NewContext(context.Background(), viewer.Viewer{Subject: "test", Scopes: []string{viewer.ScopeHostAdmin}})
	c, err := (&oauth.Clients{Store: e.App.Store}).Create(host, &tenant, "conformance", scopes)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// basicCredentials encodes HTTP Basic credentials as RFC 6749 §2.3.1 has
// clients do: each part form-encoded first.
func basicCredentials(id, secret string) string {
	req, _ := http.NewRequest(http.MethodPost, "/", nil)
	req.SetBasicAuth(url.QueryEscape(id), url.QueryEscape(secret))
	return strings.TrimPrefix(req.Header.Get("Authorization"), "Basic ")
}
