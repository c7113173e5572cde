package validate

import (
	"context"
	"maps"
	"math/bits"
	"runtime"
	"slices"
	"sync"

	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel"
	"k8s.io/apimachinery/pkg/util/validation/field"
	celconfig "k8s.io/apiserver/pkg/apis/cel"

	"github.com/routeshift/routeshift/internal/parallel"
)

// Compiling only the CEL rules an object can reach.
//
// cel.NewValidator compiles every x-kubernetes-validations rule of a schema
// when it is built: 89 rules and about 45 ms of CPU for HTTPRoute v1, most of
// a one-application render's run (bench/results.md). Yet the validator it
// builds evaluates a node's rules only when the object has a value there
// (validation.go, Validator.validate returns at once for a nil value, and
// validateMap and validateArray descend only into the values present). A
// rule on spec.rules[].filters[] cannot fire for a route without filters, so
// compiling it changes no verdict.
//
// celShape therefore numbers the schema nodes that carry rules, marks the
// ones an object reaches (after defaulting, which can add values that rules
// see), and builds the apiextensions validator from a copy of the schema
// whose unmarked nodes have their rules removed: the same code, the same
// walk, the same messages, fewer compiled rules. Types are untouched, so
// every rule that is compiled is compiled against the same declarations as
// before. TestPartialCELMatchesFull holds the verdicts equal to the
// full validator's on every golden output and on some 2,000 copies of its
// objects, each broken at a random place.
//
// Rules under allOf are never removed (they live in the value validation,
// not on the node), so every validator compiles them; a schema with allOf
// is therefore never split across validators, which would run them twice.
// Gateway API has none.

// ruleNode is a schema node on the way to a rule: its own rules' number, if
// it has rules, and its children that lead to more.
type ruleNode struct {
	id         int // -1 when the node itself carries no rules
	properties map[string]*ruleNode
	items      *ruleNode
	additional *ruleNode
}

// shape is a set of rule-bearing nodes, one bit each.
type shape []uint64

func (s shape) add(id int) { s[id/64] |= 1 << (id % 64) }

func (s shape) has(id int) bool { return s[id/64]&(1<<(id%64)) != 0 }

// covers reports whether s holds every node of o.
func (s shape) covers(o shape) bool {
	for i := range o {
		if o[i]&^s[i] != 0 {
			return false
		}
	}
	return true
}

func (s shape) union(o shape) shape {
	u := make(shape, len(s))
	for i := range s {
		u[i] = s[i] | o[i]
	}
	return u
}

func (s shape) count() int {
	n := 0
	for _, w := range s {
		n += bits.OnesCount64(w)
	}
	return n
}

// indexRules numbers the rule-bearing nodes of s, appending each one's
// number of rules to weights; nil when it has none.
func indexRules(s *structuralschema.Structural, weights *[]int) *ruleNode {
	if s == nil {
		return nil
	}
	n := &ruleNode{id: -1}
	if len(s.XValidations) > 0 {
		n.id = len(*weights)
		*weights = append(*weights, len(s.XValidations))
	}
	// Sorted, so that a schema's nodes are numbered the same in every run.
	for _, name := range slices.Sorted(maps.Keys(s.Properties)) {
		p := s.Properties[name]
		if c := indexRules(&p, weights); c != nil {
			if n.properties == nil {
				n.properties = map[string]*ruleNode{}
			}
			n.properties[name] = c
		}
	}
	n.items = indexRules(s.Items, weights)
	if s.AdditionalProperties != nil {
		n.additional = indexRules(s.AdditionalProperties.Structural, weights)
	}
	if n.id < 0 && n.properties == nil && n.items == nil && n.additional == nil {
		return nil
	}
	return n
}

// hasAllOf reports whether s or a schema below it has allOf.
func hasAllOf(s *structuralschema.Structural) bool {
	if s == nil {
		return false
	}
	if s.ValueValidation != nil && len(s.ValueValidation.AllOf) > 0 {
		return true
	}
	for _, p := range s.Properties {
		if hasAllOf(&p) {
			return true
		}
	}
	return hasAllOf(s.Items) || (s.AdditionalProperties != nil && hasAllOf(s.AdditionalProperties.Structural))
}

// mark adds to sh the rule-bearing nodes that obj has a value at, the
// nodes the validator's walk would visit. It may mark more than the walk
// visits (a property CEL cannot name is skipped by the validator whether
// or not its rules are compiled); it must never mark less.
func (n *ruleNode) mark(obj any, sh shape) {
	if n == nil || obj == nil {
		return
	}
	if n.id >= 0 {
		sh.add(n.id)
	}
	switch v := obj.(type) {
	case map[string]any:
		for name, c := range n.properties {
			if val, ok := v[name]; ok {
				c.mark(val, sh)
			}
		}
		if n.additional != nil {
			for _, val := range v {
				n.additional.mark(val, sh)
			}
		}
	case []any:
		if n.items != nil {
			for _, val := range v {
				n.items.mark(val, sh)
			}
		}
	}
}

