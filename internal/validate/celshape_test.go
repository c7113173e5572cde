package validate

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel"
	"k8s.io/apimachinery/pkg/util/validation/field"
	celconfig "k8s.io/apiserver/pkg/apis/cel"
)

// TestPartialCELMatchesFull is the check that compiling only the rules an
// object reaches (celshape.go) changes no verdict: every Gateway API
// object of the golden outputs, and broken copies of each, get the same
// errors from validators compiled for exactly the object's shape (split
// across cores when there are enough rules) as from one validator
// compiled with every rule of the schema, the API server's.
func TestPartialCELMatchesFull(t *testing.T) {
	v, err := New(Experimental)
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, pattern := range []string{"../../testdata/cases/*/expected.yaml", "../../testdata/implementations/*/*/expected.yaml"} {
		f, _ := filepath.Glob(pattern)
		files = append(files, f...)
	}
	if len(files) < 100 {
		t.Fatalf("found %d golden outputs; the globs are wrong", len(files))
	}
	full := map[*version]celValidators{}
	partial := map[string]celValidators{} // by kind, version and shape
	rng := rand.New(rand.NewPCG(19, 1))
	objects, withCEL, splits := 0, 0, 0
	messages := map[string]bool{}
	for _, f := range files {
		for _, obj := range readObjects(t, f) {
			ver := versionOf(t, v, obj)
			if ver == nil || ver.cel.root == nil {
				continue
			}
			if full[ver] == nil {
				full[ver] = celValidators{cel.NewValidator(ver.structural, true, celconfig.PerCallLimit)}
			}
			for _, o := range append([]map[string]any{obj}, breakCopies(obj, rng, 4)...) {
				c := ver.check(o)
				if c.shape == nil {
					continue // blocked before CEL, by both
				}
				key := fmt.Sprintf("%s/%v", ver.gvk, c.shape)
				p, ok := partial[key]
				if !ok {
					p = ver.cel.compile(c.shape)
					partial[key] = p
					if len(p) > 1 {
						splits++
					}
				}
				want := sortedErrors(ver.checkCEL(c, full[ver]))
				got := sortedErrors(ver.checkCEL(c, p))
				if !slices.Equal(got, want) {
					id := identify(ver.gvk.Kind, o)
					t.Errorf("%s: %s: compiled for its shape %q, with every rule %q", f, id.Object(), got, want)
				}
				objects++
				if n := len(want) - len(c.errs); n > 0 {
					withCEL++
					for _, m := range want[len(want)-n:] {
						messages[m[strings.LastIndex(m, ": ")+1:]] = true
					}
				}
			}
		}
	}
	// The broken copies must reach the rules, or the comparison proves
	// little about them.
	t.Logf("%d objects, %d with CEL errors (%d distinct messages), %d shapes compiled, %d of them split", objects, withCEL, len(messages), len(partial), splits)
	if splits == 0 && runtime.GOMAXPROCS(0) > 1 {
		t.Error("no compilation was split across cores; the split is untested")
	}
	if objects < 1000 || withCEL < 100 || len(messages) < 20 {
		t.Errorf("%d objects, %d with CEL errors, %d distinct messages: too few to trust the comparison", objects, withCEL, len(messages))
	}
}

// readObjects decodes every document of a YAML file.
func readObjects(t *testing.T, file string) []map[string]any {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	docs, err := splitDocuments(data)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	objs := make([]map[string]any, len(docs))
	for i, doc := range docs {
		if objs[i], err = decodeYAML(doc); err != nil {
			t.Fatalf("%s, document %d: %v", file, i+1, err)
		}
	}
	return objs
}

// versionOf is the compiled version obj names, or nil for other kinds.
func versionOf(t *testing.T, v *Validator, obj map[string]any) *version {
	t.Helper()
	apiVersion, kind := str(obj["apiVersion"]), str(obj["kind"])
	k, ok := v.lookup(apiVersion, kind)
	if !ok {
		return nil
	}
	ver, ok, err := k.version(apiVersion[strings.LastIndex(apiVersion, "/")+1:])
	if err != nil || !ok {
		t.Fatalf("%s %s: %v", apiVersion, kind, err)
	}
	return ver
}

func sortedErrors(errs field.ErrorList) []string {
	out := make([]string, len(errs))
	for i, e := range errs {
		out[i] = e.Error()
	}
	// Only the CEL errors, which come last, are sorted by checkCEL; the
	// comparison is of sets.
	slices.Sort(out)
	return out
}

