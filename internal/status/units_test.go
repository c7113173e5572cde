package status

import (
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestHostIntersect(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"test.example.com", "test.example.com", true},
		{"test.example.com", "Test.Example.com", true},
		{"test.example.com", "other.example.com", false},
		{"*.example.com", "test.example.com", true},
		{"*.example.com", "foo.test.example.com", true}, // any number of labels
		{"*.example.com", "example.com", false},         // never the bare suffix
		{"*.example.com", "test.example.net", false},
		{"*.example.com", "badexample.com", false},
		{"test.example.com", "*.example.com", true},
		{"*.example.com", "*.example.com", true},
		{"*.example.com", "*.test.example.com", true},
		{"*.test.example.com", "*.example.com", true},
		{"*.example.com", "*.example.net", false},
		{"*.wildcard.io", "wildcard.io", false},
	} {
		if got := hostIntersect(tc.a, tc.b); got != tc.want {
			t.Errorf("hostIntersect(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
	if !hostnamesIntersect("", []string{"a.b"}) || !hostnamesIntersect("a.b", nil) || hostnamesIntersect("a.b", []string{"c.d"}) {
		t.Error("hostnamesIntersect: an empty side must match everything, two exact names only themselves")
	}
}

func TestSelects(t *testing.T) {
	shop := nsLabels{name: "shop", labels: map[string]string{"team": "shop", "env": "prod"}, known: true}
	unknownNS := nsLabels{name: "blog"}
	req := func(k string, op metav1.LabelSelectorOperator, v ...string) metav1.LabelSelectorRequirement {
		return metav1.LabelSelectorRequirement{Key: k, Operator: op, Values: v}
	}
	for _, tc := range []struct {
		name string
		sel  *metav1.LabelSelector
		ns   nsLabels
		want tri
	}{
		{"nil selects nothing", nil, shop, no},
		{"empty selects everything", &metav1.LabelSelector{}, shop, yes},
		{"matchLabels", &metav1.LabelSelector{MatchLabels: map[string]string{"team": "shop"}}, shop, yes},
		{"matchLabels mismatch", &metav1.LabelSelector{MatchLabels: map[string]string{"team": "blog"}}, shop, no},
		{"implicit name", &metav1.LabelSelector{MatchLabels: map[string]string{metadataNameLabel: "blog"}}, unknownNS, yes},
		{"unknown labels", &metav1.LabelSelector{MatchLabels: map[string]string{"team": "blog"}}, unknownNS, maybe},
		{"a known failure beats unknown", &metav1.LabelSelector{MatchLabels: map[string]string{"team": "blog", metadataNameLabel: "shop"}}, unknownNS, no},
		{"In", &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{req("env", metav1.LabelSelectorOpIn, "prod", "dev")}}, shop, yes},
		{"In absent", &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{req("tier", metav1.LabelSelectorOpIn, "a")}}, shop, no},
		{"NotIn", &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{req("env", metav1.LabelSelectorOpNotIn, "prod")}}, shop, no},
		{"NotIn absent", &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{req("tier", metav1.LabelSelectorOpNotIn, "a")}}, shop, yes},
		{"Exists", &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{req("team", metav1.LabelSelectorOpExists)}}, shop, yes},
		{"DoesNotExist", &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{req("team", metav1.LabelSelectorOpDoesNotExist)}}, shop, no},
		{"Exists with values is invalid", &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{req("team", metav1.LabelSelectorOpExists, "x")}}, shop, no},
		{"In without values is invalid", &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{req("team", metav1.LabelSelectorOpIn)}}, shop, no},
		{"unknown operator", &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{req("team", "Like", "s")}}, shop, no},
		{"expression on unknown labels", &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{req("team", metav1.LabelSelectorOpExists)}}, unknownNS, maybe},
	} {
		got, why := selects(tc.sel, tc.ns)
		if got != tc.want {
			t.Errorf("%s: got %v (%s), want %v", tc.name, got, why, tc.want)
		}
		if got != yes && why == "" {
			t.Errorf("%s: no explanation", tc.name)
		}
	}
}

func TestParseDeclared(t *testing.T) {
	ok := declaredHeader + `gateways:
- namespace: infra
  name: shared
  listeners: [{name: http, port: 80, protocol: HTTP}]
namespaces: [{name: shop, labels: {team: shop}}]
secrets: [infra/tls, certs/*]
services: [shop/web]
referenceGrants: [{namespace: certs, spec: {from: [{group: gateway.networking.k8s.io, kind: Gateway, namespace: infra}], to: [{group: '', kind: Secret}]}}]
features: []
`
	d, err := ParseDeclared([]byte(ok), "d.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Gateways) != 1 || d.Features == nil || len(d.Features) != 0 {
		t.Errorf("parsed %+v; features must be declared-but-empty", d)
	}
	if d, _ := ParseDeclared([]byte(declaredHeader), "d.yaml"); d.Features != nil {
		t.Error("absent features must stay undeclared (nil)")
	}
	for _, tc := range []struct{ body, want string }{
		{"kind: DeclaredObjects\n", "want apiVersion routeshift.dev/v1alpha1"},
		{declaredHeader + "secret: [a/b]\n", `unknown field "secret"`},
		{declaredHeader + "secrets: [nonamespace]\n", `secrets[0]: "nonamespace": want namespace/name`},
		{declaredHeader + "services: [a/b/c]\n", "services[0]"},
		{declaredHeader + "gateways: [{name: x}]\n", "gateways[0]: namespace and name are required"},
		{declaredHeader + "gateways: [{name: x, namespace: ns}]\n", "gateways[0] (ns/x): listeners are required"},
		{declaredHeader + "gateways: [{name: x, namespace: ns, listeners: [{name: a}]}]\n", "listeners[0]: name, port and protocol are required"},
		{declaredHeader + "namespaces: [{labels: {a: b}}]\n", "namespaces[0]: name is required"},
		{declaredHeader + "features: [Teleport]\n", `features[0]: unknown feature "Teleport"`},
		{declaredHeader + "referenceGrants: [{spec: {}}]\n", "referenceGrants[0]: namespace is required"},
		{declaredHeader + "secrets: {a: b}\n", "d.yaml"},
	} {
		_, err := ParseDeclared([]byte(tc.body), "d.yaml")
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "d.yaml: ") {
			t.Errorf("%q: got %v, want an error naming d.yaml and containing %q", tc.body, err, tc.want)
		}
	}
}
