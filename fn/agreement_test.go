package fn

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/routeshift/routeshift/internal/annotations"
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
// last release's defaults (snippets and redirect URLs with nginx variables
// refuse the Ingress), strict path validation off, snippets let in and
// dropped, snippets let in and used, and the defaults of older releases
// (v1.11: no annotation validation, risk level Critical; v1.8: snippets
// allowed).
var profiles = map[string]string{
	"defaults":         "",
	"lax paths":        "strictValidatePathType: false\nsslRedirect: false\n",
	"snippets dropped": "annotationsRiskLevel: Critical\n",
	"v1.15 full":       "version: 1.15.1\nstrictValidatePathType: true\nallowSnippetAnnotations: true\nannotationsRiskLevel: Critical\nenableAnnotationValidation: true\nuseForwardedHeaders: true\nsslRedirect: true\n",
	"v1.11":            "version: 1.11.3\n",
	"v1.8":             "version: v1.8.5\n",
	"risk Medium":      "annotationsRiskLevel: medium\nenableAnnotationValidation: false\n",
}

// disagreements lists the Ingresses the two sides judge differently: one
// serves and the other refuses, or (served by both) one keeps the
// Ingress's snippets in effect and the other drops them. Each side reads
// the manifest text with its own reader.
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
		if serves && ing.Served {
			hasSnippet, dropped := false, false
			for _, a := range model.Annotations(ing) {
				if name, ok := annotations.Split(a.Key, model.Prefix()); ok && strings.HasSuffix(name, "-snippet") {
					hasSnippet = true
					dropped = dropped || a.Fate == ingressnginx.Ignored
				}
			}
			if hasSnippet && dropped == nm.UsesSnippets(ing.Object.Namespace(), ing.Object.Name()) {
				side := "the converter drops its snippets, diff's model keeps them in effect"
				if !dropped {
					side = "diff's model drops its snippets, the converter keeps them"
				}
				out = append(out, ing.Object.Ref()+": "+side)
			}
		}
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
	// Annotations whose fate the profile decides: snippets (Critical
	// risk), redirect URLs with nginx variables (annotation validation).
	for _, ann := range []string{"configuration-snippet: 'return 418;'", "server-snippet: 'x'", "auth-snippet: 'x'",
		"permanent-redirect: 'https://new.example.com$request_uri'", "temporal-redirect: 'https://$host/x'",
		"temporal-redirect: 'https://a.example.com/x'\n    nginx.ingress.kubernetes.io/permanent-redirect: 'https://b.example.com$uri'",
		"permanent-redirect: 'https://new.example.com/landing?a=b'", "auth-url: 'http://auth.example.com/'"} {
		f.Add([]byte("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: x\n  namespace: y\n  annotations:\n    nginx.ingress.kubernetes.io/"+ann+"\n"+
			"spec:\n  ingressClassName: nginx\n  rules:\n  - host: a.example.com\n    http:\n      paths:\n      - {path: /, pathType: Prefix, backend: {service: {name: s, port: {number: 80}}}}\n"), false)
	}
	for _, host := range []string{"Shop.Example.com", "{{ .Values.host }}", "*.example.com", "a_b.example.com", "http://x/", "xn--bcher-kva.example"} {
		for _, path := range []string{"/a b", "/api(/|$)(.*)", "/ok", "", "relative", "/%2e"} {
			f.Add([]byte("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: x, namespace: y}\nspec:\n  ingressClassName: nginx\n"+
				"  rules:\n  - host: '"+host+"'\n    http:\n      paths:\n      - {path: '"+path+"', pathType: Prefix, backend: {service: {name: s, port: {number: 80}}}}\n"), true)
		}
	}
	// lax is kept so that the stored corpus stays valid: every input is
	// checked under every profile.
	f.Fuzz(func(t *testing.T, data []byte, lax bool) {
		for name, p := range profiles {
			for _, d := range disagreements(t, data, Defaults().withDefaults(), p) {
				t.Errorf("%s: %s", name, d)
			}
		}
	})
}
