package fn

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/routeshift/routeshift/internal/load"
	"github.com/routeshift/routeshift/internal/validate"
)

// TestListenerSetsScale: 150 TLS hosts in one namespace and 10 in another
// stay on one Gateway with one listener; the busy namespace's ListenerSet
// is split at the CRD's 64 listeners, no ReferenceGrant is made, and the
// output is valid against the v1.6 CRDs.
func TestListenerSetsScale(t *testing.T) {
	var in strings.Builder
	for _, team := range []struct {
		ns string
		n  int
	}{{"busy", 150}, {"quiet", 10}} {
		ns, n := team.ns, team.n
		for i := 0; i < n; i++ {
			fmt.Fprintf(&in, `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: app-%[2]d, namespace: %[1]s}
spec:
  ingressClassName: nginx
  tls: [{hosts: [h%[2]d.%[1]s.example.com], secretName: tls-%[2]d}]
  rules:
  - host: h%[2]d.%[1]s.example.com
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
---
`, ns, i)
		}
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfg, []byte(`apiVersion: routeshift.dev/v1alpha1
kind: IngressToGateway
metadata: {name: scale}
spec:
  gateways: [{name: shared, namespace: infra, create: true, gatewayClassName: example, listenerSets: perNamespace}]
`), 0o600); err != nil {
		t.Fatal(err)
	}
	r := convertWith(t, cfg, "input.yaml", []byte(in.String()))
	if r.exit != 0 {
		t.Fatalf("exit %d:\n%s", r.exit, r.results)
	}
	count := func(s string) int { return bytes.Count(r.out, []byte(s)) }
	if n := count("\nkind: Gateway\n"); n != 1 {
		t.Errorf("%d Gateways, want 1", n)
	}
	if n := count("\nkind: ReferenceGrant\n"); n != 0 {
		t.Errorf("%d ReferenceGrants, want none", n)
	}
	// busy: 64 + 64 + 22; quiet: 10.
	if n := count("\nkind: ListenerSet\n"); n != 4 {
		t.Errorf("%d ListenerSets, want 4", n)
	}
	for _, name := range []string{"name: shared\n  namespace: busy", "name: shared-2\n  namespace: busy", "name: shared-3\n  namespace: busy", "name: shared\n  namespace: quiet"} {
		if !bytes.Contains(r.out, []byte(name)) {
			t.Errorf("no ListenerSet %q", name)
		}
	}
	if n := count("    kind: ListenerSet\n"); n != 160 {
		t.Errorf("%d parentRefs to a ListenerSet, want one per HTTPS route (160)", n)
	}
	validateOutput(t, r.out)
	attachesEverywhere(t, r.out)
}

// TestListenerSetsValidOnV17 validates the per-namespace golden output
// against Gateway API v1.7.0's standard CRDs (copied as data, see
// testdata/crds/gateway-api-v1.7.0/README.md), and shows the validator
// rejects a ListenerSet that breaks them.
func TestListenerSetsValidOnV17(t *testing.T) {
	paths, err := filepath.Glob("../testdata/crds/gateway-api-v1.7.0/*.yaml")
	if err != nil || len(paths) < 4 {
		t.Fatalf("v1.7.0 CRDs: %d files, %v", len(paths), err)
	}
	files := map[string][]byte{}
	for _, p := range paths {
		if files[p], err = os.ReadFile(p); err != nil {
			t.Fatal(err)
		}
	}
	v, err := validate.NewFromCRDs(files)
	if err != nil {
		t.Fatal(err)
	}
	out, err := os.ReadFile("../testdata/cases/listenersets-per-namespace/expected.yaml")
	if err != nil {
		t.Fatal(err)
	}
	objs, err := load.ReadStream(bytes.NewReader(out), "expected.yaml")
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, o := range objs {
		if !v.Knows(o.APIVersion(), o.Kind()) {
			continue
		}
		kinds[o.Kind()]++
		doc, err := yaml.Marshal(o.Node)
		if err != nil {
			t.Fatal(err)
		}
		errs, err := v.ValidateYAML(doc)
		if err != nil {
			t.Fatalf("%s: %v", o.Ref(), err)
		}
		for _, e := range errs {
			t.Errorf("%s is invalid on v1.7.0: %v", o.Ref(), e)
		}
	}
	if kinds["ListenerSet"] < 2 || kinds["Gateway"] != 1 || kinds["HTTPRoute"] == 0 || kinds["TLSRoute"] == 0 {
		t.Errorf("validated %v, want the Gateway, its ListenerSets and the routes", kinds)
	}
	bad := "apiVersion: gateway.networking.k8s.io/v1\nkind: ListenerSet\nmetadata: {name: x, namespace: y}\n" +
		"spec: {parentRef: {name: g}, listeners: [{name: a, port: 443, protocol: HTTP, tls: {mode: Terminate}}]}\n"
	if errs, err := v.ValidateYAML([]byte(bad)); err != nil || len(errs) == 0 {
		t.Errorf("a ListenerSet with tls on an HTTP listener passes v1.7.0 validation (%v)", err)
	}
}

