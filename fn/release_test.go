package fn

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/routeshift/routeshift/internal/convert/features"
	"github.com/routeshift/routeshift/internal/finding"
	"github.com/routeshift/routeshift/internal/load"
	"github.com/routeshift/routeshift/internal/validate"
)

// releaseCRDs compiles what a cluster running Envoy Gateway release
// version (its CRDs, as features.Release.CRDs names it) accepts: its own
// CRDs and the Gateway API CRDs it installs, copied from its module
// (testdata/implementations/releases/SOURCES.md). The Gateway API bundle
// also holds a ValidatingAdmissionPolicy, which is not a CRD and is left
// out.
func releaseCRDs(t *testing.T, version string) *validate.Validator {
	t.Helper()
	dir := filepath.Join("../testdata/implementations/releases/envoy-gateway", version)
	paths, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	bundle, err2 := filepath.Glob(filepath.Join(dir, "gateway-api", "*.yaml"))
	if err != nil || err2 != nil || len(paths) == 0 || len(bundle) != 1 {
		t.Fatalf("CRDs of Envoy Gateway %s: %v %v", version, err, err2)
	}
	files := map[string][]byte{}
	for _, p := range append(paths, bundle...) {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var keep [][]byte
		for _, doc := range bytes.Split(data, []byte("\n---\n")) {
			if bytes.Contains(doc, []byte("\nkind: CustomResourceDefinition\n")) {
				keep = append(keep, doc)
			}
		}
		files[p] = bytes.Join(keep, []byte("\n---\n"))
	}
	v, err := validate.NewFromCRDs(files)
	if err != nil {
		t.Fatalf("CRDs of Envoy Gateway %s: %v", version, err)
	}
	return v
}

// TestReleasesAccept converts every golden case's input for envoy-gateway
// at each release with data and checks that the release's CRDs accept
// every generated object, as the API server of a cluster running it
// would: a field the release lacks, a Gateway API version its bundle does
// not serve (TLSRoute v1, ListenerSet on v1.7) or a value its CRDs refuse
// fails here. Configurations the release cannot serve must fail as such.
func TestReleasesAccept(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles three releases' CRDs")
	}
	for _, version := range features.Versions("envoy-gateway") {
		release, err := features.Lookup("envoy-gateway", version)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(version, func(t *testing.T) {
			v := cachedReleaseCRDs(t, release.CRDs)
			for _, dir := range caseDirs(t) {
				releaseCase(t, v, release, dir)
			}
		})
	}
}

