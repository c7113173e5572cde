package ingressnginx

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/routeshift/routeshift/internal/finding"
	"github.com/routeshift/routeshift/internal/load"
)

// TestPredecodeBuildsTheSameModel: Build over objects that went through
// Predecode and had their trees dropped (load.Object.Thin), as function
// mode reads them, makes the model and findings that Build makes over the
// full trees: on every golden case's input and on inputs that do not
// decode or carry odd class names.
func TestPredecodeBuildsTheSameModel(t *testing.T) {
	inputs, _ := filepath.Glob("../../../testdata/cases/*/input.yaml")
	if len(inputs) < 20 {
		t.Fatalf("only %d golden inputs found", len(inputs))
	}
	texts := map[string]string{}
	for _, f := range inputs {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		texts[f] = string(data)
	}
	texts["odd/input.yaml"] = strings.Join([]string{
		ingress("typed", "", "a.example.com / Prefix web"),
		"apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: broken, namespace: ns}\nspec:\n  ingressClassName: nginx\n  rules: 5\n",
		"apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: nullclass, namespace: ns}\nspec:\n  ingressClassName: ~\n  defaultBackend: {service: {name: web, port: {name: http}}}\n",
		"apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: unknownfield, namespace: ns}\nspec:\n  ingressClassName: nginx\n  bogus: 1\n",
		"apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: old, namespace: ns}\nspec:\n  backend: {serviceName: web, servicePort: 80}\n",
		"apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: ns}\nspec:\n  ports:\n  - {name: http, port: 80}\n",
		"apiVersion: v1\nkind: Service\nmetadata: {name: bad, namespace: ns}\nspec:\n  ports: {name: http}\n",
	}, "\n---\n")
	for name, text := range texts {
		t.Run(filepath.Base(filepath.Dir(name)), func(t *testing.T) {
			read := func() []*load.Object {
				objs, err := load.ReadStream(strings.NewReader(text), "in.yaml")
				if err != nil {
					t.Skipf("input does not read (the case is about that): %v", err)
				}
				return objs
			}
			full, thinned := read(), read()
			n := 0
			for _, o := range thinned {
				if Predecode(o) {
					if o.Thin(); load.Lookup(o.Node, "spec") != nil {
						t.Fatalf("%s kept its spec after Thin: the test would not test the memo", o.Ref())
					}
					n++
				}
			}
			if n == 0 {
				t.Skip("no Ingress or Service")
			}
			want, wantFindings := Build(full, opts)
			got, gotFindings := Build(thinned, opts)
			if a, b := findingText(wantFindings), findingText(gotFindings); a != b {
				t.Errorf("findings differ:\nfull trees:\n%s\npredecoded:\n%s", a, b)
			}
			if a, b := modelText(want), modelText(got); a != b {
				t.Errorf("models differ:\nfull trees:\n%s\npredecoded:\n%s", a, b)
			}
			for i := range want.Ingresses {
				if !reflect.DeepEqual(want.Ingresses[i].Spec, got.Ingresses[i].Spec) || !reflect.DeepEqual(want.Ingresses[i].Settings, got.Ingresses[i].Settings) {
					t.Errorf("Ingress %s: spec or settings differ", want.Ingresses[i].Name)
				}
			}
		})
	}
}

func findingText(fs []finding.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		ref := ""
		if f.Object != nil {
			ref = f.Object.Ref()
		}
		fmt.Fprintf(&b, "%s %s %s: %s\n", f.Severity, ref, f.Field, f.Message)
	}
	return b.String()
}

func modelText(m *Model) string {
	var b strings.Builder
	for _, ing := range m.Ingresses {
		fmt.Fprintf(&b, "%s/%s class=%q assumed=%v served=%v scope=%v canary=%v ssl=%v/%v\n", ing.Namespace, ing.Name, ing.Class, ing.ClassAssumed, ing.Served, ing.inScope, ing.Canary, ing.SSLRedirect, ing.ForceSSLRedirect)
	}
	for _, s := range m.Servers {
		fmt.Fprintf(&b, "server %s: %s\n", s.Host, locations(s))
	}
	return b.String()
}
