// Command extract reads the Gateway API conformance suite's HTTPRoute tests
// as data and writes their request -> expectation cases, with the manifests
// they need, under testdata/routing/conformance.
//
// The suite is a separate module (sigs.k8s.io/gateway-api/conformance) that
// routeshift does not import: its tests run against a live cluster, and
// its newer releases need a newer Go. Its expectations are plain struct
// literals, though, so they can be read with go/ast without compiling
// anything. Each http.ExpectedResponse literal inside a test's Test func is
// evaluated into JSON; what cannot be evaluated statically (calls, loop
// variables) becomes {"unresolved": "<source>"}, and the test that uses the
// case skips it. A case is sent to the Gateway whose address is passed to
// the next request call after it in the source (the tests define a batch of
// cases, then loop over it with one gwAddr), which is how multi-Gateway
// tests such as HTTPRouteRedirectPortAndScheme are resolved.
//
// Usage (go generate in internal/proof/gateway runs it):
//
//	go run ./internal/proof/internal/conformance/extract -dir <module dir> -out testdata/routing/conformance
//
// Without -dir it asks `go mod download` for the pinned version.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Version is the conformance module version matching the pinned
// sigs.k8s.io/gateway-api.
const Version = "v1.6.3"

func main() {
	dir := flag.String("dir", "", "conformance module directory (default: go mod download)")
	out := flag.String("out", "testdata/routing/conformance", "output directory")
	flag.Parse()
	if err := run(*dir, *out); err != nil {
		fmt.Fprintln(os.Stderr, "extract:", err)
		os.Exit(1)
	}
}

func run(dir, out string) error {
	if dir == "" {
		cmd := exec.Command("go", "mod", "download", "-json", "sigs.k8s.io/gateway-api/conformance@"+Version)
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
		b, err := cmd.Output()
		if err != nil {
			return fmt.Errorf("go mod download: %w", err)
		}
		var info struct{ Dir string }
		if err := json.Unmarshal(b, &info); err != nil {
			return err
		}
		dir = info.Dir
	}
	consts, err := constants(filepath.Join(dir, "utils", "suite"))
	if err != nil {
		return err
	}
	files, err := filepath.Glob(filepath.Join(dir, "tests", "*.go"))
	if err != nil {
		return err
	}
	sort.Strings(files)
	var tests []*Test
	for _, f := range files {
		ts, err := extractFile(f, consts)
		if err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		tests = append(tests, ts...)
	}
	if err := os.MkdirAll(filepath.Join(out, "tests"), 0o755); err != nil {
		return err
	}
	manifests := map[string]bool{"base/manifests.yaml": true}
	for _, t := range tests {
		for _, m := range t.Manifests {
			manifests[m] = true
		}
	}
	for m := range manifests {
		b, err := os.ReadFile(filepath.Join(dir, m))
		if err != nil {
			return err
		}
		dst := filepath.Join(out, m)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(dst, b, 0o644); err != nil {
			return err
		}
	}
	doc := struct {
		Module string  `json:"module"`
		Tests  []*Test `json:"tests"`
	}{"sigs.k8s.io/gateway-api/conformance@" + Version, tests}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(out, "cases.json"), append(b, '\n'), 0o644)
}

// Test is one ConformanceTest with its cases.
type Test struct {
	Name      string   `json:"name"`
	File      string   `json:"file"`
	Features  []string `json:"features"`
	Manifests []string `json:"manifests"`
	Cases     []*Case  `json:"cases"`
}

// Case is one http.ExpectedResponse, evaluated.
type Case struct {
	Line    int    `json:"line"`
	Gateway string `json:"gateway"`
	Loop    bool   `json:"loop,omitempty"`
	// TLS cases are sent over HTTPS; Mutated ones after the test changed
	// an object.
	TLS     bool           `json:"tls,omitempty"`
	Mutated bool           `json:"mutated,omitempty"`
	Expect  map[string]any `json:"expect"`
	pos     token.Pos
}

// constants reads the string constants of the suite's utils/suite package.
func constants(dir string) (map[string]string, error) {
	out := map[string]string{}
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	for _, f := range files {
		af, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			return nil, err
		}
		for _, d := range af.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, s := range gd.Specs {
				vs := s.(*ast.ValueSpec)
				for i, n := range vs.Names {
					if i < len(vs.Values) {
						if bl, ok := vs.Values[i].(*ast.BasicLit); ok && bl.Kind == token.STRING {
							out[n.Name], _ = strconv.Unquote(bl.Value)
						}
					}
				}
			}
		}
	}
	return out, nil
}

