package browsertest

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/chromedp/chromedp"
)

// Violation is one rule axe-core found broken on a page, with the elements
// that break it.
type Violation struct {
	ID, Impact, Help string
	Nodes            []string
}

// String names the rule, its impact and the elements, for test failures.
func (v Violation) String() string {
	return fmt.Sprintf("%s (%s): %s: %s", v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "; "))
}

// Axe runs axe-core (the script at axePath, from the npm package, injected
// into the page by the test: the page never loads it) over the page as it
// is, WCAG 2.x A and AA rules and best practices, and returns the
// violations of impact serious or critical.
func Axe(p *Page, axePath string) []Violation {
	p.t.Helper()
	src, err := os.ReadFile(axePath)
	if err != nil {
		p.t.Fatalf("browsertest: axe-core: %v", err)
	}
	Value(p, chromedp.Evaluate[any](string(src)+";undefined", chromedp.EvalIgnoreExceptions))
	const run = `axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify(r.violations.map(v => ({
		ID: v.id, Impact: v.impact || "", Help: v.help, Nodes: v.nodes.map(n => n.target.join(" ") + " " + (n.failureSummary || "").replace(/\s+/g, " "))}))))`
	raw := Value(p, chromedp.Evaluate[string](run, chromedp.EvalAwaitPromise))
	var all []Violation
	if err := json.Unmarshal([]byte(raw), &all); err != nil {
		p.t.Fatalf("browsertest: axe-core's answer: %v", err)
	}
	var out []Violation
	for _, v := range all {
		if v.Impact == "serious" || v.Impact == "critical" {
			out = append(out, v)
		}
	}
	return out
}
