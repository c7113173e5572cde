package gateway

import (
	"regexp"
	"strings"
	"testing"

	"github.com/routeshift/routeshift/internal/proof/internal/kube"
	"github.com/routeshift/routeshift/internal/proof/routing"
)

const precedenceRoutes = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: public, namespace: gw}
spec:
  gatewayClassName: x
  listeners: [{name: http, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: a-prefix, namespace: shop}
spec:
  parentRefs: [{name: public, namespace: gw}]
  hostnames: [shop.example.com]
  rules:
  - matches: [{path: {type: PathPrefix, value: /api}}]
    backendRefs: [{name: prefix, port: 80}]
  - matches: [{path: {type: PathPrefix, value: /beta/}}]
    backendRefs: [{name: slashed, port: 80}]
  - matches: [{path: {type: PathPrefix, value: /canary}, headers: [{name: x-canary, value: "yes"}]}]
    backendRefs: [{name: canary, port: 80}]
  - matches: [{path: {type: PathPrefix, value: /}}]
    backendRefs: [{name: root, port: 80}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: b-regex, namespace: shop}
spec:
  parentRefs: [{name: public, namespace: gw}]
  hostnames: [shop.example.com]
  rules:
  - matches: [{path: {type: RegularExpression, value: "/api/v[0-9]+"}}]
    backendRefs: [{name: regex, port: 80}]
  - matches: [{path: {type: Exact, value: /api/v1}}]
    backendRefs: [{name: exact, port: 80}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: c-wild, namespace: shop}
spec:
  parentRefs: [{name: public, namespace: gw}]
  hostnames: ["*.example.com"]
  rules:
  - matches: [{path: {type: PathPrefix, value: /other}}]
    backendRefs: [{name: wild, port: 80}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: d-any, namespace: shop}
spec:
  parentRefs: [{name: public, namespace: gw}]
  rules: [{backendRefs: [{name: any, port: 80}]}]
`

// TestImplementationPrecedence asks each model the requests where the
// implementations part ways; the expectations restate the rules the
// package documentation cites.
func TestImplementationPrecedence(t *testing.T) {
	objs, err := kube.ReadStream([]byte(precedenceRoutes), "routes.yaml")
	if err != nil {
		t.Fatal(err)
	}
	models := map[Implementation]*Model{}
	for _, impl := range append([]Implementation{Spec}, Implementations()...) {
		m, err := Build(objs, Options{Implementation: impl})
		if err != nil {
			t.Fatal(err)
		}
		models[impl] = m
	}
	type want map[Implementation]string // service, or "404", or "unverifiable"
	for _, c := range []struct {
		host, path string
		headers    []routing.KV
		want       want
	}{
		// Exact beats everything everywhere.
		{"shop.example.com", "/api/v1", nil, want{Spec: "unverifiable", EnvoyGateway: "exact", Istio: "exact", Kgateway: "exact", NginxGatewayFabric: "exact"}},
		// Regex against a prefix: Istio ranks PathPrefix above
		// RegularExpression, the others the other way round.
		{"shop.example.com", "/api/v2", nil, want{Spec: "unverifiable", EnvoyGateway: "regex", Istio: "prefix", Kgateway: "regex", NginxGatewayFabric: "regex"}},
		// Envoy matches the whole path, nginx its start only.
		{"shop.example.com", "/api/v2/items", nil, want{Spec: "unverifiable", EnvoyGateway: "prefix", Istio: "prefix", Kgateway: "prefix", NginxGatewayFabric: "regex"}},
		// No regex in play: every model agrees.
		{"shop.example.com", "/api", nil, want{Spec: "prefix", EnvoyGateway: "prefix", Istio: "prefix", Kgateway: "prefix", NginxGatewayFabric: "prefix"}},
		// A path of a hostname with its own routes: the root rule takes it
		// everywhere, before the wildcard route.
		{"shop.example.com", "/other", nil, want{Spec: "root", EnvoyGateway: "root", Istio: "root", Kgateway: "root", NginxGatewayFabric: "root"}},
		// The wildcard hostname's routes have no match: the specification
		// falls through to the route without hostnames, a virtual host
		// does not.
		{"x.example.com", "/api", nil, want{Spec: "any", EnvoyGateway: "404", Istio: "404", Kgateway: "404", NginxGatewayFabric: "404"}},
		{"x.example.com", "/other/1", nil, want{Spec: "wild", EnvoyGateway: "wild", Istio: "wild", Kgateway: "wild", NginxGatewayFabric: "wild"}},
		{"elsewhere.test", "/x", nil, want{Spec: "any", EnvoyGateway: "any", Istio: "any", Kgateway: "any", NginxGatewayFabric: "any"}},
		// nginx-gateway-fabric picks the location by path, then its
		// matches: a header mismatch is 404, not the next location.
		{"shop.example.com", "/canary/x", nil, want{Spec: "root", EnvoyGateway: "root", Istio: "root", Kgateway: "root", NginxGatewayFabric: "404"}},
		{"shop.example.com", "/canary/x", []routing.KV{{Name: "x-canary", Value: "yes"}}, want{Spec: "canary", EnvoyGateway: "canary", Istio: "canary", Kgateway: "canary", NginxGatewayFabric: "canary"}},
		// A PathPrefix written with its slash: nginx's location "/beta/"
		// may redirect /beta.
		{"shop.example.com", "/beta", nil, want{Spec: "slashed", EnvoyGateway: "slashed", Istio: "slashed", Kgateway: "slashed", NginxGatewayFabric: "unverifiable"}},
	} {
		r := routing.Request{Scheme: "http", Host: c.host, Path: c.path, Method: "GET", Headers: c.headers}.Normalize()
		for impl, w := range c.want {
			o := models[impl].Evaluate(r)
			got := string(o.Kind)
			switch o.Kind {
			case routing.Forward:
				got = o.Backends[0].Service
			case routing.Status:
				got = "404"
			}
			if got != w {
				t.Errorf("%s %s%s: %q answers %s, want %s", r.Method, c.host, c.path, impl, o, w)
			}
			if impl == Spec && o.Kind == routing.Unverifiable && !strings.Contains(o.Reason, "envoy-gateway") {
				t.Errorf("%s: the specification's unverifiable answer does not say how implementations decide: %s", r, o.Reason)
			}
		}
	}
}

// TestVirtualHostsNarrowToTheListener: on a wildcard listener, a route
// without hostnames takes the listener's wildcard, and a route hostname
// broader than the listener's is narrowed to it (computeHosts), so a
// specific hostname's routes do not fall through to either.
func TestVirtualHostsNarrowToTheListener(t *testing.T) {
	objs, err := kube.ReadStream([]byte(`apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: public, namespace: gw}
