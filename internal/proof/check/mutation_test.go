package check

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/routeshift/routeshift/internal/golden"
	"github.com/routeshift/routeshift/internal/proof/gateway"
	"github.com/routeshift/routeshift/internal/proof/internal/kube"
	"github.com/routeshift/routeshift/internal/proof/nginx"
	"github.com/routeshift/routeshift/internal/proof/report"
	"github.com/routeshift/routeshift/internal/proof/routing"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

const casesDir = "../../../testdata/cases"

// caseOptions reads what the golden case's functionConfig says about which
// Ingresses ingress-nginx serves: class names, unclassed, the prefix.
func caseOptions(t *testing.T, dir string) nginx.Options {
	var opts nginx.Options
	docs, err := readManifests(filepath.Join(dir, "config.yaml"))
	if err != nil || len(docs) != 1 {
		return opts
	}
	cfg := docs[0]
	kind := scalarOf(cfg, "kind")
	get := func(keys ...string) string {
		if kind == "ConfigMap" {
			return scalarOf(cfg, "data", keys[len(keys)-1])
		}
		return scalarOf(cfg, append([]string{"spec"}, keys...)...)
	}
	opts.Prefix = get("annotationsPrefix")
	if get("includeUnclassed") == "false" {
		opts.ExcludeUnclassed = true
	}
	if kind == "ConfigMap" {
		if v := get("ingressClassNames"); v != "" {
			opts.Classes = strings.Split(v, ",")
		}
	} else if n := lookup(cfg, "spec", "ingressClassNames"); n != nil {
		for _, c := range n.Content {
			opts.Classes = append(opts.Classes, c.Value)
		}
	}
	// spec.controller is the controller profile, which diff decodes itself.
	if kind != "ConfigMap" {
		if data, err := os.ReadFile(filepath.Join(dir, "config.yaml")); err == nil {
			if p, err := nginx.ParseProfile(data); err == nil {
				opts.Profile = p
			}
		}
	}
	return opts
}

// readManifests reads a file's documents as node trees, for the tests to
// read settings from and for mutants to change. It is not how diff reads
// (kube.ReadStream does): mutants are written back and read that way.
func readManifests(path string) ([]*yaml.Node, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var docs []*yaml.Node
	for {
		var doc yaml.Node
		if err := dec.Decode(&doc); err == io.EOF {
			return docs, nil
		} else if err != nil {
			return nil, err
		}
		if len(doc.Content) > 0 {
			docs = append(docs, doc.Content[0])
		}
	}
}

// objectsOf writes the documents out and reads them as diff does.
func objectsOf(docs []*yaml.Node) ([]*kube.Object, error) {
	var b bytes.Buffer
	for _, d := range docs {
		b.WriteString("---\n")
		enc := yaml.NewEncoder(&b)
		if err := enc.Encode(d); err != nil {
			return nil, err
		}
		enc.Close()
	}
	return kube.ReadStream(b.Bytes(), "mutant.yaml")
}

func lookup(n *yaml.Node, keys ...string) *yaml.Node {
	for _, k := range keys {
		if n == nil || n.Kind != yaml.MappingNode {
			return nil
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == k {
				next = n.Content[i+1]
			}
		}
		n = next
	}
	return n
}

func scalarOf(n *yaml.Node, keys ...string) string {
	if n = lookup(n, keys...); n != nil && n.Kind == yaml.ScalarNode {
		return n.Value
	}
	return ""
}

type goldenCase struct {
	name     string
	ingress  *nginx.Model
	gateway  *gateway.Model
	baseline report.Comparison
	err      error
}

func loadCase(t *testing.T, dir string) goldenCase {
	return loadCaseAs(t, dir, gateway.Spec)
}

