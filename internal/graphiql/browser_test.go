package graphiql_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/browsertest"
)

// serve runs the service with the playground on, GraphiQL mounted by the
// API role, and returns its origin.
func serve(t *testing.T) (*apptest.Env, string) {
	env := apptest.New(t, apptest.Options{Env: map[string]string{"GRAPHQL_PLAYGROUND": "true"}})
	return env, env.URL
}

// Parts of GraphiQL's page.
const (
	queryEditor   = ".graphiql-query-editor .CodeMirror"
	headersEditor = "section.graphiql-editor-tool[aria-label=Headers] .graphiql-editor:not(.hidden) .CodeMirror"
	activeTab     = ".graphiql-tab-active"
	result        = ".result-window"
)

// A person opens GraphiQL in a browser, puts a host administrator's token
// in the Headers editor, runs a query, reads the schema in the docs explorer and
// opens a dialog: it all works, and
// the page asks nothing of any origin but the service's own and breaks no
// rule of its Content-Security-Policy.
func TestGraphiQLInABrowserLoadsNothingFromAnotherOrigin(t *testing.T) {
	env, origin := serve(t)
	env.Tenant("Acme Support", true, 1)
	token := env.Token(uuid.Nil, "host_admin")

	p := browsertest.New(t).Open(origin + "/graphql")
	p.Do(
		chromedp.WaitVisible(chromedp.CSS(queryEditor)),
		chromedp.Click(chromedp.Search("//button[text()='Headers']")),
		chromedp.Click(chromedp.CSS(headersEditor+" .CodeMirror-lines")),
		browsertest.InsertText(`{"Authorization": "Bearer `+token+`"}`),
		chromedp.Click(chromedp.CSS(queryEditor+" .CodeMirror-lines")),
		chromedp.KeyEvent("a", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
		browsertest.InsertText(`query Tenants { tenants(first: 5) { edges { node { name reportSettings { enabled } } } } }`),
	)
	// GraphiQL names the tab after the operation once it has read the new
	// text; run it only then, as a person would.
	browsertest.Value(p, chromedp.Poll[bool](`document.querySelector("`+activeTab+`").textContent.includes("Tenants")`))
	p.Do(chromedp.Click(chromedp.CSS(".graphiql-execute-button")))
	browsertest.Value(p, chromedp.Poll[bool](`document.querySelector("`+result+`").textContent.includes("Acme Support")`))
	if got := browsertest.Value(p, chromedp.TextContent(chromedp.CSS(result))); strings.Contains(got, `"errors"`) {
		t.Errorf("the result has errors: %s", got)
	}
	t.Logf("screenshot: %s", p.Screenshot("result"))

	// The docs explorer shows the schema GraphiQL read by introspection.
	p.Do(chromedp.Click(chromedp.CSS("button[aria-label='Show Documentation Explorer']")))
	browsertest.Value(p, chromedp.Poll[bool](`document.querySelector(".graphiql-doc-explorer") !== null && document.querySelector(".graphiql-doc-explorer").textContent.includes("Query")`))
	t.Logf("screenshot: %s", p.Screenshot("docs"))

	p.Do(
		chromedp.Click(chromedp.CSS("button[aria-label='Open settings dialog']")),
		chromedp.WaitVisible(chromedp.Search("//*[text()='Persist headers']")),
	)
	t.Logf("screenshot: %s", p.Screenshot("settings"))

	if got := p.Foreign(origin); len(got) > 0 {
		t.Errorf("the page made requests to other origins: %q", got)
	}
	if got := p.Problems(); len(got) > 0 {
		t.Errorf("the page reported problems: %q", got)
	}
	for _, want := range []string{"/graphql", "/graphql/assets/graphiql-"} {
		if !requested(p.Requests(), origin+want) {
			t.Errorf("no request for %s among %q", want, p.Requests())
		}
	}
}

func requested(requests []string, prefix string) bool {
	for _, r := range requests {
		if strings.HasPrefix(r, prefix) {
			return true
		}
	}
	return false
}
