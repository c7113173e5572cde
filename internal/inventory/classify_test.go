package inventory

import (
	"slices"
	"strings"
	"testing"

	"github.com/routeshift/routeshift/internal/load"
)

// ingress is a minimal v1 Ingress of class nginx with one path on host.
func ingress(ns, name, host, annotations string) string {
	meta := "  name: " + name + "\n  namespace: " + ns + "\n  creationTimestamp: \"2024-01-01T00:00:00Z\"\n"
	if annotations != "" {
		meta += "  annotations:\n"
		for _, kv := range strings.Split(annotations, ";") {
			k, v, _ := strings.Cut(kv, "=")
			meta += "    " + k + ": \"" + v + "\"\n"
		}
	}
	return "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n" + meta + `spec:
  ingressClassName: nginx
  rules:
  - host: "` + host + `"
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service: {name: web, port: {number: 80}}
---
`
}

func build(t *testing.T, yaml string, opt Options) *Report {
	t.Helper()
	objs, err := load.ReadStream(strings.NewReader(yaml), "test.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if opt.ClassNames == nil {
		opt.ClassNames, opt.IncludeUnclassed = []string{"nginx"}, true
	}
	rep, err := Build(objs, opt)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func find(t *testing.T, rep *Report, ref string) Ingress {
	t.Helper()
	for _, in := range rep.Ingresses {
		if in.Ref() == ref {
			return in
		}
	}
	t.Fatalf("no Ingress %s in the report", ref)
	return Ingress{}
}

func codes(c Classification) []string {
	var out []string
	for _, r := range c.Reasons {
		out = append(out, r.Code)
	}
	return out
}

const p = "nginx.ingress.kubernetes.io/"

// Each rule of the package doc, one Ingress at a time, on the
// implementations where the support matrix differs.
func TestClassificationRules(t *testing.T) {
	for _, tc := range []struct {
		name        string
		annotations string
		impl        string
		reviewed    bool
		class       Class
		codes       []string
	}{
		{"no annotations", "", "standard", false, Simple, nil},
		{"https redirect and other tools", p + "ssl-redirect=false;cert-manager.io/cluster-issuer=le;" + p + "proxy-buffering=on", "standard", false, Simple, nil},
		{"class annotation", "kubernetes.io/ingress.class=nginx", "standard", false, Simple, nil},
		{"standard filter", p + "enable-cors=true", "standard", false, Medium, []string{CodeStandardFeature}},
		{"approximated by standard", p + "canary=true;" + p + "canary-by-header=x;" + p + "canary-by-header-pattern=a.*", "standard", false, Medium, []string{CodeApproximated, CodeCanaryNoPrimary, CodeStandardFeature}},
		{"canary keys on a primary are not read", p + "canary-weight=10", "standard", false, Simple, nil},
		{"unknown key under the prefix", p + "rewrite-targte=/", "standard", false, Medium, []string{CodeUnknown}},
		{"another controller's key", "nginx.org/server-snippet=x", "standard", false, Medium, []string{CodeOtherController}},
		{"unsupported on standard", p + "limit-rps=5", "standard", false, Complex, []string{CodeUnsupported}},
		{"vendor approximation is a policy", p + "limit-rps=5", "envoy-gateway", false, Complex, []string{CodePolicy}},
		{"vendor policy", p + "whitelist-source-range=10.0.0.0/8", "envoy-gateway", false, Complex, []string{CodePolicy}},
		{"unsupported on kgateway", p + "limit-rps=5", "kgateway", false, Complex, []string{CodeUnsupported}},
		{"unsafe", p + "server-snippet=x", "standard", false, Blocked, []string{CodeUnsafe}},
		{"unsafe, reviewed", p + "server-snippet=x", "standard", true, Complex, []string{CodeUnsafe}},
		{"unconvertible redirect code", p + "permanent-redirect=https://a.example.com/;" + p + "permanent-redirect-code=300", "standard", false, Blocked, []string{CodeUnconvertible, CodeStandardFeature}},
		{"worst wins, all kept", p + "server-snippet=x;" + p + "limit-rps=5;" + p + "rewrite-target=/", "standard", false, Blocked, []string{CodeUnsafe, CodeUnsupported, CodeStandardFeature}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := build(t, ingress("ns", "web", "web.example.com", tc.annotations), Options{Implementations: []string{tc.impl}, UnsafeReviewed: tc.reviewed})
			c := find(t, rep, "ns/web").Classifications[0]
			if c.Class != tc.class || !slices.Equal(codes(c), tc.codes) {
				t.Errorf("got %s %v, want %s %v", c.Class, codes(c), tc.class, tc.codes)
			}
		})
	}
}