func loadCaseAs(t *testing.T, dir string, impl gateway.Implementation) goldenCase {
	c := goldenCase{name: filepath.Base(dir)}
	in, err := kube.ReadPaths([]string{filepath.Join(dir, "input.yaml")}, nil)
	if err != nil {
		c.err = err
		return c
	}
	out, err := kube.ReadPaths([]string{filepath.Join(dir, "expected.yaml")}, nil)
	if err != nil {
		c.err = err
		return c
	}
	if c.ingress, err = nginx.Build(in, caseOptions(t, dir)); err != nil {
		c.err = err
		return c
	}
	if c.gateway, err = gateway.Build(out, gateway.Options{Implementation: impl}); err != nil {
		c.err = err
		return c
	}
	c.baseline = Compare("input.yaml", c.ingress, "expected.yaml", c.gateway)
	return c
}

// TestGoldenCasesRouteTheSame compares the Ingress side of every golden
// case's input.yaml with the Gateway API side of its expected.yaml (the
// converter's output; diff never runs the converter), as the specification
// and as each implementation routes. A case routes the same unless the
// tables of known differences say how many requests differ and why; a case
// that stops differing must be taken off the table.
func TestGoldenCasesRouteTheSame(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join(casesDir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	for _, impl := range append([]gateway.Implementation{gateway.Spec}, gateway.Implementations()...) {
		name := string(impl)
		if impl == gateway.Spec {
			name = "specification"
		}
		t.Run(name, func(t *testing.T) { goldenCasesRoute(t, dirs, impl) })
	}
}

func goldenCasesRoute(t *testing.T, dirs []string, impl gateway.Implementation) {
	equivalent := 0
	for _, dir := range dirs {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			continue
		}
		c := loadCaseAs(t, dir, impl)
		known, listed := knownDifferences[c.name]
		if k, ok := knownAs[c.name][impl]; ok {
			known, listed = k, true
		}
		if c.err != nil {
			if !listed || known.n != rejected {
				t.Errorf("%s: %v", c.name, c.err)
			}
			continue
		}
		got := c.baseline.Differences
		want := 0
		if listed {
			want = known.n
		}
		if got != want {
			var b strings.Builder
			report.New(c.baseline).WriteText(&b)
			t.Errorf("%s: %d requests differ, the table of known differences says %d:\n%s", c.name, got, want, b.String())
			continue
		}
		if got == 0 {
			equivalent++
		}
	}
	t.Logf("%d golden cases route the same", equivalent)
}

// mutant changes the Gateway API side of a case; it reports false when the
// case has nothing to change.
type mutant struct {
	name   string
	mutate func(docs []*yaml.Node) bool
}