func releaseCase(t *testing.T, v *validate.Validator, release *features.Release, dir string) {
	name := filepath.Base(dir)
	var cfg *load.Object
	if data, err := os.ReadFile(filepath.Join(dir, "config.yaml")); err == nil {
		objs, err := load.ReadStream(bytes.NewReader(data), "config.yaml")
		if err != nil || len(objs) != 1 {
			t.Fatalf("%s: config.yaml: %v", name, err)
		}
		cfg = objs[0]
	}
	spec, err := ParseConfig(cfg)
	if err != nil {
		return // a configuration error is the point of the case
	}
	spec.Implementation, spec.ImplementationVersion, spec.ValidateOutput = "envoy-gateway", release.Version, "never"
	if err := spec.validate(); err != nil {
		// Only what the release lacks may make a valid configuration
		// invalid for it, and the error must say so.
		if !strings.Contains(err.Error(), release.String()) {
			t.Errorf("%s: %v", name, err)
		}
		return
	}
	input, err := os.ReadFile(filepath.Join(dir, "input.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	objs, err := load.ReadStream(bytes.NewReader(input), "input.yaml")
	if err != nil {
		return // a read error is the point of the case
	}
	out, findings, _ := Convert(objs, spec, false)
	// Generated objects are kept as text: read the output back, as
	// validateOutput does.
	var buf bytes.Buffer
	if err := load.WriteStream(&buf, out); err != nil {
		t.Fatal(err)
	}
	if out, err = load.ReadStream(&buf, "output"); err != nil {
		t.Fatalf("%s: output does not parse: %v", name, err)
	}
	for _, o := range out {
		group, _, _ := strings.Cut(o.APIVersion(), "/")
		if !strings.HasPrefix(group, "gateway.") || !strings.Contains(group, ".") {
			continue // Ingresses, Services, Secrets, cert-manager, ...
		}
		if !v.Knows(o.APIVersion(), o.Kind()) {
			t.Errorf("%s: %s: %s does not define %s %s", name, o.Ref(), release, o.APIVersion(), o.Kind())
			continue
		}
		doc, err := yaml.Marshal(o.Node)
		if err != nil {
			t.Fatal(err)
		}
		errs, err := v.ValidateYAML(doc)
		if err != nil {
			t.Fatalf("%s: %s: %v", name, o.Ref(), err)
		}
		for _, e := range errs {
			if knownRefusal(release, e, findings) {
				continue
			}
			t.Errorf("%s: %s refuses %v", name, release, e)
		}
	}
}

// knownRefusal is a refusal the converter cannot avoid and reports: Envoy
// Gateway v1.8.0's BackendTrafficPolicy CRD declares rate limit requests
// as int32 with a maximum beyond int32, which Kubernetes 1.36 (whose
// validation internal/validate runs) refuses for any value; the converter
// warns and names v1.8.2, which fixed the CRD.
func knownRefusal(release *features.Release, err error, findings finding.List) bool {
	if release.Version != "v1.8" || !strings.Contains(err.Error(), "Maximum boundary value must be of type integer with format int32 in spec.rateLimit.local.rules[") {
		return false
	}
	for _, f := range findings {
		if f.Severity == finding.Warning && strings.Contains(f.Message, "v1.8.2 fixed the CRD") {
			return true
		}
	}
	return false
}

// TestImplementationVersionConfig: the default is the newest release for
// envoy-gateway and none for the others; the ConfigMap form has the key;
// a bad value names the field and what is accepted.
func TestImplementationVersionConfig(t *testing.T) {
	parse := func(data map[string]string) (Spec, error) {
		t.Helper()
		var b strings.Builder
		b.WriteString("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n")
		for k, v := range data {
			b.WriteString("  " + k + ": " + v + "\n")
		}
		objs, err := load.ReadStream(strings.NewReader(b.String()), "config.yaml")
		if err != nil {
			t.Fatal(err)
		}
		return ParseConfig(objs[0])
	}
	type tc struct {
		data map[string]string
		want string
	}
	for _, c := range []tc{
		{map[string]string{"implementation": "envoy-gateway"}, "v1.9"},
		{map[string]string{"implementation": "envoy-gateway", "implementationVersion": "v1.7"}, "v1.7"},
		{map[string]string{"implementation": "standard"}, ""},
		{map[string]string{"implementation": "istio"}, ""},
	} {
		spec, err := parse(c.data)
		if err != nil || spec.ImplementationVersion != c.want {
			t.Errorf("%v: version %q, %v; want %q", c.data, spec.ImplementationVersion, err, c.want)
		}
		if r := spec.release(); (r != nil) != (c.want != "") || r != nil && r.Version != c.want {
			t.Errorf("%v: release %v", c.data, r)
		}
	}
	for _, c := range []tc{
		{map[string]string{"implementation": "envoy-gateway", "implementationVersion": "v2.0"}, `spec.implementationVersion: "v2.0": routeshift has no data for envoy-gateway v2.0: want one of v1.7, v1.8, v1.9`},
		{map[string]string{"implementation": "standard", "implementationVersion": "v1.9"}, `spec.implementationVersion: implementation "standard" has no release data; leave it unset`},
	} {
		if _, err := parse(c.data); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want %q", c.data, err, c.want)
		}
	}
}