// keep returns a copy of s whose rule-bearing nodes outside sh have no
// rules. Only the nodes on the way to rules are copied; the rest of the
// schema is shared, read-only, with s.
func keep(s *structuralschema.Structural, n *ruleNode, sh shape) *structuralschema.Structural {
	if n == nil {
		return s
	}
	cp := *s
	if n.id >= 0 && !sh.has(n.id) {
		cp.XValidations = nil
	}
	if n.properties != nil {
		cp.Properties = make(map[string]structuralschema.Structural, len(s.Properties))
		for name, p := range s.Properties {
			if c := n.properties[name]; c != nil {
				p = *keep(&p, c, sh)
			}
			cp.Properties[name] = p
		}
	}
	if n.items != nil {
		cp.Items = keep(s.Items, n.items, sh)
	}
	if n.additional != nil {
		ap := *s.AdditionalProperties
		ap.Structural = keep(s.AdditionalProperties.Structural, n.additional, sh)
		cp.AdditionalProperties = &ap
	}
	return &cp
}

// maxPartial is how many validators celShape compiles for parts of a
// schema before it compiles the whole: objects of new shapes arriving one
// by one would otherwise compile the growing union again and again, each
// time more of the full cost. With it, a kind never costs more than two
// small compilations and the full one.
const maxPartial = 2

// celShape hands out CEL validators for a version's schema, each compiled
// for the rules of the objects seen, and shared by every object they cover.
type celShape struct {
	schema  *structuralschema.Structural
	root    *ruleNode // nil: the schema has no rules
	nodes   int
	weights []int // rules per node
	allOf   bool  // some node has allOf: never split (see above)

	mu       sync.Mutex
	compiled []celCompiled
	seen     shape // every node any object has reached so far
}

type celCompiled struct {
	sh shape
	vs celValidators
}

func newCELShape(s *structuralschema.Structural) *celShape {
	c := &celShape{schema: s, allOf: hasAllOf(s)}
	c.root = indexRules(s, &c.weights)
	c.nodes = len(c.weights)
	return c
}

// shapeOf returns the rule-bearing nodes obj reaches; nil when the schema
// has no rules.
func (c *celShape) shapeOf(obj map[string]any) shape {
	if c.root == nil {
		return nil
	}
	sh := make(shape, (c.nodes+63)/64)
	c.root.mark(obj, sh)
	return sh
}

// validator returns validators that have compiled at least the rules of
// sh between them; nil when there are none to check.
func (c *celShape) validator(sh shape) celValidators {
	if sh == nil || sh.count() == 0 {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, e := range c.compiled {
		if e.sh.covers(sh) {
			return e.vs
		}
	}
	if c.seen == nil {
		c.seen = make(shape, len(sh))
	}
	c.seen = c.seen.union(sh)
	want := c.seen
	if len(c.compiled) >= maxPartial {
		want = c.all()
	}
	vs := c.compile(want)
	c.compiled = append(c.compiled, celCompiled{sh: want, vs: vs})
	return vs
}

// minSplit is the number of rules from which a compilation is split
// across cores. Each part costs a few hundred microseconds more than the
// rules it holds, so small sets stay whole.
const minSplit = 16

// compile builds validators for the rules of sh: one, or one per core for
// sets large enough to pay, the nodes dealt out by weight so that the
// parts compile in about the same time. Compiling is a one-application
// render's longest step, and the kinds of a batch compile side by side
// already, but HTTPRoute's rules outweigh every other kind's together.
func (c *celShape) compile(sh shape) celValidators {
	parts := min(runtime.GOMAXPROCS(0), 4)
	total := 0
	var ids []int
	for id := range c.nodes {
		if sh.has(id) {
			ids = append(ids, id)
			total += c.weights[id]
		}
	}
	if total < minSplit || parts < 2 || len(ids) < 2 || c.allOf {
		return celValidators{cel.NewValidator(keep(c.schema, c.root, sh), true, celconfig.PerCallLimit)}
	}
	// Heaviest first, each to the lightest part (ties by number, so the
	// split is the same every run).
	slices.SortStableFunc(ids, func(a, b int) int { return c.weights[b] - c.weights[a] })
	split := make([]shape, min(parts, len(ids)))
	load := make([]int, len(split))
	for i := range split {
		split[i] = make(shape, len(sh))
	}
	for _, id := range ids {
		lightest := slices.Index(load, slices.Min(load))
		split[lightest].add(id)
		load[lightest] += c.weights[id]
	}
	vs := make(celValidators, len(split))
	parallel.For(len(split), func(i int) {
		vs[i] = cel.NewValidator(keep(c.schema, c.root, split[i]), true, celconfig.PerCallLimit)
	})
	return vs
}

// all is the shape holding every rule-bearing node.
func (c *celShape) all() shape {
	if c.root == nil {
		return nil
	}
	sh := make(shape, (c.nodes+63)/64)
	for i := range c.nodes {
		sh.add(i)
	}
	return sh
}

// celValidators are compiled for disjoint sets of rules; together they
// check what one validator of all their rules checks.
type celValidators []*cel.Validator

// validate runs each validator on obj, handing the cost budget the one
// before left to the next, so the object has the one budget the server
// gives it (RuntimeCELCostBudget for all its rules). Only an object that
// exhausts it could see a difference: which rules ran before the
// validator gave up, which the server's order does not promise either.
func (vs celValidators) validate(s *structuralschema.Structural, obj map[string]any) field.ErrorList {
	var all field.ErrorList
	budget := int64(celconfig.RuntimeCELCostBudget)
	for _, v := range vs {
		if v == nil {
			continue
		}
		var errs field.ErrorList
		errs, budget = v.Validate(context.Background(), nil, s, obj, nil, budget)
		all = append(all, errs...)
		if budget < 0 {
			break
		}
	}
	return all
}