var mutants = []mutant{
	{"change a backend name", func(objs []*yaml.Node) bool {
		return eachRule(objs, func(rule *yaml.Node) bool {
			refs := lookup(rule, "backendRefs")
			if refs == nil || len(refs.Content) == 0 {
				return false
			}
			n := lookup(refs.Content[0], "name")
			n.Value += "-mutant"
			return true
		})
	}},
	{"change a weight", func(objs []*yaml.Node) bool {
		return eachRule(objs, func(rule *yaml.Node) bool {
			refs := lookup(rule, "backendRefs")
			if refs == nil || len(refs.Content) == 0 {
				return false
			}
			if len(refs.Content) == 1 {
				// One backend takes everything whatever its weight: split it.
				extra := yaml.NewMapRNode(&map[string]string{"name": "mutant", "port": "80"}).YNode()
				refs.Content = append(refs.Content, extra)
				return true
			}
			// A backend at weight 0 beside others (a canary waiting for
			// its rollout) takes traffic once it has a weight.
			for _, ref := range refs.Content {
				if w := lookup(ref, "weight"); w != nil && w.Value == "0" {
					w.Value = "7"
					return true
				}
			}
			w := lookup(refs.Content[0], "weight")
			if w == nil {
				refs.Content[0].Content = append(refs.Content[0].Content, yaml.NewScalarRNode("weight").YNode(), yaml.NewScalarRNode("7").YNode())
				refs.Content[0].Content[len(refs.Content[0].Content)-1].Tag = "!!int"
				return true
			}
			w.Value += "7"
			return true
		})
	}},
	{"change a path type", func(objs []*yaml.Node) bool {
		return eachRule(objs, func(rule *yaml.Node) bool {
			ms := lookup(rule, "matches")
			if ms == nil {
				return false
			}
			for _, m := range ms.Content {
				typ := lookup(m, "path", "type")
				if typ == nil {
					continue
				}
				switch typ.Value {
				case "PathPrefix":
					typ.Value = "Exact"
				case "Exact":
					typ.Value = "PathPrefix"
				default:
					continue
				}
				return true
			}
			return false
		})
	}},
	{"drop a rule", func(objs []*yaml.Node) bool {
		for _, o := range objs {
			if k := scalarOf(o, "kind"); k != "HTTPRoute" && k != "GRPCRoute" {
				continue
			}
			rules := lookup(o, "spec", "rules")
			if rules == nil || len(rules.Content) < 1 {
				continue
			}
			rules.Content = rules.Content[1:]
			return true
		}
		return false
	}},
	{"swap a redirect code", func(objs []*yaml.Node) bool {
		return eachRule(objs, func(rule *yaml.Node) bool {
			fs := lookup(rule, "filters")
			if fs == nil {
				return false
			}
			for _, f := range fs.Content {
				rr := lookup(f, "requestRedirect")
				if rr == nil {
					continue
				}
				code := lookup(rr, "statusCode")
				if code == nil {
					rr.Content = append(rr.Content, yaml.NewScalarRNode("statusCode").YNode(), &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: "301"})
					return true
				}
				swap := map[string]string{"301": "302", "302": "301", "303": "307", "307": "308", "308": "307"}
				code.Value = swap[code.Value]
				return true
			}
			return false
		})
	}},
	{"change a regular expression", func(docs []*yaml.Node) bool {
		return eachRule(docs, func(rule *yaml.Node) bool {
			ms := lookup(rule, "matches")
			if ms == nil {
				return false
			}
			for _, m := range ms.Content {
				if typ := lookup(m, "path", "type"); typ != nil && typ.Value == "RegularExpression" {
					lookup(m, "path", "value").Value = "^/routeshift-mutant/.*"
					return true
				}
			}
			return false
		})
	}},
	{"change a host", func(docs []*yaml.Node) bool {
		for _, d := range docs {
			if k := scalarOf(d, "kind"); k != "HTTPRoute" && k != "GRPCRoute" {
				continue
			}
			hs := lookup(d, "spec", "hostnames")
			if hs == nil || len(hs.Content) == 0 {
				continue
			}
			h := hs.Content[0]
			if suffix, ok := strings.CutPrefix(h.Value, "*."); ok {
				h.Value = "*.mutant-" + suffix
			} else {
				h.Value = "mutant." + h.Value
			}
			return true
		}
		return false
	}},
	{"change a rewrite", func(docs []*yaml.Node) bool {
		return eachRule(docs, func(rule *yaml.Node) bool {
			fs := lookup(rule, "filters")
			if fs == nil {
				return false
			}
			for _, f := range fs.Content {
				for _, key := range [][]string{{"urlRewrite", "path", "replacePrefixMatch"}, {"urlRewrite", "path", "replaceFullPath"}, {"urlRewrite", "hostname"}} {
					if v := lookup(f, key...); v != nil {
						v.Value = strings.TrimSuffix(v.Value, "/") + "-mutant"
						return true
					}
				}
			}
			return false
		})
	}},
}