// breakCopies returns n copies of obj, each with one value changed to one
// that Gateway API's rules exist to refuse: a path with "//", a redirect to
// an empty hostname, a filter whose type names another filter, a list with
// its first item repeated, a field removed.
func breakCopies(obj map[string]any, rng *rand.Rand, n int) []map[string]any {
	var paths [][]any
	walkValues(obj, nil, func(p []any) { paths = append(paths, slices.Clone(p)) })
	var out []map[string]any
	for range n {
		p := paths[rng.IntN(len(paths))]
		cp := deepCopy(obj).(map[string]any)
		parent, last := locate(cp, p)
		if parent == nil {
			continue
		}
		old := get(parent, last)
		var val any
		switch old := old.(type) {
		case string:
			val = []string{"", "/a//b", "RequestRedirect", "URLRewrite", "PathPrefix", "Exact", "RegularExpression", "a b", "*", "https", strings.Repeat("x", 300), "/" + old + "/../x"}[rng.IntN(12)]
		case int64:
			val = []int64{0, -1, 1, 65536, 301, 302, 404, old + 1}[rng.IntN(8)]
		case bool:
			val = !old
		case []any:
			if len(old) > 0 && rng.IntN(2) == 0 {
				val = append(slices.Clone(old), deepCopy(old[0]))
			} else {
				val = []any{}
			}
		case map[string]any:
			val = map[string]any{}
		}
		if rng.IntN(5) == 0 {
			val = nil // removed
		}
		set(parent, last, val)
		out = append(out, cp)
	}
	return out
}

// walkValues calls f with the path of every value under spec.
func walkValues(v any, path []any, f func([]any)) {
	switch v := v.(type) {
	case map[string]any:
		for _, k := range slices.Sorted(func(yield func(string) bool) {
			for k := range v {
				if !yield(k) {
					return
				}
			}
		}) {
			if len(path) == 0 && k != "spec" {
				continue
			}
			p := append(path, k)
			f(p)
			walkValues(v[k], p, f)
		}
	case []any:
		for i, e := range v {
			p := append(path, i)
			f(p)
			walkValues(e, p, f)
		}
	}
}

func locate(root any, path []any) (parent any, last any) {
	cur := root
	for _, step := range path[:len(path)-1] {
		cur = get(cur, step)
	}
	return cur, path[len(path)-1]
}

func get(container, step any) any {
	switch c := container.(type) {
	case map[string]any:
		return c[step.(string)]
	case []any:
		return c[step.(int)]
	}
	return nil
}

func set(container, step, val any) {
	switch c := container.(type) {
	case map[string]any:
		if val == nil {
			delete(c, step.(string))
		} else {
			c[step.(string)] = val
		}
	case []any:
		c[step.(int)] = val
	}
}

func deepCopy(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = deepCopy(e)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = deepCopy(e)
		}
		return out
	}
	return v
}

// TestValidateAllCompilesOnce: a batch compiles each kind once, for the
// union of its objects' shapes, and no more of the schema than they reach;
// a rule only one object of the batch reaches still fires.
func TestValidateAllCompilesOnce(t *testing.T) {
	v, err := New(Standard)
	if err != nil {
		t.Fatal(err)
	}
	plain := mustDecode(t, route(`
- backendRefs: [{name: web, port: 80}]
`))
	badRewrite := mustDecode(t, route(`
- matches:
  - path: {type: Exact, value: /api}
  filters:
  - type: URLRewrite
    urlRewrite:
      path: {type: ReplacePrefixMatch, replacePrefixMatch: /v2}
  backendRefs: [{name: api, port: 8080}]
`))
	got := v.ValidateAll([]map[string]any{plain, badRewrite, plain})
	if got[0] != nil || got[2] != nil {
		t.Errorf("plain routes: %v %v", got[0], got[2])
	}
	assertErrors(t, got[1], []string{prefix + "spec.rules[0]: Invalid value: When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified"})

	ver := versionOf(t, v, plain)
	if n := len(ver.cel.compiled); n != 1 {
		t.Fatalf("%d compilations for one batch, want 1", n)
	}
	compiled := ver.cel.compiled[0].sh.count()
	if compiled == 0 || compiled >= ver.cel.nodes {
		t.Errorf("compiled the rules of %d of %d nodes; want some, not all", compiled, ver.cel.nodes)
	}
	// A timeout is reached by neither object: its rule is not compiled.
	if ver.cel.compiled[0].sh.covers(ver.cel.shapeOf(mustDecode(t, route(`
- timeouts: {request: 1s, backendRequest: 2s}
  backendRefs: [{name: web, port: 80}]
`)))) {
		t.Error("the batch's validator covers a timeout no object of it has")
	}
}

