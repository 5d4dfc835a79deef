package graph

import (
	"github.com/vektah/gqlparser/v2/ast"
)

// introspectionCost estimates how many values an introspection field
// answers, from the lengths of the schema's lists, so a document that asks
// for the schema many times over (aliases) or walks it into itself (a
// field's type's fields' types' fields) is refused before it runs. An
// estimate is an upper bound: a list counts its longest length, except
// where the answer lists every object of a kind once (every type, every
// directive, the fields of every type), where it counts them exactly, so
// the full introspection query of current tools is estimated close to the
// size of its answer.
type introspectionCost struct {
	// max is the largest estimate accepted: valuesPerElement values for each
	// element of the schema (type, field, argument, enum value, …).
	max int
	// sizes are the longest and the total lengths of each list.
	sizes map[introField]listSize
	// every is the number of objects of each kind in the schema.
	every map[introKind]int
}

// valuesPerElement is what one introspection answer may spend on each
// element of the schema. The full introspection query of graphql-js spends
// at most 36 (on a field or an argument: six values and a type reference
// nine levels deep), about 23 on this schema's mix of elements.
const valuesPerElement = 50

// introKind is a kind of introspection object.
type introKind uint8

const (
	schemaKind introKind = iota
	typeKind
	fieldKind
	inputValueKind
	enumValueKind
	directiveKind
)

// introField is a field of an introspection object.
type introField struct {
	kind introKind
	name string
}

// introEdge is a field whose value is introspection objects.
type introEdge struct {
	to   introKind
	list bool
	// every: asked of every object of its kind, the list holds every object
	// of kind to exactly once.
	every bool
}

// introEdges are the object-valued fields of the introspection types; the
// others answer one value (or, for locations, a short list of values).
var introEdges = map[introField]introEdge{
	{schemaKind, "types"}:            {to: typeKind, list: true, every: true},
	{schemaKind, "directives"}:       {to: directiveKind, list: true, every: true},
	{schemaKind, "queryType"}:        {to: typeKind},
	{schemaKind, "mutationType"}:     {to: typeKind},
	{schemaKind, "subscriptionType"}: {to: typeKind},
	{typeKind, "fields"}:             {to: fieldKind, list: true, every: true},
	{typeKind, "inputFields"}:        {to: inputValueKind, list: true},
	{typeKind, "interfaces"}:         {to: typeKind, list: true},
	{typeKind, "possibleTypes"}:      {to: typeKind, list: true},
	{typeKind, "enumValues"}:         {to: enumValueKind, list: true},
	{typeKind, "ofType"}:             {to: typeKind},
	{fieldKind, "args"}:              {to: inputValueKind, list: true},
	{fieldKind, "type"}:              {to: typeKind},
	{inputValueKind, "type"}:         {to: typeKind},
	{directiveKind, "args"}:          {to: inputValueKind, list: true},
	{directiveKind, "locations"}:     {to: enumValueKind, list: true},
}

// listSize is the longest and the total length of one list field over
// every object of its kind.
type listSize struct{ longest, total int }

func (s *listSize) add(n int) { s.longest, s.total = max(s.longest, n), s.total+n }

// newIntrospectionCost measures the lists of schema.
func newIntrospectionCost(schema *ast.Schema) *introspectionCost {
	c := &introspectionCost{sizes: map[introField]listSize{}, every: map[introKind]int{schemaKind: 1}}
	grow := func(kind introKind, name string, n int) {
		s := c.sizes[introField{kind, name}]
		s.add(n)
		c.sizes[introField{kind, name}] = s
	}
	grow(schemaKind, "types", len(schema.Types))
	grow(schemaKind, "directives", len(schema.Directives))
	for _, t := range schema.Types {
		if t.Kind == ast.InputObject {
			grow(typeKind, "inputFields", len(t.Fields))
		} else {
			grow(typeKind, "fields", len(t.Fields))
			for _, f := range t.Fields {
				grow(fieldKind, "args", len(f.Arguments))
			}
		}
		grow(typeKind, "interfaces", len(t.Interfaces))
		grow(typeKind, "possibleTypes", len(schema.GetPossibleTypes(t)))
		grow(typeKind, "enumValues", len(t.EnumValues))
	}
	for _, d := range schema.Directives {
		grow(directiveKind, "args", len(d.Arguments))
		grow(directiveKind, "locations", len(d.Locations))
	}
	c.every[typeKind] = len(schema.Types)
	c.every[directiveKind] = len(schema.Directives)
	c.every[fieldKind] = c.sizes[introField{typeKind, "fields"}].total
	elements := 0
	for _, s := range c.sizes {
		elements += s.total
	}
	c.max = valuesPerElement * elements
	return c
}

// root estimates the answer of a __schema or __type field of doc.
func (c *introspectionCost) root(doc *ast.QueryDocument, f *ast.Field) int {
	w := costWalker{introspectionCost: c, doc: doc, memo: map[costKey]int{}, visiting: map[string]bool{}}
	if f.Name == "__schema" {
		return satAdd(1, w.set(f.SelectionSet, schemaKind, true))
	}
	return satAdd(1, w.set(f.SelectionSet, typeKind, false))
}

// costKey is a fragment applied to one object of a kind, or to every
// object of that kind.
type costKey struct {
	name  string
	kind  introKind
	every bool
}

// costWalker estimates selection sets, each fragment once per costKey.
type costWalker struct {
	*introspectionCost
	doc      *ast.QueryDocument
	memo     map[costKey]int
	visiting map[string]bool
}

// set estimates the values set answers for one object of kind, or, with
// every, for every object of kind together.
func (w *costWalker) set(set ast.SelectionSet, kind introKind, every bool) int {
	n := 1
	if every {
		n = w.every[kind]
	}
	v := 0
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			v = satAdd(v, w.field(s, kind, every, n))
		case *ast.InlineFragment:
			v = satAdd(v, w.set(s.SelectionSet, kind, every))
		case *ast.FragmentSpread:
			v = satAdd(v, w.fragment(s.Name, kind, every))
		}
	}
	return v
}

// field estimates field f of the n objects of kind that set applies to.
func (w *costWalker) field(f *ast.Field, kind introKind, every bool, n int) int {
	e, ok := introEdges[introField{kind, f.Name}]
	if !ok {
		return n // one value each (unknown fields are refused by validation)
	}
	count := n // the objects f answers, in all
	if e.list {
		size := w.sizes[introField{kind, f.Name}]
		count = satMul(n, size.longest)
		if every {
			count = size.total
		}
	}
	if every && e.every {
		return satAdd(count, w.set(f.SelectionSet, e.to, true))
	}
	return satAdd(count, satMul(count, w.set(f.SelectionSet, e.to, false)))
}

func (w *costWalker) fragment(name string, kind introKind, every bool) int {
	key := costKey{name, kind, every}
	if v, ok := w.memo[key]; ok {
		return v
	}
	f := w.doc.Fragments.ForName(name)
	if f == nil || w.visiting[name] {
		return 0
	}
	w.visiting[name] = true
	v := w.set(f.SelectionSet, kind, every)
	delete(w.visiting, name)
	w.memo[key] = v
	return v
}
