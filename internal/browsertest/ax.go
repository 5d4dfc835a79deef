package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Names returns the accessible names of the elements of role under the
// document whose names begin with prefix, in document order.
func Names(p *Page, role, prefix string) []string {
	p.t.Helper()
	return Value(p, func(ctx context.Context, t *chromedp.Target) ([]string, error) {
		var out []string
		_, err := namedIn(ctx, t, role, func(name string) bool {
			if strings.HasPrefix(name, prefix) {
				out = append(out, name)
			}
			return false
		})
		return out, err
	})
}

// namedIn returns the backend ids of the nodes of the document of role
// whose name match accepts, in document order.
func namedIn(ctx context.Context, t *chromedp.Target, role string, match func(string) bool) ([]cdp.BackendNodeID, error) {
	doc, err := cdp.Call(ctx, t, runtime.Evaluate, runtime.EvaluateParams{Expression: "document.documentElement"})
	if err != nil {
		return nil, err
	}
	if doc.Result == nil || doc.Result.ObjectID == "" {
		return nil, fmt.Errorf("no document")
	}
	return named(ctx, t, accessibility.QueryAXTreeParams{ObjectID: doc.Result.ObjectID}, role, match)
}

// named returns the backend ids of the nodes under the root q names of role
// whose name match accepts; nodes ignored for accessibility (hidden ones)
// are not candidates.
func named(ctx context.Context, t *chromedp.Target, q accessibility.QueryAXTreeParams, role string, match func(string) bool) ([]cdp.BackendNodeID, error) {
	res, err := cdp.Call(ctx, t, accessibility.QueryAXTree, q)
	if err != nil {
		return nil, err
	}
	var ids []cdp.BackendNodeID
	for _, n := range res.Nodes {
		if n.Ignored || n.Name == nil || n.Role == nil || n.BackendDOMNodeID == 0 {
			continue
		}
		var name, r string
		if json.Unmarshal(n.Name.Value, &name) != nil || json.Unmarshal(n.Role.Value, &r) != nil {
			continue
		}
		if role != "" && !strings.EqualFold(r, role) {
			continue
		}
		if match(name) {
			ids = append(ids, n.BackendDOMNodeID)
		}
	}
	return ids, nil
}

// Find waits until an element of role whose accessible name begins with
// prefix is on the page and visible, and returns its backend node id.
func find(ctx context.Context, t *chromedp.Target, role, prefix string) (cdp.BackendNodeID, error) {
	var last error
	for {
		// The page changes under the query; errors only mean "not yet".
		ids, err := namedIn(ctx, t, role, func(name string) bool { return strings.HasPrefix(name, prefix) })
		if err == nil {
			for _, id := range ids {
				if ok, cerr := call[bool](ctx, t, id, `function() { return this.checkVisibility ? this.checkVisibility() : true }`); cerr == nil && ok {
					return id, nil
				}
			}
		}
		if err != nil {
			last = err
		}
		select {
		case <-ctx.Done():
			return 0, fmt.Errorf("no visible %s named %q… (%v): %w", role, prefix, last, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// call runs function with this bound to the node and returns its value.
func call[T any](ctx context.Context, t *chromedp.Target, id cdp.BackendNodeID, function string, args ...any) (T, error) {
	var zero T
	obj, err := cdp.Call(ctx, t, dom.ResolveNode, dom.ResolveNodeParams{BackendNodeID: id})
	if err != nil {
		return zero, err
	}
	var callArgs []*runtime.CallArgument
	for _, a := range args {
		b, err := json.Marshal(a)
		if err != nil {
			return zero, err
		}
		callArgs = append(callArgs, &runtime.CallArgument{Value: b})
	}
	yes := true
	res, err := cdp.Call(ctx, t, runtime.CallFunctionOn, runtime.CallFunctionOnParams{
		FunctionDeclaration: function, ObjectID: obj.Object.ObjectID, Arguments: callArgs, ReturnByValue: &yes, AwaitPromise: &yes,
	})
	if err != nil {
		return zero, err
	}
	if res.ExceptionDetails != nil {
		return zero, fmt.Errorf("%s", res.ExceptionDetails.Text)
	}
	var v T
	if len(res.Result.Value) > 0 {
		err = json.Unmarshal(res.Result.Value, &v)
	}
	return v, err
}

// WaitNamed waits until an element of role named prefix… is visible.
func WaitNamed(role, prefix string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := find(ctx, t, role, prefix)
		return chromedp.Void{}, err
	}
}

// ClickNamed clicks the element of role named prefix…, once it is visible,
// as a person would activate it.
func ClickNamed(role, prefix string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		id, err := find(ctx, t, role, prefix)
		if err == nil {
			_, err = call[bool](ctx, t, id, `function() { this.scrollIntoView({block: "center"}); this.focus(); this.click(); return true }`)
		}
		return chromedp.Void{}, err
	}
}

// FillNamed replaces the text of the field of role named prefix… with
// text, typed in as one input.
func FillNamed(role, prefix, text string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		id, err := find(ctx, t, role, prefix)
		if err != nil {
			return chromedp.Void{}, err
		}
		if _, err := call[bool](ctx, t, id, `function() { this.scrollIntoView({block: "center"}); this.focus(); this.select(); return true }`); err != nil {
			return chromedp.Void{}, err
		}
		if text == "" {
			_, err = call[bool](ctx, t, id, `function() { this.value = ""; this.dispatchEvent(new Event("input", {bubbles: true})); return true }`)
			return chromedp.Void{}, err
		}
		return InsertText(text)(ctx, t)
	}
}

// ChooseNamed sets the value of the select of role named prefix…, as
// choosing an option does.
func ChooseNamed(role, prefix, value string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		id, err := find(ctx, t, role, prefix)
		if err == nil {
			_, err = call[bool](ctx, t, id, `function(v) { this.value = v; this.dispatchEvent(new Event("change", {bubbles: true})); return true }`, value)
		}
		return chromedp.Void{}, err
	}
}