func extractFile(path string, consts map[string]string) ([]*Test, error) {
	fset := token.NewFileSet()
	af, err := parser.ParseFile(fset, path, nil, 0)
	if err != nil {
		return nil, err
	}
	var tests []*Test
	for _, d := range af.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.VAR {
			continue
		}
		for _, s := range gd.Specs {
			vs := s.(*ast.ValueSpec)
			for _, v := range vs.Values {
				cl, ok := v.(*ast.CompositeLit)
				if !ok || typeName(cl.Type) != "confsuite.ConformanceTest" {
					continue
				}
				t := extractTest(fset, cl, consts)
				if t != nil && (strings.HasPrefix(t.Name, "HTTPRoute") || strings.HasPrefix(t.Name, "ListenerSet")) {
					t.File = "tests/" + filepath.Base(path)
					tests = append(tests, t)
				}
			}
		}
	}
	return tests, nil
}

func typeName(e ast.Expr) string {
	var b bytes.Buffer
	if e != nil {
		printer.Fprint(&b, token.NewFileSet(), e)
	}
	return b.String()
}

func extractTest(fset *token.FileSet, cl *ast.CompositeLit, consts map[string]string) *Test {
	ev := &evaluator{fset: fset, consts: consts, env: map[string]any{}}
	t := &Test{}
	var body *ast.FuncLit
	for _, e := range cl.Elts {
		kv, ok := e.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		switch kv.Key.(*ast.Ident).Name {
		case "ShortName":
			t.Name, _ = ev.eval(kv.Value).(string)
		case "Features":
			if c, ok := kv.Value.(*ast.CompositeLit); ok {
				for _, f := range c.Elts {
					if se, ok := f.(*ast.SelectorExpr); ok {
						t.Features = append(t.Features, se.Sel.Name)
					}
				}
			}
		case "Manifests":
			if c, ok := kv.Value.(*ast.CompositeLit); ok {
				for _, m := range c.Elts {
					if s, ok := ev.eval(m).(string); ok {
						t.Manifests = append(t.Manifests, s)
					}
				}
			}
		case "Test":
			body, _ = kv.Value.(*ast.FuncLit)
		}
	}
	if body == nil {
		return t
	}
	type call struct {
		pos, end token.Pos
		gw       string
		tls      bool
	}
	var calls []call
	gwAddr := map[string]string{}
	loopDepth := 0
	var walk func(n ast.Node) bool
	walk = func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			// Cases built inside loops use loop variables.
			loopDepth++
			ast.Inspect(n, func(c ast.Node) bool {
				if c == n {
					return true
				}
				return walk(c)
			})
			loopDepth--
			return false
		case *ast.AssignStmt:
			for i, lhs := range n.Lhs {
				id, ok := lhs.(*ast.Ident)
				if !ok || i >= len(n.Rhs) {
					continue
				}
				if gw := acceptedGateway(n.Rhs[i], ev); gw != "" {
					gwAddr[id.Name] = gw
					continue
				}
				if v := ev.eval(n.Rhs[i]); !isUnresolved(v) {
					ev.env[id.Name] = v
				}
			}
		case *ast.CallExpr:
			name := typeName(n.Fun)
			if strings.Contains(name, "MakeRequestAndExpect") || strings.Contains(name, "MakeTLSRequestAndExpect") {
				for _, a := range n.Args {
					if id, ok := a.(*ast.Ident); ok {
						if gw, ok := gwAddr[id.Name]; ok {
							calls = append(calls, call{n.Pos(), n.End(), gw, strings.Contains(name, "TLS")})
						}
					}
				}
			}
			// Cases after the test deletes or changes an object expect
			// the changed cluster, which the manifests do not show.
			if strings.Contains(name, "Client.Delete") || strings.Contains(name, "Client.Update") || strings.Contains(name, "Client.Patch") {
				ev.mutated = true
			}
		case *ast.CompositeLit:
			tn := typeName(n.Type)
			if tn == "[]http.ExpectedResponse" {
				for _, e := range n.Elts {
					if c, ok := e.(*ast.CompositeLit); ok {
						t.Cases = append(t.Cases, ev.caseOf(c, loopDepth > 0))
					}
				}
				return false
			}
			if tn == "http.ExpectedResponse" {
				t.Cases = append(t.Cases, ev.caseOf(n, loopDepth > 0))
				return false
			}
		}
		return true
	}
	ast.Inspect(body.Body, walk)
	for _, c := range t.Cases {
		c.Line = fset.Position(c.pos).Line
		var use *call
		for i := range calls {
			cl := &calls[i]
			if cl.pos < c.pos && c.pos < cl.end {
				use = cl // the case is an argument of this call
				break
			}
			if use == nil && cl.pos > c.pos {
				use = cl
			}
		}
		if use == nil && len(calls) > 0 {
			use = &calls[len(calls)-1]
		}
		if use != nil {
			c.Gateway, c.TLS = use.gw, use.tls
		}
	}
	return t
}

