package check

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	_ "github.com/routeshift/routeshift/internal/golden"
	"github.com/routeshift/routeshift/internal/proof/gateway"
	"github.com/routeshift/routeshift/internal/proof/internal/kube"
	"github.com/routeshift/routeshift/internal/proof/nginx"
	"github.com/routeshift/routeshift/internal/proof/report"
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
	if c.gateway, err = gateway.Build(out, gateway.Options{}); err != nil {
		c.err = err
		return c
	}
	c.baseline = Compare("input.yaml", c.ingress, "expected.yaml", c.gateway)
	return c
}

func differing(c report.Comparison) []string {
	var out []string
	for _, h := range c.Hosts {
		for _, d := range h.Differences {
			out = append(out, d.Text)
		}
	}
	slices.Sort(out)
	return out
}

// TestGoldenCasesRouteTheSame compares the Ingress side of every golden
// case's input.yaml with the Gateway API side of its expected.yaml (the
// converter's output; diff never runs the converter). A case routes the
// same unless the table of known differences says how many requests
// differ and why; a case that stops differing must be taken off the table.
func TestGoldenCasesRouteTheSame(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join(casesDir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	equivalent := 0
	for _, dir := range dirs {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			continue
		}
		c := loadCase(t, dir)
		known, listed := knownDifferences[c.name]
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
	t.Logf("%d golden cases route the same; %d have known differences", equivalent, len(knownDifferences))
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
}

// reported checks that diff noticed a mutant. Against the unmutated
// Gateway API objects some request must differ, or be unverifiable when
// the mutated rule is an implementation-specific regular expression.
// Against the Ingresses every request the mutant changed must show up as a
// difference or as unverifiable (an Ingress snippet hides what follows),
// unless it was a known difference the mutant happens to fix.
func reported(g2g, i2g report.Comparison, base []string) string {
	if g2g.Differences == 0 {
		if g2g.Unverifiable > 0 {
			return ""
		}
		return "not reported against the unmutated Gateway API objects"
	}
	seen := map[string]bool{}
	for _, x := range base {
		seen[x] = true
	}
	for _, h := range i2g.Hosts {
		for _, d := range h.Differences {
			seen[d.Text] = true
		}
		for _, d := range h.Unverifiable {
			seen[d.Text] = true
		}
	}
	for _, x := range differing(g2g) {
		if !seen[x] {
			return "not reported against the Ingresses: " + x
		}
	}
	return ""
}

// mutationExempt lists cases whose Gateway API routes serve no request, so
// no mutation of them can change routing.
var mutationExempt = map[string]string{
	"attach-existing-gateway": "the existing Gateway's listeners admit routes from their own namespace only",
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
// and requires diff to notice: against the unmutated Gateway API objects
// (a Gateway -> Gateway pull request) and against the Ingresses (the
// migration), where the set of differing requests must change.
func TestMutantsAreReported(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join(casesDir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	results := map[string][2]int{} // mutant -> reported, applied
	for _, dir := range dirs {
		c := loadCase(t, dir)
		if c.err != nil {
			continue
		}
		base := differing(c.baseline)
		for _, m := range mutants {
			docs, err := readManifests(filepath.Join(dir, "expected.yaml"))
			if err != nil {
				t.Fatal(err)
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
			mg, err := gateway.Build(objs, gateway.Options{})
			if err != nil {
				t.Errorf("%s: %s: %v", c.name, m.name, err)
				continue
			}
			g2g := Compare("expected.yaml", c.gateway, "mutant", mg)
			i2g := Compare("input.yaml", c.ingress, "mutant", mg)
			if why, ok := mutationExempt[c.name]; ok {
				if g2g.Differences != 0 {
					t.Errorf("%s: %s: exempt (%s) but reported", c.name, m.name, why)
				}
				results[m.name] = r
				continue
			}
			if msg := reported(g2g, i2g, base); msg != "" {
				t.Errorf("%s: %s: %s", c.name, m.name, msg)
			} else {
				r[0]++
			}
			results[m.name] = r
		}
	}
	var lines []string
	for _, m := range mutants {
		r := results[m.name]
		lines = append(lines, fmt.Sprintf("%s: %d/%d reported", m.name, r[0], r[1]))
	}
	t.Log(strings.Join(lines, "; "))
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
