package casetest

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"k8s.io/apimachinery/pkg/util/validation"
	"sigs.k8s.io/yaml"

	"github.com/routeshift/routeshift/internal/convert/implementations"
	"github.com/routeshift/routeshift/internal/golden"
	"github.com/routeshift/routeshift/internal/validate"
)

// Vendor describes one implementation under test.
type Vendor struct {
	Impl implementations.Implementation
	// CRDDir holds the vendor CRD YAML files (test data, see SOURCES.md).
	CRDDir string
	// CaseDir holds one directory per golden case.
	CaseDir string
	// Samples gives, for every annotation in Supports, a complete set of
	// valid annotations that makes Translate handle it (with the companions
	// it needs); Secrets are those of SampleSecrets.
	Samples map[string]map[string]string
	// SampleSecrets are in the input of every sample and hostile run.
	SampleSecrets map[string]map[string]string
	// SampleRoutes, when set, are the routes of every sample and hostile
	// run, in place of one route for example.com that names no Gateway,
	// path or Service: vendors whose objects attach to the route's
	// Gateways or Services need them.
	SampleRoutes []implementations.Route
	// Verify, when set, checks what only this vendor promises about an
	// Output, returning problems as Problems does. It sees the Output of
	// every golden case (sample false) and of every sample and hostile run
	// (sample true, the annotations being one sample's).
	Verify func(out implementations.Output, sample bool) []string
	// Refused, when set, tells validation errors that the vendor's CRDs
	// give for an Output that the implementation cannot avoid and reports
	// (a defect of the CRDs of one release): those are not problems.
	Refused func(err error, out implementations.Output) bool
}

var (
	gatewayAPI     = sync.OnceValues(func() (*validate.Validator, error) { return validate.New(validate.Standard) })
	vendorMu       sync.Mutex
	vendorCompiled = map[string]*validate.Validator{}
)

func (v Vendor) validators(t testing.TB) []*validate.Validator {
	t.Helper()
	gw, err := gatewayAPI()
	if err != nil {
		t.Fatal(err)
	}
	vendorMu.Lock()
	defer vendorMu.Unlock()
	if vv, ok := vendorCompiled[v.CRDDir]; ok {
		return []*validate.Validator{vv, gw}
	}
	files := map[string][]byte{}
	paths, err := filepath.Glob(filepath.Join(v.CRDDir, "*.yaml"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no CRD files in %s: %v", v.CRDDir, err)
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.Base(p)] = data
	}
	vv, err := validate.NewFromCRDs(files)
	if err != nil {
		t.Fatalf("vendor CRDs: %v", err)
	}
	vendorCompiled[v.CRDDir] = vv
	return []*validate.Validator{vv, gw}
}

// Run runs every shared test of the vendor as subtests.
func (v Vendor) Run(t *testing.T) {
	t.Run("cases", v.cases)
	t.Run("supports", v.supports)
	t.Run("hostile", v.hostile)
}

// Case is the input.yaml of a golden case.
type Case struct {
	// Ingress is "namespace/name".
	Ingress     string            `json:"ingress"`
	Annotations map[string]string `json:"annotations"`
	// Routes default to one route "<name>-example-com" for example.com.
	Routes     []implementations.Route      `json:"routes,omitempty"`
	Secrets    map[string]map[string]string `json:"secrets,omitempty"`
	ConfigMaps map[string]map[string]string `json:"configMaps,omitempty"`
}

// Input turns the case into an implementation Input.
func (c Case) Input() (implementations.Input, error) {
	ns, name, ok := strings.Cut(c.Ingress, "/")
	if !ok || ns == "" || name == "" {
		return implementations.Input{}, fmt.Errorf("ingress %q is not namespace/name", c.Ingress)
	}
	routes := c.Routes
	if routes == nil {
		routes = []implementations.Route{{Namespace: ns, Name: name + "-example-com", Hostnames: []string{"example.com"}}}
	}
	for i := range routes {
		if routes[i].Namespace == "" {
			routes[i].Namespace = ns
		}
	}
	return implementations.Input{Namespace: ns, Name: name, Annotations: c.Annotations, Routes: routes, Secrets: c.Secrets, ConfigMaps: c.ConfigMaps}, nil
}

func (v Vendor) cases(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join(v.CaseDir, "*", "input.yaml"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no cases under %s: %v", v.CaseDir, err)
	}
	for _, in := range dirs {
		dir := filepath.Dir(in)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			data, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			var c Case
			if err := yaml.UnmarshalStrict(data, &c); err != nil {
				t.Fatalf("%s: %v", in, err)
			}
			input, err := c.Input()
			if err != nil {
				t.Fatalf("%s: %v", in, err)
			}
			out := v.check(t, input, false)
			objs, results := Encode(t, v.Impl, out)
			golden.Check(t, filepath.Join(dir, "expected.yaml"), objs)
			golden.Check(t, filepath.Join(dir, "results.yaml"), results)
		})
	}
}

