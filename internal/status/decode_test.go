package status

import (
	"strings"
	"testing"
)

// TestDecodeReadsAsTheAPIServer: check holds objects to the API server's
// reading, as every command does (docs/reading.md): labels and annotations
// are strings, field names are case-sensitive, YAML 1.1 numbers.
func TestDecodeReadsAsTheAPIServer(t *testing.T) {
	route := func(meta, spec string) string {
		return `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: web
  namespace: shop
` + meta + spec + `---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {ports: [{port: 80}]}
`
	}
	const spec = "spec:\n  parentRefs: [{name: public, port: 017}]\n  rules: [{backendRefs: [{name: web, port: 80}]}]\n"
	for meta, want := range map[string]string{
		"  annotations: {example.com/on: on}\n": `HTTPRoute shop/web (input.yaml[0]): metadata.annotations.example.com/on: value "on" is not a string (the API server rejects it); quote it`,
		"  labels: {tier: 10}\n":                `HTTPRoute shop/web (input.yaml[0]): metadata.labels.tier: value "10" is not a string (the API server rejects it); quote it`,
		"  annotations: {a: \"x\\u2028y\"}\n":   "HTTPRoute shop/web (input.yaml[0]): metadata.annotations.a: value holds U+2028",
	} {
		rep := runYAML(t, route(meta, spec), "")
		if len(rep.Errors) != 1 || !strings.HasPrefix(rep.Errors[0], want) {
			t.Errorf("%s: errors %q, want one starting %q", meta, rep.Errors, want)
		}
	}
	// 017 is octal: the parent's port is 15.
	rep := runYAML(t, route("", spec), "")
	if len(rep.Errors) != 0 || len(rep.Routes) != 1 || len(rep.Routes[0].Parents) != 1 {
		t.Fatalf("%+v", rep)
	}
	if got := rep.Routes[0].Parents[0].Port; got != 15 {
		t.Errorf("parentRef port %v, want 15 (017 is octal to the API server)", got)
	}
	// "Spec" is not "spec": the route has no rules and no parents.
	rep = runYAML(t, route("", strings.Replace(spec, "spec:", "Spec:", 1)), "")
	if len(rep.Routes) == 1 && len(rep.Routes[0].Parents) != 0 {
		t.Errorf("Spec read as spec: %+v", rep.Routes[0])
	}
}
