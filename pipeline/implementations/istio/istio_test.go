package istio_test

import (
	"os"
	"path/filepath"
	"slices"
	"sort"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/routeshift/routeshift/internal/golden"
	"github.com/routeshift/routeshift/pipeline/implementations"
	"github.com/routeshift/routeshift/pipeline/implementations/internal/casetest"
	"github.com/routeshift/routeshift/pipeline/implementations/istio"
)

var vendor = casetest.Vendor{
	Impl:    istio.Implementation,
	CRDDir:  "../../../testdata/implementations/crds/istio",
	CaseDir: "../../../testdata/implementations/istio",
}

// samples give, for every supported annotation, valid annotations that
// make Translate handle it.
var samples = map[string]map[string]string{
	"allowlist-source-range":  {"allowlist-source-range": "10.0.0.0/8"},
	"whitelist-source-range":  {"whitelist-source-range": "10.0.0.0/8"},
	"denylist-source-range":   {"denylist-source-range": "192.168.0.0/16"},
	"affinity":                {"affinity": "cookie"},
	"session-cookie-name":     {"affinity": "cookie", "session-cookie-name": "route"},
	"session-cookie-max-age":  {"affinity": "cookie", "session-cookie-max-age": "172800"},
	"session-cookie-expires":  {"affinity": "cookie", "session-cookie-expires": "172800"},
	"session-cookie-path":     {"affinity": "cookie", "session-cookie-path": "/app"},
	"session-cookie-domain":   {"affinity": "cookie", "session-cookie-domain": ".example.com"},
	"session-cookie-samesite": {"affinity": "cookie", "session-cookie-samesite": "Lax"},
	"session-cookie-secure":   {"affinity": "cookie", "session-cookie-secure": "true"},
	"upstream-hash-by":        {"upstream-hash-by": "$remote_addr"},
	"load-balance":            {"load-balance": "ewma"},
}

// sampleRoutes replace casetest's default route in sample and hostile
// runs: Istio's objects attach to the route's Gateway and Services, which
// the default route does not name.
func sampleInput(annotations map[string]string) implementations.Input {
	in := vendor.SampleInput(annotations)
	in.Routes = []implementations.Route{{
		Namespace: "shop", Name: "web-example-com", Hostnames: []string{"example.com"},
		Parents:  []implementations.Parent{{Namespace: "gateway-system", Name: "public", SectionName: "http"}},
		Paths:    []implementations.PathMatch{{Type: "PathPrefix", Value: "/app"}},
		Backends: []implementations.Backend{{Namespace: "shop", Name: "web", Port: 80}},
	}}
	return in
}

// TestIstio runs the golden cases under testdata/implementations/istio,
// the Supports/Translate agreement and the hostile values, validating
// every object against the istio.io/api v1.31.1 CRDs with casetest's
// checks.
func TestIstio(t *testing.T) {
	t.Run("cases", cases)
	t.Run("supports", supportsAgree)
	t.Run("hostile", hostile)
}

func cases(t *testing.T) {
	inputs, err := filepath.Glob(filepath.Join(vendor.CaseDir, "*", "input.yaml"))
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no cases under %s: %v", vendor.CaseDir, err)
	}
	for _, in := range inputs {
		dir := filepath.Dir(in)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			data, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			var c casetest.Case
			if err := yaml.UnmarshalStrict(data, &c); err != nil {
				t.Fatalf("%s: %v", in, err)
			}
			input, err := c.Input()
			if err != nil {
				t.Fatalf("%s: %v", in, err)
			}
			out := vendor.Check(t, input)
			for _, o := range out.Objects {
				if shared := len(o.Shared) > 0; shared != (o.Kind == "DestinationRule") {
					t.Errorf("%s %s/%s: Shared = %v", o.Kind, o.Namespace, o.Name, o.Shared)
				}
			}
			objs, results := casetest.Encode(t, vendor.Impl, out)
			golden.Check(t, filepath.Join(dir, "expected.yaml"), objs)
			golden.Check(t, filepath.Join(dir, "results.yaml"), results)
		})
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

// supportsAgree: every supported annotation, given its sample, is Handled
// and produces objects; there is a sample for exactly the supported
// annotations; Unsupported never overlaps Supports; and a DestinationRule
// carries exactly the sample's handled annotations.
func supportsAgree(t *testing.T) {
	supports := vendor.Impl.Supports()
	for _, name := range sortedKeys(supports) {
		h := supports[name]
		if h.Resource == "" || h.Note == "" {
			t.Errorf("Supports[%q] needs a Resource and a Note", name)
		}
		sample, ok := samples[name]
		if !ok {
			t.Errorf("no sample for supported annotation %q", name)
			continue
		}
		t.Run(name, func(t *testing.T) {
			out := vendor.Check(t, sampleInput(sample))
			if _, ok := out.Handled[name]; !ok {
				t.Errorf("sample %v: %q not Handled; findings: %v", sample, name, out.Findings)
			}
			if len(out.Objects) == 0 {
				t.Errorf("sample %v produced no objects", sample)
			}
			for _, o := range out.Objects {
				if o.Kind == "DestinationRule" && !slices.Equal(o.Shared, sortedKeys(out.Handled)) {
					t.Errorf("DestinationRule Shared = %v, Handled %v", o.Shared, sortedKeys(out.Handled))
				}
			}
		})
	}
	for _, name := range sortedKeys(samples) {
		if _, ok := supports[name]; !ok {
			t.Errorf("sample for %q, which Supports does not list", name)
		}
	}
	for name, why := range istio.Implementation.(implementations.Explainer).Unsupported() {
		if _, dup := supports[name]; dup || why == "" {
			t.Errorf("Unsupported()[%q] = %q: empty, or also in Supports", name, why)
		}
	}
}

// hostile replaces each supported annotation of its sample by every
// casetest hostile value: it must not be Handled, a finding must name it,
// and the contract must hold.
func hostile(t *testing.T) {
	for _, name := range sortedKeys(vendor.Impl.Supports()) {
		t.Run(name, func(t *testing.T) {
			for _, h := range casetest.Hostile {
				annotations := map[string]string{}
				for k, v := range samples[name] {
					annotations[k] = v
				}
				annotations[name] = h
				out := vendor.Check(t, sampleInput(annotations))
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

func TestName(t *testing.T) {
	if got := istio.Implementation.Name(); got != "istio" {
		t.Errorf("Name() = %q", got)
	}
}