// Accepts runs the input of every golden case under caseDir through
// Problems, without comparing with the goldens: the contract holds and the
// vendor CRDs in v.CRDDir accept every object. It checks another release's
// implementation (Vendor.Impl) against that release's CRDs on the cases
// written for the newest.
func (v Vendor) Accepts(t *testing.T, caseDir string) {
	inputs, err := filepath.Glob(filepath.Join(caseDir, "*", "input.yaml"))
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no cases under %s: %v", caseDir, err)
	}
	for _, in := range inputs {
		t.Run(filepath.Base(filepath.Dir(in)), func(t *testing.T) {
			data, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			var c Case
			if err := yaml.UnmarshalStrict(data, &c); err != nil {
				t.Fatalf("%s: %v", in, err)
			}
			input, err := c.Input()
			if err != nil {
				t.Fatalf("%s: %v", in, err)
			}
			v.check(t, input, false)
		})
	}
}

// Check translates in and fails t on every contract violation Problems
// finds.
func (v Vendor) Check(t *testing.T, in implementations.Input) implementations.Output {
	t.Helper()
	out, problems := v.Problems(t, in)
	for _, p := range problems {
		t.Error(p)
	}
	return out
}

// check is Check followed by Verify.
func (v Vendor) check(t *testing.T, in implementations.Input, sample bool) implementations.Output {
	t.Helper()
	out := v.Check(t, in)
	if v.Verify != nil {
		for _, p := range v.Verify(out, sample) {
			t.Error(p)
		}
	}
	return out
}

// Problems translates in and checks the contract on the Output: it is the
// same on every run, handles only what Supports lists and the input
// carries, names only annotations of the input in findings, and its objects
// pass validation (vendor CRDs, or Gateway API's for ReferenceGrants, or a
// hand check for core Secrets) and carry no control characters.
func (v Vendor) Problems(t testing.TB, in implementations.Input) (implementations.Output, []string) {
	t.Helper()
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	out := v.Impl.Translate(in)
	first, firstResults := Encode(t, v.Impl, out)
	for range 3 {
		again, againResults := Encode(t, v.Impl, v.Impl.Translate(in))
		if !bytes.Equal(first, again) || !bytes.Equal(firstResults, againResults) {
			add("Translate is not deterministic:\n%s", golden.Diff(first, again)+golden.Diff(firstResults, againResults))
			break
		}
	}
	supports := v.Impl.Supports()
	for name := range out.Handled {
		if _, ok := supports[name]; !ok {
			add("Handled %q, which Supports does not list", name)
		}
		if _, ok := in.Annotations[name]; !ok {
			add("Handled %q, which the Ingress does not carry", name)
		}
	}
	for _, f := range out.Findings {
		if _, ok := in.Annotations[f.Annotation]; f.Annotation != "" && !ok {
			add("finding about %q, which the Ingress does not carry: %s", f.Annotation, f.Message)
		}
		if strings.ContainsAny(f.Message, "\r\n\x00") {
			add("finding message carries a control character: %q", f.Message)
		}
	}
	vals := v.validators(t)
	for _, o := range out.Objects {
		id := o.Kind + "/" + o.Namespace + "/" + o.Name
		if err := noControl(o.Value); err != nil {
			add("%s: %v", id, err)
		}
		if o.APIVersion == "v1" && o.Kind == "Secret" {
			problems = append(problems, secretProblems(o)...)
			continue
		}
		known := false
		for _, val := range vals {
			if val.Knows(o.APIVersion, o.Kind) {
				known = true
				for _, err := range val.Validate(o.Value) {
					if v.Refused == nil || !v.Refused(err, out) {
						add("invalid object: %v", err)
					}
				}
			}
		}
		if !known {
			add("%s: kind %s %s has no CRD in %s", id, o.APIVersion, o.Kind, v.CRDDir)
		}
	}
	return out, problems
}

// noControl walks an object for control characters, which no annotation
// may smuggle into one.
func noControl(v any) error {
	switch x := v.(type) {
	case string:
		if strings.ContainsFunc(x, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			return fmt.Errorf("value %q carries a control character", x)
		}
	case map[string]any:
		for k, e := range x {
			if err := noControl(k); err != nil {
				return err
			}
			if err := noControl(e); err != nil {
				return err
			}
		}
	case []any:
		for _, e := range x {
			if err := noControl(e); err != nil {
				return err
			}
		}
	}
	return nil
}

// secretProblems does by hand what no CRD does for a core Secret.
func secretProblems(o implementations.Object) []string {
	var problems []string
	md, _ := o.Value["metadata"].(map[string]any)
	if md["name"] != o.Name || md["namespace"] != o.Namespace || len(validation.IsDNS1123Subdomain(o.Name)) > 0 {
		problems = append(problems, fmt.Sprintf("Secret %s/%s: bad metadata %v", o.Namespace, o.Name, md))
	}
	data, _ := o.Value["data"].(map[string]any)
	if len(data) == 0 {
		problems = append(problems, fmt.Sprintf("Secret %s/%s has no data", o.Namespace, o.Name))
	}
	for k, val := range data {
		s, _ := val.(string)
		if _, err := base64.StdEncoding.DecodeString(s); err != nil || len(validation.IsConfigMapKey(k)) > 0 {
			problems = append(problems, fmt.Sprintf("Secret %s/%s: key %q or its value is malformed", o.Namespace, o.Name, k))
		}
	}
	return problems
}