// TestOneByOneCompilationsAreBounded: objects of new shapes validated one
// by one each get their rules compiled, until maxPartial compilations,
// after which the whole schema is compiled once and covers everything.
func TestOneByOneCompilationsAreBounded(t *testing.T) {
	v, err := New(Standard)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		rules string
		want  []string
	}{
		{rules: "- backendRefs: [{name: web, port: 80}]"},
		{
			rules: "- timeouts: {request: 1s, backendRequest: 2s}\n  backendRefs: [{name: web, port: 80}]",
			want:  []string{prefix + "spec.rules[0].timeouts: Invalid value: backendRequest timeout cannot be longer than request timeout"},
		},
		{
			rules: "- filters:\n  - type: RequestRedirect\n    requestRedirect: {scheme: https}\n  - type: RequestRedirect\n    requestRedirect: {scheme: https}",
			want:  []string{prefix + "spec.rules[0].filters: Invalid value: RequestRedirect filter cannot be repeated"},
		},
		{
			rules: "- matches:\n  - path: {type: PathPrefix, value: /a//b}\n  backendRefs: [{name: web, port: 80}]",
			want:  []string{prefix + "spec.rules[0].matches[0].path: Invalid value: must not contain '//' when type one of ['Exact', 'PathPrefix']"},
		},
	}
	for i, c := range cases {
		assertErrors(t, v.Validate(mustDecode(t, route(c.rules))), c.want)
		ver := versionOf(t, v, mustDecode(t, route(c.rules)))
		if n, want := len(ver.cel.compiled), min(i+1, maxPartial+1); n != want {
			t.Errorf("after object %d: %d compilations, want %d", i, n, want)
		}
	}
	ver := versionOf(t, v, mustDecode(t, route(cases[0].rules)))
	if last := ver.cel.compiled[len(ver.cel.compiled)-1].sh; last.count() != ver.cel.nodes {
		t.Errorf("the last compilation has %d of %d nodes, want all", last.count(), ver.cel.nodes)
	}
}

// TestAllOfRulesRunOnce: a rule under allOf is compiled into every
// validator (celshape.go keeps it whole), so a schema with allOf is not
// split, or the rule would report twice.
func TestAllOfRulesRunOnce(t *testing.T) {
	var props strings.Builder
	for i := range 20 {
		fmt.Fprintf(&props, "              f%02d:\n                type: object\n                x-kubernetes-validations: [{rule: \"true\", message: never}]\n", i)
	}
	crd := `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            allOf:
            - x-kubernetes-validations: [{rule: "self.a != 'bad'", message: allOf says no}]
            properties:
              a: {type: string}
` + props.String()
	v, err := NewFromCRDs(map[string][]byte{"widgets.yaml": []byte(crd)})
	if err != nil {
		t.Fatal(err)
	}
	spec := map[string]any{"a": "bad"}
	for i := range 20 {
		spec[fmt.Sprintf("f%02d", i)] = map[string]any{}
	}
	obj := map[string]any{"apiVersion": "example.com/v1", "kind": "Widget", "metadata": map[string]any{"name": "w", "namespace": "ns"}, "spec": spec}
	assertErrors(t, v.Validate(obj), []string{`Widget/ns/w: spec: Invalid value: allOf says no`})
	if vs := versionOf(t, v, obj).cel.compiled[0].vs; len(vs) != 1 {
		t.Errorf("compiled as %d validators; a schema with allOf must not be split", len(vs))
	}
}

// TestCELErrorsAreSorted: the validator visits a mapping's fields in Go's
// random map order, so two rules failing on sibling fields came out in
// either order; checkCEL sorts them, and the same object gets the same
// report every time.
func TestCELErrorsAreSorted(t *testing.T) {
	v := validator(t, Standard)
	obj := mustDecode(t, route(`
- timeouts: {request: 1s, backendRequest: 2s}
  filters:
  - type: RequestRedirect
    requestRedirect: {scheme: https}
  - type: RequestRedirect
    requestRedirect: {scheme: https}
`))
	first := errStrings(v.Validate(obj))
	if len(first) != 2 || !slices.IsSorted(first) {
		t.Fatalf("want two CEL errors in sorted order, got %q", first)
	}
	for range 30 {
		if got := errStrings(v.Validate(obj)); !slices.Equal(got, first) {
			t.Fatalf("a second validation reported %q, the first %q", got, first)
		}
	}
}