// reported checks that diff noticed a mutant. Against the unmutated
// Gateway API objects some request must differ (for the specification it
// may instead be unverifiable, where a regular expression decides).
// Against the Ingresses every request the mutant changed must differ or be
// unverifiable (an Ingress snippet hides what follows), unless the mutant
// happens to fix a known difference; the requests are asked directly,
// since the mutant's own probes may no longer include them (a route that
// no longer attaches has no decision points).
func reported(g2g report.Comparison, impl gateway.Implementation, c goldenCase, mutant *gateway.Model) string {
	if g2g.Differences == 0 {
		if g2g.Unverifiable > 0 && (impl == gateway.Spec || onlyFilters(g2g)) {
			return ""
		}
		return "not reported as a difference against the unmutated Gateway API objects"
	}
	for _, h := range g2g.Hosts {
		for _, d := range h.Differences {
			in, mu := c.ingress.Evaluate(d.Request), mutant.Evaluate(d.Request)
			if in.Kind == routing.Unverifiable || mu.Kind == routing.Unverifiable || !routing.Equal(in, mu) {
				continue
			}
			if !routing.Equal(in, c.gateway.Evaluate(d.Request)) {
				continue // the mutant fixed a known difference
			}
			return "not reported against the Ingresses: " + d.Text
		}
	}
	return ""
}

// onlyFilters reports whether every unverifiable request is so because of a
// vendor filter (ExtensionRef, ExternalAuth): no model of the Gateway API
// can say what those do, whichever implementation serves them.
func onlyFilters(c report.Comparison) bool {
	for _, h := range c.Hosts {
		for _, d := range h.Unverifiable {
			if !strings.Contains(d.Before.Reason+d.After.Reason, "filter ") {
				return false
			}
		}
	}
	return true
}

// mutationExempt lists cases whose Gateway API routes serve no request, so
// no mutation of them can change routing.
var mutationExempt = map[string]string{
	"attach-existing-gateway": "the existing Gateway's listeners admit routes from their own namespace only",
}

// shadowedMutants are the mutants that change the first rule of a case
// (eachRule stops there), the one mutationExemptAs says no request reaches.
var shadowedMutants = map[string]bool{"change a backend name": true, "change a weight": true, "drop a rule": true, "change a rewrite": true}

// mutationExemptAs lists cases whose first rule no request reaches under an
// implementation, so mutating it changes nothing there; the baseline
// comparison reports the defect instead (knownAs).
var mutationExemptAs = map[string]map[gateway.Implementation]string{
	"rewrite-prefix-idiom": {gateway.EnvoyGateway: shadowed, gateway.Kgateway: shadowed},
}

// eachRule calls f on the rules of every route until it changes one.
func eachRule(objs []*yaml.Node, f func(rule *yaml.Node) bool) bool {
	for _, o := range objs {
		if k := scalarOf(o, "kind"); k != "HTTPRoute" && k != "GRPCRoute" {
			continue
		}
		rules := lookup(o, "spec", "rules")
		if rules == nil {
			continue
		}
		for _, r := range rules.Content {
			if f(r) {
				return true
			}
		}
	}
	return false
}

