package fn

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/routeshift/routeshift/internal/convert/ingressnginx"
	"github.com/routeshift/routeshift/internal/gen"
	"github.com/routeshift/routeshift/internal/load"
	"github.com/routeshift/routeshift/internal/proof/nginx"
	"github.com/routeshift/routeshift/internal/proof/source"
	"sigs.k8s.io/yaml"
)

// The converter and diff each read the controller profile on their own
// (spec.controller here, nginx.Profile there). These tests hold them to one
// answer about what the controller accepts: an Ingress one side serves and
// the other refuses is a disagreement, whichever side is wrong.

// profiles are the controller profiles every input is checked under: the
// defaults, and strict path validation off.
var profiles = map[string]string{
	"defaults":   "",
	"lax paths":  "strictValidatePathType: false\nsslRedirect: false\n",
	"v1.15 full": "version: 1.15.1\nstrictValidatePathType: true\nallowSnippetAnnotations: true\nuseForwardedHeaders: true\nsslRedirect: true\n",
}

// disagreements lists the Ingresses the two sides judge differently. Each
// side reads the manifest text with its own reader.
func disagreements(t *testing.T, data []byte, spec Spec, profile string) []string {
	t.Helper()
	var c Controller
	if err := yaml.UnmarshalStrict([]byte(profile), &c); err != nil {
		t.Fatal(err)
	}
	spec.Controller = &c
	objs, err := load.ReadStream(bytes.NewReader(data), "input.yaml")
	if err != nil {
		return nil
	}
	side, err := source.Read("-", bytes.NewReader(data), source.Options{})
	if err != nil {
		return nil // diff refuses the input as a whole (exit 2), naming the object
	}
	opt, _ := spec.options()
	model, _ := ingressnginx.Build(objs, opt)
	prof, err := nginx.ParseProfile([]byte(profile))
	if err != nil {
		t.Fatal(err)
	}
	nm, err := nginx.Build(side.Objects, nginx.Options{Classes: spec.IngressClassNames, ExcludeUnclassed: !*spec.IncludeUnclassed,
		Prefix: spec.AnnotationsPrefix, Profile: prof})
	if err != nil {
		return nil // diff refuses the input as a whole (exit 2), naming the object
	}
	var out []string
	for _, ing := range model.Ingresses {
		serves, why := nm.ServesIngress(ing.Object.Namespace(), ing.Object.Name())
		if serves == ing.Served {
			continue
		}
		side := "the converter serves it, diff's model refuses it: " + why
		if !ing.Served {
			side = "diff's model serves it, the converter refuses it"
		}
		out = append(out, ing.Object.Ref()+": "+side)
	}
	return out
}

// TestControllerProfileAgreement runs both sides over the golden cases, the
// corpus and a generated estate, under each profile.
func TestControllerProfileAgreement(t *testing.T) {
	var inputs []string
	for _, pattern := range []string{"../testdata/cases/*/input.yaml", "../testdata/corpus/*.yaml"} {
		files, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, files...)
	}
	if len(inputs) < 100 {
		t.Fatalf("only %d inputs found", len(inputs))
	}
	checked := 0
	for _, file := range inputs {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		spec := Defaults()
		if cfgFile := filepath.Join(filepath.Dir(file), "config.yaml"); strings.HasSuffix(file, "input.yaml") {
			if cfg, err := load.ReadPaths([]string{cfgFile}, nil); err == nil && len(cfg) == 1 {
				if s, err := ParseConfig(cfg[0]); err == nil {
					spec = s
				}
			}
		}
		for name, p := range profiles {
			for _, d := range disagreements(t, data, spec.withDefaults(), p) {
				t.Errorf("%s (%s): %s", file, name, d)
			}
		}
		checked++
	}
	generated := gen.RealisticStream(400, 40)
	for name, p := range profiles {
		for _, d := range disagreements(t, generated, Defaults().withDefaults(), p) {
			t.Errorf("generated (%s): %s", name, d)
		}
	}
	t.Logf("%d inputs and a generated estate checked under %d profiles", checked, len(profiles))
}

// FuzzControllerProfileAgreement feeds both sides whatever the reader
// accepts, starting from the golden inputs and hostile hosts and paths.
func FuzzControllerProfileAgreement(f *testing.F) {
	files, _ := filepath.Glob("../testdata/cases/*/input.yaml")
	for _, file := range files {
		if data, err := os.ReadFile(file); err == nil {
			f.Add(data, false)
		}
	}
	for _, host := range []string{"Shop.Example.com", "{{ .Values.host }}", "*.example.com", "a_b.example.com", "http://x/", "xn--bcher-kva.example"} {
		for _, path := range []string{"/a b", "/api(/|$)(.*)", "/ok", "", "relative", "/%2e"} {
			f.Add([]byte("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: x, namespace: y}\nspec:\n  ingressClassName: nginx\n"+
				"  rules:\n  - host: '"+host+"'\n    http:\n      paths:\n      - {path: '"+path+"', pathType: Prefix, backend: {service: {name: s, port: {number: 80}}}}\n"), true)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, lax bool) {
		p := profiles["defaults"]
		if lax {
			p = profiles["lax paths"]
		}
		for _, d := range disagreements(t, data, Defaults().withDefaults(), p) {
			t.Error(d)
		}
	})
}
