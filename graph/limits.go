package graph

import (
	"strings"

	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Codes of the documents the limits refuse.
const (
	codeDepthLimit      = "DEPTH_LIMIT_EXCEEDED"
	codeFieldLimit      = "FIELD_LIMIT_EXCEEDED"
	codeComplexityLimit = "COMPLEXITY_LIMIT_EXCEEDED"
)

// limits bound a parsed document before it is validated, so that no
// document makes validation itself expensive: the overlapping-fields rule is
// quadratic in the fields of a selection set, and fragments multiply fields.
//
// Fields are counted as they would run, every alias and every use of a
// fragment included. A field inside __schema or __type, or inside a
// fragment on an introspection type (__Type, __Field, …), is an
// introspection field: those are counted apart, so that the introspection
// query of every current tool fits, and bounded by their own count and by
// the size of the answer they could produce (introspectionCost).
type limits struct {
	maxFields, maxDepth    int // plain fields, per operation and per fragment
	maxIntrospectionFields int // per operation and per fragment
	maxDocumentFields      int // every field of every definition of the document
	// introspection is nil when introspection is off: then any __schema or
	// __type field refuses the document.
	introspection *introspectionCost
}

// tally is what a selection set selects once fragments are expanded.
type tally struct {
	plain, intro int // fields
	depth        int // of plain fields, relative to the selection set
	introCost    int // estimated values of the introspection answers
	introspects  bool
}

func (t *tally) add(o tally, depth int) {
	t.plain = satAdd(t.plain, o.plain)
	t.intro = satAdd(t.intro, o.intro)
	t.introCost = satAdd(t.introCost, o.introCost)
	t.introspects = t.introspects || o.introspects
	if o.plain > 0 {
		t.depth = max(t.depth, depth+o.depth)
	}
}

// check refuses doc when one of its definitions, or the whole of it, is
// over a limit. Unknown fragments and fragment cycles count nothing here:
// validation refuses them next.
func (l limits) check(doc *ast.QueryDocument) *gqlerror.Error {
	c := counter{limits: l, doc: doc, memo: map[fragmentMode]tally{}, visiting: map[string]bool{}}
	total := 0
	for _, op := range doc.Operations {
		t := c.selections(op.SelectionSet, false)
		if err := l.refuse(t, "the operation"); err != nil {
			return err
		}
		if l.introspection != nil && t.introCost > l.introspection.max {
			return limitError(codeComplexityLimit, "the operation's introspection would answer more than %d values", l.introspection.max)
		}
		total = satAdd(total, t.plain+t.intro)
	}
	for _, f := range doc.Fragments {
		t := c.fragment(f, isIntrospectionType(f.TypeCondition))
		if err := l.refuse(t, "fragment "+f.Name); err != nil {
			return err
		}
		total = satAdd(total, t.plain+t.intro)
	}
	if total > l.maxDocumentFields {
		return limitError(codeFieldLimit, "the document selects more than %d fields in all its operations and fragments", l.maxDocumentFields)
	}
	return nil
}

// refuse tells why t, selected by what, is over a limit, or returns nil.
func (l limits) refuse(t tally, what string) *gqlerror.Error {
	switch {
	case t.introspects && l.introspection == nil:
		err := gqlerror.Errorf("introspection is disabled")
		errcode.Set(err, errcode.ValidationFailed)
		return err
	case t.depth > l.maxDepth:
		return limitError(codeDepthLimit, "%s nests fields more than %d deep", what, l.maxDepth)
	case t.plain > l.maxFields:
		return limitError(codeFieldLimit, "%s selects more than %d fields (aliases and fragment uses count)", what, l.maxFields)
	case t.intro > l.maxIntrospectionFields:
		return limitError(codeFieldLimit, "%s selects more than %d introspection fields", what, l.maxIntrospectionFields)
	}
	return nil
}

func limitError(code, format string, args ...any) *gqlerror.Error {
	err := gqlerror.Errorf(format, args...)
	errcode.Set(err, code)
	return err
}

// fragmentMode is a fragment counted inside introspection or outside it.
type fragmentMode struct {
	name  string
	intro bool
}

// counter counts selection sets, each fragment once per mode.
type counter struct {
	limits
	doc      *ast.QueryDocument
	memo     map[fragmentMode]tally
	visiting map[string]bool
}

func (c *counter) selections(set ast.SelectionSet, intro bool) tally {
	var t tally
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			t.add(c.field(s, intro), 0)
		case *ast.InlineFragment:
			t.add(c.selections(s.SelectionSet, intro || isIntrospectionType(s.TypeCondition)), 0)
		case *ast.FragmentSpread:
			if f := c.doc.Fragments.ForName(s.Name); f != nil {
				t.add(c.fragment(f, intro || isIntrospectionType(f.TypeCondition)), 0)
			}
		}
	}
	return t
}

func (c *counter) field(f *ast.Field, intro bool) tally {
	root := !intro && (f.Name == "__schema" || f.Name == "__type")
	if intro || root {
		t := c.selections(f.SelectionSet, true)
		t.intro = satAdd(t.intro, 1)
		if root {
			t.introspects = true
			if c.introspection != nil {
				t.introCost = satAdd(t.introCost, c.introspection.root(c.doc, f))
			}
		}
		return t
	}
	var t tally
	t.add(c.selections(f.SelectionSet, false), 1)
	t.plain = satAdd(t.plain, 1)
	t.depth = max(t.depth, 1)
	return t
}

func (c *counter) fragment(f *ast.FragmentDefinition, intro bool) tally {
	key := fragmentMode{f.Name, intro}
	if t, ok := c.memo[key]; ok {
		return t
	}
	if c.visiting[f.Name] {
		return tally{}
	}
	c.visiting[f.Name] = true
	t := c.selections(f.SelectionSet, intro)
	delete(c.visiting, f.Name)
	c.memo[key] = t
	return t
}

// isIntrospectionType tells whether a type condition names an
// introspection type.
func isIntrospectionType(name string) bool { return strings.HasPrefix(name, "__") }

// satAdd adds counts without overflowing: fragments spread in fragments
// multiply counts.
func satAdd(a, b int) int { return min(a+b, maxCount) }

// satMul multiplies counts without overflowing.
func satMul(a, b int) int {
	if a == 0 || b == 0 {
		return 0
	}
	if a > maxCount/b {
		return maxCount
	}
	return a * b
}

// maxCount is where counts stop growing.
const maxCount = 1 << 40