// TestMutantsAreReported mutates the Gateway API side of every golden case
// and requires diff to notice, for the specification and for every
// implementation: against the unmutated Gateway API objects (a Gateway ->
// Gateway pull request) and against the Ingresses (the migration), where
// the set of differing requests must change. Under an implementation every
// mutant must be a difference; the specification may call it unverifiable
// where a regular expression decides.
func TestMutantsAreReported(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join(casesDir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	for _, impl := range append([]gateway.Implementation{gateway.Spec}, gateway.Implementations()...) {
		name := string(impl)
		if impl == gateway.Spec {
			name = "specification"
		}
		t.Run(name, func(t *testing.T) { mutantsReported(t, dirs, impl) })
	}
}

func mutantsReported(t *testing.T, dirs []string, impl gateway.Implementation) {
	results := map[string][2]int{} // mutant -> reported, applied
	regexCases := 0
	for _, dir := range dirs {
		c := loadCaseAs(t, dir, impl)
		if c.err != nil {
			continue
		}
		hasRegex := false
		for _, m := range mutants {
			docs, err := readManifests(filepath.Join(dir, "expected.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			if !hasRegex {
				for _, d := range docs {
					hasRegex = hasRegex || nodeContains(d, "RegularExpression")
				}
			}
			if !m.mutate(docs) {
				continue
			}
			objs, err := objectsOf(docs)
			if err != nil {
				t.Fatalf("%s: %s: %v", c.name, m.name, err)
			}
			r := results[m.name]
			r[1]++
			mg, err := gateway.Build(objs, gateway.Options{Implementation: impl})
			if err != nil {
				t.Errorf("%s: %s: %v", c.name, m.name, err)
				continue
			}
			g2g := Compare("expected.yaml", c.gateway, "mutant", mg)
			why, ok := mutationExempt[c.name]
			if w, ok2 := mutationExemptAs[c.name][impl]; ok2 && shadowedMutants[m.name] {
				why, ok = w, true
			}
			if ok {
				if g2g.Differences != 0 {
					t.Errorf("%s: %s: exempt (%s) but reported", c.name, m.name, why)
				}
				results[m.name] = r
				continue
			}
			if msg := reported(g2g, impl, c, mg); msg != "" {
				t.Errorf("%s: %s: %s", c.name, m.name, msg)
			} else {
				r[0]++
			}
			results[m.name] = r
		}
		if hasRegex {
			regexCases++
		}
	}
	var lines []string
	for _, m := range mutants {
		r := results[m.name]
		lines = append(lines, fmt.Sprintf("%s: %d/%d reported", m.name, r[0], r[1]))
	}
	t.Logf("%s (%d cases with regular expressions)", strings.Join(lines, "; "), regexCases)
	if regexCases == 0 {
		t.Error("no golden case with a RegularExpression match was mutated")
	}
}

// nodeContains reports whether a document holds the scalar s anywhere.
func nodeContains(n *yaml.Node, s string) bool {
	if n == nil {
		return false
	}
	if n.Kind == yaml.ScalarNode && n.Value == s {
		return true
	}
	for _, c := range n.Content {
		if nodeContains(c, s) {
			return true
		}
	}
	return false
}

// TestListenerSetsCarryHTTPS shows that the per-namespace case's HTTPS
// requests are served through its ListenerSets: without the Gateway's
// allowedListeners no ListenerSet attaches, and every HTTPS request that
// routed the same stops doing so.
func TestListenerSetsCarryHTTPS(t *testing.T) {
	dir := filepath.Join(casesDir, "listenersets-per-namespace")
	c := loadCase(t, dir)
	if c.err != nil {
		t.Fatal(c.err)
	}
	docs, err := readManifests(filepath.Join(dir, "expected.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	field := func(n *yaml.Node, key string) (*yaml.Node, int) {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				return n.Content[i+1], i
			}
		}
		return nil, -1
	}
	sets, cut := 0, 0
	for _, d := range docs {
		kind, _ := field(d, "kind")
		switch {
		case kind == nil:
		case kind.Value == "ListenerSet":
			sets++
		case kind.Value == "Gateway":
			if spec, _ := field(d, "spec"); spec != nil {
				if _, i := field(spec, "allowedListeners"); i >= 0 {
					spec.Content = append(spec.Content[:i], spec.Content[i+2:]...)
					cut++
				}
			}
		}
	}
	if sets < 2 || cut != 1 {
		t.Fatalf("the case has %d ListenerSets and %d Gateways with allowedListeners, want several and one", sets, cut)
	}
	out, err := objectsOf(docs)
	if err != nil {
		t.Fatal(err)
	}
	gw, err := gateway.Build(out, gateway.Options{})
	if err != nil {
		t.Fatal(err)
	}
	without := Compare("input.yaml", c.ingress, "expected.yaml", gw)
	if without.Differences <= c.baseline.Differences {
		t.Errorf("without allowedListeners %d requests differ, as many as with them (%d): the ListenerSets carry nothing", without.Differences, c.baseline.Differences)
	}
}
