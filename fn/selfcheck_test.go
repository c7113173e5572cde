package fn

import (
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/routeshift/routeshift/internal/finding"
	"github.com/routeshift/routeshift/internal/load"
)

func object(t *testing.T, doc string) *load.Object {
	t.Helper()
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(doc), &n); err != nil {
		t.Fatal(err)
	}
	return load.NewObject(n.Content[0], load.Source{Path: "gen.yaml"})
}

// TestSelfCheckDropsInvalidObjects feeds the check an object no API
// server accepts, as a converter bug would produce it.
func TestSelfCheckDropsInvalidObjects(t *testing.T) {
	bad := object(t, "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r, namespace: ns}\nspec:\n  rules:\n  - matches:\n    - path: {type: PathPrefix, value: /a//b}\n    backendRefs: [{name: s, port: 80}]\n")
	good := object(t, "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: ok, namespace: ns}\nspec:\n  rules:\n  - backendRefs: [{name: s, port: 80}]\n")
	user := object(t, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
	var findings finding.List
	out := selfCheck([]*load.Object{user, bad, good}, map[*load.Object]bool{bad: true, good: true}, nil, "always", &findings)
	if len(out) != 2 || out[0] != user || out[1] != good {
		t.Fatalf("kept %d objects, want the ConfigMap and the valid route", len(out))
	}
	if len(findings) != 1 || findings[0].Severity != finding.Error || !strings.Contains(findings[0].Message, "invalid HTTPRoute") || !strings.Contains(findings[0].Message, "//") {
		t.Errorf("findings: %+v", findings)
	}
}

func TestSelfCheckAutoReportsWhatItSkips(t *testing.T) {
	gen := map[*load.Object]bool{}
	var out []*load.Object
	for i := 0; i <= autoValidateLimit; i++ {
		o := object(t, "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r}\n")
		gen[o] = true
		out = append(out, o)
	}
	var findings finding.List
	if kept := selfCheck(out, gen, nil, "auto", &findings); len(kept) != len(out) {
		t.Errorf("auto must not drop objects it did not check")
	}
	if len(findings) != 1 || !strings.Contains(findings[0].Message, "were not validated") {
		t.Errorf("skipping validation must be reported: %+v", findings)
	}
}
