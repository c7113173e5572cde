package casetest

import (
	"slices"
	"strings"
	"testing"

	"github.com/routeshift/routeshift/internal/convert/implementations"
	_ "github.com/routeshift/routeshift/internal/golden"
)

// broken violates every rule the harness checks, so the test proves the
// harness would notice.
type broken struct{}

func (broken) Name() string { return "broken" }

func (broken) Supports() map[string]implementations.Handling {
	return map[string]implementations.Handling{"proxy-body-size": {Resource: "x", Note: "y"}}
}

var calls int

func (broken) Translate(in implementations.Input) implementations.Output {
	calls++
	btp := map[string]any{
		"apiVersion": "gateway.envoyproxy.io/v1alpha1", "kind": "BackendTrafficPolicy",
		"metadata": map[string]any{"name": "web", "namespace": "shop"},
		"spec": map[string]any{
			"targetRefs": []any{map[string]any{"group": "gateway.networking.k8s.io", "kind": "HTTPRoute", "name": "web"}},
			"timeout":    map[string]any{"tcp": map[string]any{"connectTimeout": "60"}},
		},
	}
	return implementations.Output{
		Objects: []implementations.Object{
			{APIVersion: "gateway.envoyproxy.io/v1alpha1", Kind: "BackendTrafficPolicy", Namespace: "shop", Name: "web", Value: btp},
			{APIVersion: "example.dev/v1", Kind: "Gadget", Namespace: "shop", Name: "g", Value: map[string]any{"note": "a\r\nb"}},
			{APIVersion: "v1", Kind: "Secret", Namespace: "shop", Name: "s", Value: map[string]any{
				"metadata": map[string]any{"name": "s", "namespace": "shop"},
				"data":     map[string]any{"k": "not base64!"},
			}},
		},
		Handled: map[string]implementations.Handling{"limit-rps": {}, "proxy-body-size": {Note: strings.Repeat("x", calls)}},
		Findings: []implementations.Finding{
			{Annotation: "auth-url", Message: "about an annotation the Ingress lacks"},
			{Annotation: "proxy-body-size", Message: "line\nbreak"},
		},
	}
}

func TestProblemsCatchesEveryViolation(t *testing.T) {
	v := Vendor{Impl: broken{}, CRDDir: "../../../../../testdata/implementations/crds/envoy-gateway"}
	_, problems := v.Problems(t, v.SampleInput(map[string]string{"proxy-body-size": "1m"}))
	want := []string{
		"Translate is not deterministic",
		`Handled "limit-rps", which Supports does not list`,
		`Handled "limit-rps", which the Ingress does not carry`,
		`finding about "auth-url", which the Ingress does not carry`,
		"finding message carries a control character",
		`BackendTrafficPolicy/shop/web: spec.timeout.tcp.connectTimeout: Invalid value: "60"`,
		"Gadget/shop/g: value \"a\\r\\nb\" carries a control character",
		"Gadget/shop/g: kind example.dev/v1 Gadget has no CRD",
		`Secret shop/s: key "k" or its value is malformed`,
	}
	for _, w := range want {
		if !slices.ContainsFunc(problems, func(p string) bool { return strings.Contains(p, w) }) {
			t.Errorf("no problem mentions %q; got:\n%s", w, strings.Join(problems, "\n"))
		}
	}
}

func TestCaseInputDefaults(t *testing.T) {
	in, err := Case{Ingress: "shop/web", Annotations: map[string]string{"a": "b"}}.Input()
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Routes) != 1 || in.Routes[0].Name != "web-example-com" || in.Routes[0].Namespace != "shop" {
		t.Errorf("default routes = %+v", in.Routes)
	}
	if _, err := (Case{Ingress: "web"}).Input(); err == nil {
		t.Error("an ingress without namespace was accepted")
	}
}

func TestSampleInputRoutes(t *testing.T) {
	if r := (Vendor{}).SampleInput(nil).Routes; len(r) != 1 || r[0].Name != "web-example-com" || len(r[0].Parents)+len(r[0].Backends) > 0 {
		t.Errorf("default sample routes = %+v", r)
	}
	routes := []implementations.Route{{Namespace: "shop", Name: "web-a", Backends: []implementations.Backend{{Namespace: "shop", Name: "web", Port: 80}}}}
	v := Vendor{SampleRoutes: routes}
	in := v.SampleInput(nil)
	if len(in.Routes) != 1 || in.Routes[0].Name != "web-a" || len(in.Routes[0].Backends) != 1 {
		t.Errorf("SampleRoutes not used: %+v", in.Routes)
	}
	in.Routes[0].Name = "changed"
	if routes[0].Name != "web-a" {
		t.Error("SampleInput shares its routes with the Vendor")
	}
}