// The ConfigMap form's gatewayListenerSets key, and its refusal on a
// Gateway routeshift does not create.
func TestListenerSetsConfigMapKey(t *testing.T) {
	parse := func(data string) (Spec, error) {
		objs, err := load.ReadStream(strings.NewReader("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {"+data+"}\n"), "config.yaml")
		if err != nil {
			t.Fatal(err)
		}
		return ParseConfig(objs[0])
	}
	spec, err := parse(`gatewayName: shared, gatewayNamespace: infra, gatewayCreate: "true", gatewayClassName: eg, gatewayListenerSets: perNamespace`)
	if err != nil {
		t.Fatal(err)
	}
	if g := spec.Gateways[0]; g.ListenerSets != "perNamespace" {
		t.Errorf("listenerSets %q", g.ListenerSets)
	}
	if _, targets := spec.options(); targets[0].ListenerSets != "perNamespace" {
		t.Errorf("the target's ListenerSets is %q", targets[0].ListenerSets)
	}
	_, err = parse(`gatewayName: shared, gatewayNamespace: infra, gatewayListenerSets: perNamespace`)
	if err == nil || !strings.Contains(err.Error(), "spec.gateways[0].listenerSets: only applies when create is true") {
		t.Errorf("attach mode with listenerSets: %v", err)
	}
	if _, err = parse(`gatewayListenerSets: perNamespace`); err == nil || !strings.Contains(err.Error(), "data.gatewayListenerSets: needs data.gatewayName") {
		t.Errorf("gatewayListenerSets alone: %v", err)
	}
}

// An Ingress without namespace: its ListenerSet has none either (kustomize
// or kubectl sets it on apply), so the Gateway admits ListenerSets from all
// namespaces, with a warning naming the Ingress.
func TestListenerSetsUnnamespaced(t *testing.T) {
	in := `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  ingressClassName: nginx
  tls: [{hosts: [a.example.com], secretName: a-tls}]
  rules:
  - host: a.example.com
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
`
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(cfg, []byte("apiVersion: routeshift.dev/v1alpha1\nkind: IngressToGateway\nmetadata: {name: c}\n"+
		"spec: {gateways: [{name: shared, namespace: infra, create: true, gatewayClassName: example, listenerSets: perNamespace}]}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := convertWith(t, cfg, "input.yaml", []byte(in))
	if !bytes.Contains(r.out, []byte("allowedListeners:\n    namespaces:\n      from: All")) {
		t.Errorf("the Gateway does not admit all namespaces:\n%s", r.out)
	}
	if !bytes.Contains(r.results, []byte("(set a namespace to narrow allowedListeners)")) {
		t.Errorf("no warning:\n%s", r.results)
	}
	validateOutput(t, r.out)
}