spec:
  gatewayClassName: x
  listeners: [{name: http, port: 80, protocol: HTTP, hostname: "*.example.com", allowedRoutes: {namespaces: {from: All}}}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: specific, namespace: shop}
spec:
  parentRefs: [{name: public, namespace: gw}]
  hostnames: [shop.example.com]
  rules: [{matches: [{path: {type: PathPrefix, value: /cart}}], backendRefs: [{name: cart, port: 80}]}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: broad, namespace: shop}
spec:
  parentRefs: [{name: public, namespace: gw}]
  hostnames: ["*.com"]
  rules: [{matches: [{path: {type: PathPrefix, value: /broad}}], backendRefs: [{name: broad, port: 80}]}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: any, namespace: shop}
spec:
  parentRefs: [{name: public, namespace: gw}]
  rules: [{backendRefs: [{name: any, port: 80}]}]
`), "routes.yaml")
	if err != nil {
		t.Fatal(err)
	}
	m, err := Build(objs, Options{Implementation: EnvoyGateway})
	if err != nil {
		t.Fatal(err)
	}
	for req, want := range map[string]string{
		"shop.example.com/cart":  "cart",
		"shop.example.com/broad": "404",
		"shop.example.com/x":     "404",
		"a.b.example.com/broad":  "broad",
		"a.b.example.com/x":      "any",
	} {
		host, path, _ := strings.Cut(req, "/")
		o := m.Evaluate(routing.Request{Scheme: "http", Host: host, Path: "/" + path, Method: "GET"}.Normalize())
		got := "404"
		if o.Kind == routing.Forward {
			got = o.Backends[0].Service
		}
		if got != want {
			t.Errorf("%s: %s, want %s", req, o, want)
		}
	}
}

// TestPCREWhereGoCannotStandIn: nginx-gateway-fabric's PCRE is trusted to
// agree with Go only for plain ASCII patterns and paths.
func TestPCREWhereGoCannotStandIn(t *testing.T) {
	for _, c := range []struct {
		expr, path string
		safe       bool
	}{
		{"/api/v[0-9]+", "/api/v2", true},
		{`/files/\s+`, "/files/x", false},
		{`/\p{L}+`, "/abc", false},
		{"/caf\u00e9", "/cafe", false},
		{"/items/.*", "/items/\u00e9", false},
	} {
		if got := pcreSafe(c.expr, c.path); got != c.safe {
			t.Errorf("pcreSafe(%q, %q) = %v", c.expr, c.path, got)
		}
	}
}

// TestEnvoyGatewayRegexRewrite: Envoy's regex_rewrite replaces every match
// of the pattern, "\1" naming a capture; a "$" in the substitution is
// literal.
func TestEnvoyGatewayRegexRewrite(t *testing.T) {
	for _, c := range [][4]string{
		{`(?i)^.*?(?:/foo/bar/(.+)).*`, `/new/backend/\1`, "/FOO/bar/x/y", "/new/backend/x/y"},
		{`^/svc(/|$)(.*)`, `/\2`, "/svc/a/b", "/a/b"},
		{`o`, `0`, "/foo/boo", "/f00/b00"},
		{`^/p`, `/$1`, "/p", "/$1"},
	} {
		e := &egRewrite{re: regexp.MustCompile(c[0]), substitution: c[1]}
		if got := e.rewrite(c[2]); got != c[3] {
			t.Errorf("%s -> %s on %s: %s, want %s", c[0], c[1], c[2], got, c[3])
		}
	}
}