func TestConditions(t *testing.T) {
	yaml := `apiVersion: networking.k8s.io/v1beta1
kind: Ingress
metadata: {name: old, namespace: ns, annotations: {kubernetes.io/ingress.class: nginx}}
spec:
  rules:
  - host: old.example.com
    http: {paths: [{path: /, backend: {serviceName: web, servicePort: 80}}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: named-port, namespace: ns}
spec:
  ingressClassName: nginx
  rules:
  - host: port.example.com
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {name: http}}}}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: bad-host, namespace: ns}
spec:
  ingressClassName: nginx
  rules:
  - host: https://bad.example.com
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: wild, namespace: ns}
spec:
  ingressClassName: nginx
  rules:
  - host: "*.example.com"
    http: {paths: [{path: /static/, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: other, namespace: ns}
spec:
  ingressClassName: traefik
  rules:
  - host: other.example.com
`
	rep := build(t, yaml, Options{})
	for ref, want := range map[string][]string{
		"ns/old":        {CodeRemovedAPI},
		"ns/named-port": {CodeUnresolvedPort},
		"ns/bad-host":   {CodeInvalid},
		"ns/wild":       {CodeTrailingSlash, CodeWildcardHost},
	} {
		c := find(t, rep, ref).Classifications[0]
		if !slices.Equal(codes(c), want) {
			t.Errorf("%s: got %s %v, want %v", ref, c.Class, codes(c), want)
		}
	}
	other := find(t, rep, "ns/other")
	if other.InScope || len(other.Classifications) != 0 {
		t.Errorf("ns/other: an Ingress of another class is not classified: %+v", other)
	}
	if rep.Totals != (Totals{Ingresses: 5, InScope: 4, OtherClass: 1, OldAPIVersions: 1, Hosts: 4, Namespaces: 1, IngressClasses: 2}) {
		t.Errorf("totals: %+v", rep.Totals)
	}
}

// With a custom prefix, keys under the default one belong to another
// ingress-nginx deployment and the custom ones are read.
func TestAnnotationsPrefix(t *testing.T) {
	rep := build(t, ingress("ns", "web", "web.example.com", "corp.example/rewrite-target=/;"+p+"server-snippet=x"),
		Options{AnnotationsPrefix: "corp.example", Implementations: []string{"standard"}})
	c := find(t, rep, "ns/web").Classifications[0]
	if want := []string{CodeOtherController, CodeStandardFeature}; c.Class != Medium || !slices.Equal(codes(c), want) {
		t.Errorf("got %s %v, want medium %v", c.Class, codes(c), want)
	}
	if a := rep.Annotations[0]; a.Key != "corp.example/rewrite-target" || a.Name != "rewrite-target" {
		t.Errorf("annotation usage names the key under the configured prefix: %+v", a)
	}
}

func TestImplementations(t *testing.T) {
	if _, err := Build(nil, Options{Implementations: []string{"standard", "traefik"}}); err == nil || !strings.Contains(err.Error(), `"traefik"`) {
		t.Errorf("unknown implementation: err %v", err)
	}
	rep, err := Build(nil, Options{Implementations: []string{"kgateway", "standard", "kgateway"}})
	if err != nil || !slices.Equal(rep.Implementations, []string{"kgateway", "standard"}) {
		t.Errorf("repeats are dropped, order kept: %v %v", rep.Implementations, err)
	}
	rep, _ = Build(nil, Options{})
	if !slices.Equal(rep.Implementations, []string{"standard"}) || len(rep.Plans) != 1 || rep.Ingresses == nil {
		t.Errorf("no input: %+v", rep)
	}
}

func TestInternalHosts(t *testing.T) {
	for _, tc := range []struct {
		class string
		hosts []string
		want  bool
	}{
		{"nginx", []string{"wiki.internal.example.com"}, true},
		{"nginx", []string{"api-staging.example.com", "grafana.dev.example.com"}, true},
		{"nginx", []string{"wiki.internal.example.com", "www.example.com"}, false},
		{"nginx", []string{"intern.example.com"}, false},
		{"nginx", []string{""}, false},
		{"nginx", nil, false},
		{"nginx-internal", []string{"www.example.com"}, true},
	} {
		if got := internal(tc.class, tc.hosts); got != tc.want {
			t.Errorf("internal(%q, %v) = %v, want %v", tc.class, tc.hosts, got, tc.want)
		}
	}
}
