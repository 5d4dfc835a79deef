package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"text/template"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/app"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// bannerTokenTTL is the lifetime of the tokens the banner prints: a working
// day of trying things out.
const bannerTokenTTL = 24 * time.Hour

// welcome makes a fresh embedded database useful (the demo tenant, a few days
// of conversations, yesterday's reports) and prints the banner: where the API
// is, tokens, and requests that work as printed.
func welcome(ctx context.Context, a *app.App, addr net.Addr, w io.Writer) error {
	start := time.Now()
	d, err := a.EnsureDemo(ctx, start)
	if err != nil {
		return err
	}
	if d != nil && d.Created {
		a.Log.Info("demo tenant created", "tenant", d.TenantID, "conversations", d.Conversations,
			"messages", d.Messages, "reports_built", d.Built.Stored, "elapsed", time.Since(start).Round(time.Millisecond).String())
	}
	b, err := newBanner(a, d, addr)
	if err != nil {
		return err
	}
	return bannerTemplate.Execute(w, b)
}

// banner is what the banner template shows.
type banner struct {
	Base, DataDir, Day, ReadWrite, Host, Tenant, TenantName, GraphQLBody, Self string
	Hour                                                                       int
	Created                                                                    bool
	Conversations, Reports                                                     int
}

func newBanner(a *app.App, d *app.Demo, addr net.Addr) (*banner, error) {
	b := &banner{Base: baseURL(addr), DataDir: a.Config.DataDir, Self: selfCommand()}
	var err error
	if b.Host, _, err = a.Signer.Issue("banner", uuid.Nil, []string{viewer.ScopeHostAdmin}, bannerTokenTTL); err != nil {
		return nil, err
	}
	if d == nil {
		return b, nil
	}
	b.Tenant, b.TenantName, b.Day, b.Hour, b.Created = d.TenantID.String(), d.Name, d.Day, d.Hour, d.Created
	b.Conversations, b.Reports = d.Conversations, d.Built.Stored
	scopes := []string{viewer.ScopeReportsRead, viewer.ScopeConversationsWrite}
	if b.ReadWrite, _, err = a.Signer.Issue("banner", d.TenantID, scopes, bannerTokenTTL); err != nil {
		return nil, err
	}
	b.GraphQLBody = fmt.Sprintf(`{"query":"{ dailyReport(utcDay: \"%s\") { utcDay hours { utcHour status conversationCount messageCount } } }"}`, d.Day)
	return b, nil
}

// selfCommand is how to run this binary again from here: as it was started,
// or "go run ." when it is a temporary build of go run (or a test).
func selfCommand() string {
	exe := os.Args[0]
	if strings.Contains(exe, "go-build") || strings.HasSuffix(exe, ".test") || exe == "" {
		return "go run ."
	}
	return exe
}

// baseURL is the URL a browser or curl on this machine reaches addr at.
func baseURL(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "http://" + addr.String()
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && (ip.IsUnspecified() || ip.IsLoopback())) {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

var bannerTemplate = template.Must(template.New("banner").Funcs(template.FuncMap{
	"rule": func() string { return strings.Repeat("─", 78) },
}).Parse(`
{{rule}}
 dailyreports is ready, on embedded defaults (data in {{.DataDir}})
{{- if .Created}}
 First start: created the tenant "{{.TenantName}}", seeded {{.Conversations}} conversations
 over the last 3 UTC days, and built {{.Reports}} hourly reports of {{.Day}}.
{{- end}}

 Console    {{.Base}}/console/  (sign in with a token below)
 GraphiQL   {{.Base}}/graphql   (add the header {"Authorization": "Bearer <token>"})
 Health     {{.Base}}/readyz
{{- if .Tenant}}
 Tenant     {{.TenantName}}  {{.Tenant}}
{{- end}}

 Paste into a shell (tokens valid 24h):
{{rule}}
{{- if .Tenant}}
export TENANT_TOKEN='{{.ReadWrite}}'
{{- end}}
export HOST_TOKEN='{{.Host}}'
{{- if .Day}}

# 1. REST, zipped: saves daily-report-{{.Day}}-{{printf "%02d" .Hour}}.zip here
curl -sS -OJ -H "Authorization: Bearer $TENANT_TOKEN" '{{.Base}}/api/external/conversations/daily-report/{{.Day}}/{{.Hour}}?compressed=true'

# 2. REST, JSON: the same report as a document
curl -sS -H "Authorization: Bearer $TENANT_TOKEN" '{{.Base}}/api/external/conversations/daily-report/{{.Day}}/{{.Hour}}?compressed=false'

# 3. GraphQL: the 24 hours of {{.Day}} and their status
curl -sS -H "Authorization: Bearer $TENANT_TOKEN" -H 'Content-Type: application/json' --data '{{.GraphQLBody}}' {{.Base}}/graphql
{{- end}}
{{rule}}
 New tokens:  {{.Self}} token --scope "dataservice_external conversations.write" --tenant {{if .Tenant}}{{.Tenant}}{{else}}<tenant id>{{end}}
              {{.Self}} token --scope host_admin
 Stop with Ctrl-C; data stays in {{.DataDir}} (delete it to start afresh).
{{rule}}
`))
