package gateway

import (
	"strings"
	"testing"

	"github.com/routeshift/routeshift/internal/proof/internal/kube"
	"github.com/routeshift/routeshift/internal/proof/routing"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"
)

// TestReplacePrefixMatchTable is the table in HTTPPathModifier's
// documentation (apis/v1/httproute_types.go).
func TestReplacePrefixMatchTable(t *testing.T) {
	for _, c := range [][4]string{
		{"/foo/bar", "/foo", "/xyz", "/xyz/bar"},
		{"/foo/bar", "/foo", "/xyz/", "/xyz/bar"},
		{"/foo/bar", "/foo/", "/xyz", "/xyz/bar"},
		{"/foo/bar", "/foo/", "/xyz/", "/xyz/bar"},
		{"/foo", "/foo", "/xyz", "/xyz"},
		{"/foo/", "/foo", "/xyz", "/xyz/"},
		{"/foo/bar", "/foo", "", "/bar"},
		{"/foo/", "/foo", "", "/"},
		{"/foo", "/foo", "", "/"},
		{"/foo/", "/foo", "/", "/"},
		{"/foo", "/foo", "/", "/"},
	} {
		repl := c[2]
		pm := &gatewayv1.HTTPPathModifier{Type: gatewayv1.PrefixMatchHTTPPathModifier, ReplacePrefixMatch: &repl}
		if got := modifyPath(Spec, pm, &match{pathType: "PathPrefix", path: c[1]}, c[0], false); got != c[3] {
			t.Errorf("path %s, prefix %s, replace %q: got %s, want %s", c[0], c[1], c[2], got, c[3])
		}
	}
}

// TestEnvoyGatewayReplacePrefix is what egctl v1.8.0 and v1.9.1 write for
// Envoy (see egReplacePrefix), where it differs from the table above too.
func TestEnvoyGatewayReplacePrefix(t *testing.T) {
	for _, c := range []struct {
		path, prefix, repl string
		redirect           bool
		want               string
	}{
		{"/foo/bar", "/foo", "/xyz", false, "/xyz/bar"},
		{"/foo/bar", "/foo/", "/xyz/", false, "/xyz/bar"},
		{"/foo", "/foo", "", false, "/"},
		{"/foo/bar", "/foo", "/", false, "/bar"},
		{"/foo//bar", "/foo", "", false, "/bar"},
		// Envoy matched "/": prefix_rewrite puts "/app" in its place.
		{"/x", "/", "/app", false, "/appx"},
		{"/", "/", "/app", false, "/app"},
		{"/x", "/", "/", false, "/x"},
		// The regex is the prefix as written: "/foo/" leaves "/foo".
		{"/foo", "/foo/", "", false, "/foo"},
		// Redirects keep the replacement's trailing "/".
		{"/foo/bar", "/foo", "/xyz/", true, "/xyz//bar"},
	} {
		if got := egReplacePrefix(c.prefix, c.repl, c.path, c.redirect); got != c.want {
			t.Errorf("path %s, prefix %s, replace %q, redirect %v: got %s, want %s", c.path, c.prefix, c.repl, c.redirect, got, c.want)
		}
	}
}

func build(t *testing.T, text string) *Model {
	t.Helper()
	objs, err := kube.ReadStream([]byte(text), "test.yaml")
	if err != nil {
		t.Fatal(err)
	}
	m, err := Build(objs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestAssumedGateway: routes of a Gateway the manifests do not hold are
// evaluated on an assumed HTTP and HTTPS listener, with a note.
func TestAssumedGateway(t *testing.T) {
	m := build(t, `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: shop}
spec:
  parentRefs: [{name: shared, namespace: infra, sectionName: websecure}]
  hostnames: [shop.example.com]
  rules: [{backendRefs: [{name: web, port: 80}]}]
`)
	if len(m.Notes()) != 1 || !strings.Contains(m.Notes()[0], "infra/shared") {
		t.Errorf("notes %q", m.Notes())
	}
	r := routing.Request{Scheme: "https", Host: "shop.example.com", Path: "/"}.Normalize()
	if o := m.Evaluate(r); o.Kind != routing.Forward {
		t.Errorf("https: %s", o)
	}
	r.Scheme = "http"
	if o := m.Evaluate(r); o.Kind != routing.Status || o.Status != 404 {
		t.Errorf("http (the route attaches to the HTTPS section only): %s", o)
	}
	r.Scheme, r.Host = "https", "other.example.com"
	if o := m.Evaluate(r); o.Kind != routing.Refused {
		t.Errorf("https for a host no route names: %s", o)
	}
}

// TestInvalidSelectorAdmitsNothing: a listener whose selector cannot be
// evaluated admits no route, and the model says so instead of failing.
func TestInvalidSelectorAdmitsNothing(t *testing.T) {
	m := build(t, `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: public, namespace: gw}
spec:
  gatewayClassName: eg
  listeners:
  - name: http
    port: 80
    protocol: HTTP
    allowedRoutes: {namespaces: {from: Selector, selector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: In}]}}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: shop}
spec:
  parentRefs: [{name: public, namespace: gw}]
  rules: [{backendRefs: [{name: web, port: 80}]}]
`)
	if len(m.Notes()) != 1 {
		t.Errorf("notes %q", m.Notes())
	}
	if o := m.Evaluate(routing.Request{Host: "x", Path: "/"}.Normalize()); o.Kind != routing.Status || o.Status != 404 {
		t.Errorf("got %s", o)
	}
}