// Encode renders an Output as the golden files show it: the objects as a
// YAML stream, and the Handled table and findings.
func Encode(t testing.TB, impl implementations.Implementation, out implementations.Output) (objects, results []byte) {
	t.Helper()
	var b bytes.Buffer
	for i, o := range out.Objects {
		if i > 0 {
			b.WriteString("---\n")
		}
		y, err := yaml.Marshal(o.Value)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(y)
	}
	supports := impl.Supports()
	type handled struct {
		Fate     string `json:"fate"`
		Resource string `json:"resource"`
		Note     string `json:"note,omitempty"`
	}
	type result struct {
		Handled  map[string]handled  `json:"handled,omitempty"`
		Findings []map[string]string `json:"findings,omitempty"`
	}
	r := result{Handled: map[string]handled{}}
	for name, h := range out.Handled {
		e := handled{Fate: "converted", Resource: h.Resource}
		if h.Approximated {
			e.Fate = "approximated"
		}
		if s, ok := supports[name]; !ok || s.Note != h.Note {
			e.Note = h.Note // only what differs from the static table
		}
		r.Handled[name] = e
	}
	for _, f := range out.Findings {
		r.Findings = append(r.Findings, map[string]string{"severity": f.Severity.String(), "annotation": f.Annotation, "message": f.Message})
	}
	y, err := yaml.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), y
}

// SampleInput is the Input of a sample or hostile run: Ingress shop/web
// with its SampleRoutes, or else one route for example.com.
func (v Vendor) SampleInput(annotations map[string]string) implementations.Input {
	routes := slices.Clone(v.SampleRoutes)
	if routes == nil {
		routes = []implementations.Route{{Namespace: "shop", Name: "web-example-com", Hostnames: []string{"example.com"}}}
	}
	return implementations.Input{
		Namespace: "shop", Name: "web", Annotations: annotations,
		Routes:  routes,
		Secrets: v.SampleSecrets,
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// supports checks that Supports and Translate agree: every supported
// annotation, given its valid sample, is Handled (and produces objects,
// unless the Handling says none are needed), and there is a sample for
// exactly the supported annotations.
func (v Vendor) supports(t *testing.T) {
	supports := v.Impl.Supports()
	if len(supports) == 0 {
		t.Fatal("Supports is empty")
	}
	for _, name := range sortedKeys(supports) {
		h := supports[name]
		if h.Resource == "" || h.Note == "" {
			t.Errorf("Supports[%q] needs a Resource and a Note", name)
		}
		sample, ok := v.Samples[name]
		if !ok {
			t.Errorf("no sample for supported annotation %q", name)
			continue
		}
		t.Run(name, func(t *testing.T) {
			out := v.check(t, v.SampleInput(sample), true)
			if _, ok := out.Handled[name]; !ok {
				t.Errorf("sample %v: %q not Handled; findings: %v", sample, name, out.Findings)
			}
			if len(out.Objects) == 0 {
				t.Errorf("sample %v produced no objects", sample)
			}
		})
	}
	for _, name := range sortedKeys(v.Samples) {
		if _, ok := supports[name]; !ok {
			t.Errorf("sample for %q, which Supports does not list", name)
		}
	}
	if e, ok := v.Impl.(implementations.Explainer); ok {
		for name, why := range e.Unsupported() {
			if _, dup := supports[name]; dup || why == "" {
				t.Errorf("Unsupported()[%q] = %q: empty, or also in Supports", name, why)
			}
		}
	}
}

// Hostile values that every annotation must refuse, whatever its grammar.
var Hostile = []string{
	"1\r\nX-Injected: true",
	"8m\n",
	"8m\x00",
	"\x00",
	"a\u2028b",
	"\xff\xfe",
	strings.Repeat("a", 10000),
	strings.Repeat("9", 10000),
	strings.Repeat("10.0.0.0/8,", 7000),
}

// hostile replaces each supported annotation of its sample by every
// hostile value: the annotation must not be Handled, a finding must name
// it, and the contract must hold.
func (v Vendor) hostile(t *testing.T) {
	for _, name := range sortedKeys(v.Impl.Supports()) {
		sample, ok := v.Samples[name]
		if !ok {
			continue
		}
		t.Run(name, func(t *testing.T) {
			for _, h := range Hostile {
				annotations := map[string]string{}
				for k, val := range sample {
					annotations[k] = val
				}
				annotations[name] = h
				out := v.check(t, v.SampleInput(annotations), true)
				if _, ok := out.Handled[name]; ok {
					t.Errorf("hostile value %.40q Handled", h)
				}
				found := false
				for _, f := range out.Findings {
					found = found || f.Annotation == name
				}
				if !found {
					t.Errorf("hostile value %.40q produced no finding for %s", h, name)
				}
			}
		})
	}
}