// acceptedGateway recognises gwAddr := kubernetes.GatewayAndHTTPRoutesMustBeAccepted(..., kubernetes.NewGatewayRef(gwNN, ...), ...)
// and gwAddr, err := kubernetes.WaitForGatewayAddress(..., kubernetes.NewGatewayRef(gwNN, ...)) (the ListenerSet
// tests' form) and returns the Gateway's namespace/name.
func acceptedGateway(e ast.Expr, ev *evaluator) string {
	c, ok := e.(*ast.CallExpr)
	if !ok || !(strings.Contains(typeName(c.Fun), "MustBeAccepted") || strings.HasSuffix(typeName(c.Fun), "WaitForGatewayAddress")) {
		return ""
	}
	for _, a := range c.Args {
		ac, ok := a.(*ast.CallExpr)
		if !ok || !strings.HasSuffix(typeName(ac.Fun), "NewGatewayRef") || len(ac.Args) == 0 {
			continue
		}
		if nn, ok := ev.eval(ac.Args[0]).(map[string]any); ok {
			ns, _ := nn["Namespace"].(string)
			name, _ := nn["Name"].(string)
			return ns + "/" + name
		}
	}
	return ""
}

func isUnresolved(v any) bool {
	m, ok := v.(map[string]any)
	if !ok {
		return false
	}
	_, u := m["unresolved"]
	return u
}

type evaluator struct {
	fset   *token.FileSet
	consts map[string]string
	env    map[string]any
	// mutated is set once the test has changed the cluster.
	mutated bool
}

func (ev *evaluator) caseOf(cl *ast.CompositeLit, loop bool) *Case {
	v, _ := ev.eval(cl).(map[string]any)
	return &Case{Expect: v, Loop: loop, Mutated: ev.mutated, pos: cl.Pos()}
}

func (ev *evaluator) src(e ast.Expr) string {
	var b bytes.Buffer
	printer.Fprint(&b, ev.fset, e)
	return b.String()
}

// methods are net/http's method constants, which some tests use.
var methods = map[string]string{"MethodGet": "GET", "MethodPost": "POST", "MethodPut": "PUT", "MethodDelete": "DELETE",
	"MethodPatch": "PATCH", "MethodHead": "HEAD", "MethodOptions": "OPTIONS", "MethodConnect": "CONNECT", "MethodTrace": "TRACE"}

func (ev *evaluator) eval(e ast.Expr) any {
	switch e := e.(type) {
	case *ast.BasicLit:
		switch e.Kind {
		case token.STRING:
			s, _ := strconv.Unquote(e.Value)
			return s
		case token.INT:
			i, _ := strconv.Atoi(e.Value)
			return i
		}
	case *ast.Ident:
		switch e.Name {
		case "true":
			return true
		case "false":
			return false
		case "nil":
			return nil
		}
		if v, ok := ev.env[e.Name]; ok {
			return v
		}
	case *ast.SelectorExpr:
		if x, ok := e.X.(*ast.Ident); ok {
			if x.Name == "confsuite" || x.Name == "suite" {
				if v, ok := ev.consts[e.Sel.Name]; ok {
					return v
				}
			}
			if m, ok := methods[e.Sel.Name]; ok {
				return m
			}
		}
	case *ast.UnaryExpr:
		if e.Op == token.AND {
			return ev.eval(e.X)
		}
	case *ast.CompositeLit:
		if _, isArray := e.Type.(*ast.ArrayType); isArray {
			var out []any
			for _, x := range e.Elts {
				out = append(out, ev.eval(x))
			}
			return out
		}
		out := map[string]any{}
		for _, x := range e.Elts {
			kv, ok := x.(*ast.KeyValueExpr)
			if !ok {
				return map[string]any{"unresolved": ev.src(e)}
			}
			var key string
			switch k := kv.Key.(type) {
			case *ast.Ident:
				key = k.Name
			default:
				s, ok := ev.eval(k).(string)
				if !ok {
					return map[string]any{"unresolved": ev.src(e)}
				}
				key = s
			}
			out[key] = ev.eval(kv.Value)
		}
		return out
	}
	return map[string]any{"unresolved": ev.src(e)}
}
