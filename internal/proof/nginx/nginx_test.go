package nginx

import (
	"strconv"
	"strings"
	"testing"

	_ "github.com/routeshift/routeshift/internal/golden"
	"github.com/routeshift/routeshift/internal/proof/internal/kube"
	"github.com/routeshift/routeshift/internal/proof/routing"
)

// ing builds an Ingress manifest: name, host, then "path type service"
// triples joined by commas, and annotations as key=value.
func ing(name, host, paths string, ann ...string) string {
	var b strings.Builder
	b.WriteString("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: " + name + "\n  namespace: ns\n")
	if len(ann) > 0 {
		b.WriteString("  annotations:\n")
		for _, a := range ann {
			k, v, _ := strings.Cut(a, "=")
			b.WriteString("    nginx.ingress.kubernetes.io/" + k + ": '" + v + "'\n")
		}
	}
	b.WriteString("spec:\n  ingressClassName: nginx\n  rules:\n  - host: '" + host + "'\n    http:\n      paths:\n")
	for _, p := range strings.Split(paths, ",") {
		f := strings.Fields(p)
		b.WriteString("      - path: '" + f[0] + "'\n        pathType: " + f[1] +
			"\n        backend: {service: {name: " + f[2] + ", port: {number: 80}}}\n")
	}
	return b.String()
}

func tlsIng(name, host, paths string, ann ...string) string {
	return strings.Replace(ing(name, host, paths, ann...), "spec:\n", "spec:\n  tls:\n  - hosts: ['"+host+"']\n    secretName: cert\n", 1)
}

// req parses "GET http://host/path?q header:value cookie=value".
func req(s string) routing.Request {
	f := strings.Fields(s)
	r := routing.Request{Method: f[0]}
	scheme, rest, _ := strings.Cut(f[1], "://")
	r.Scheme = scheme
	host, path, _ := strings.Cut(rest, "/")
	r.Host, r.Path = host, "/"+path
	if p, q, ok := strings.Cut(r.Path, "?"); ok {
		r.Path = p
		for _, kv := range strings.Split(q, "&") {
			k, v, _ := strings.Cut(kv, "=")
			r.Query = append(r.Query, routing.KV{Name: k, Value: v})
		}
	}
	for _, x := range f[2:] {
		if k, v, ok := strings.Cut(x, ":"); ok {
			r.Headers = append(r.Headers, routing.KV{Name: k, Value: v})
		} else if k, v, ok := strings.Cut(x, "="); ok {
			r.Cookies = append(r.Cookies, routing.KV{Name: k, Value: v})
		}
	}
	return r.Normalize()
}

func model(t *testing.T, docs ...string) *Model {
	t.Helper()
	objs, err := kube.ReadStream([]byte(strings.Join(docs, "---\n")), "test.yaml")
	if err != nil {
		t.Fatal(err)
	}
	m, err := Build(objs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// short renders an outcome compactly for the tables below:
// "svc", "svc path=/x", "301 location", "404", "unverifiable".
func short(o routing.Outcome) string {
	switch o.Kind {
	case routing.Forward:
		bs := routing.Split(o.Backends)
		var names []string
		for _, b := range bs {
			n := b.Service
			if len(bs) > 1 {
				n += "*" + strconv.FormatInt(b.Weight, 10)
			}
			names = append(names, n)
		}
		s := strings.Join(names, "+")
		if p := o.RewrittenPath; p != "" && p != "-" {
			s += " " + p
		}
		return s
	case routing.Redirect:
		return strconv.Itoa(o.Redirect.Status) + " " + o.Redirect.Location
	case routing.Status:
		return strconv.Itoa(o.Status)
	}
	return string(o.Kind)
}

type docCase struct {
	source string // where the behaviour is documented
	objs   []string
	checks map[string]string // request -> short outcome
	// profile is the controller's; the zero value is the last release's.
	profile Profile
}

// Each case cites the ingress-nginx documentation, e2e test or source that
// states the behaviour (paths relative to the kubernetes/ingress-nginx
// repository, controller v1.15).
var docCases = []docCase{{
	// test/e2e/ingress/pathtype_prefix.go: /aaa matches /aaa, /aaa/ and
	// /aaa/cccc but not /aaacccc; internal/ingress/controller/controller.go
	// updateServerLocations adds "= /aaa" beside "/aaa/".
	source: "e2e pathtype_prefix",
	objs:   []string{ing("prefix", "prefix.example.com", "/aaa Prefix aaa")},
	checks: map[string]string{
		"GET http://prefix.example.com/aaa":      "aaa /aaa",
		"GET http://prefix.example.com/aaa/":     "aaa /aaa/",
		"GET http://prefix.example.com/aaa/cccc": "aaa /aaa/cccc",
		"GET http://prefix.example.com/aaacccc":  "404",
		"GET http://prefix.example.com/AAA":      "404",
	},
}, {
	// test/e2e/ingress/pathtype_exact.go and pathtype_mixed.go: Exact is
	// exact and case-sensitive; an Exact and a Prefix on the same path are
	// both served, "=" first.
	source: "e2e pathtype_exact, pathtype_mixed",
	objs:   []string{ing("exact", "exact.example.com", "/exact Exact exact,/exact Prefix prefix")},
	checks: map[string]string{
		"GET http://exact.example.com/exact":     "exact /exact",
		"GET http://exact.example.com/exact/":    "prefix /exact/",
		"GET http://exact.example.com/exact/sub": "prefix /exact/sub",
		"GET http://exact.example.com/exactly":   "404",
	},
}, {
	// docs/user-guide/ingress-path-matching.md "IMPORTANT NOTES": use-regex
	// on any Ingress of a host makes every path of the host a
	// case-insensitive regex anchored at the start only.
	source: "docs ingress-path-matching.md",
	objs: []string{
		ing("plain", "regex.example.com", "/foo Exact foo"),
		ing("regex", "regex.example.com", "/bar/[0-9]+ ImplementationSpecific bar", "use-regex=true"),
	},
	checks: map[string]string{
		"GET http://regex.example.com/FOO":    "foo /FOO",
		"GET http://regex.example.com/foobar": "foo /foobar",
		"GET http://regex.example.com/bar/12": "bar /bar/12",
		"GET http://regex.example.com/bar/x":  "404",
	},
}, {
	// docs/user-guide/ingress-path-matching.md "Warning": the longest
	// pattern is tried first, not the longest match.
	source: "docs ingress-path-matching.md Warning",
	objs: []string{ing("order", "order.example.com",
		"/foo/bar/bar Prefix bar,/foo/bar/[A-Z0-9]{3} ImplementationSpecific re", "use-regex=true")},
	checks: map[string]string{
		"GET http://order.example.com/foo/bar/bar": "re /foo/bar/bar",
	},
}, {
	// docs/examples/rewrite/README.md: path /something(/|$)(.*) with
	// rewrite-target /$2.
	source: "docs examples/rewrite",
	objs: []string{ing("rewrite", "rewrite.bar.com", "/something(/|$)(.*) ImplementationSpecific http-svc",
		"rewrite-target=/$2")},
	checks: map[string]string{
		"GET http://rewrite.bar.com/something":     "http-svc /",
		"GET http://rewrite.bar.com/something/":    "http-svc /",
		"GET http://rewrite.bar.com/something/new": "http-svc /new",
		"GET http://rewrite.bar.com/something?a=1": "http-svc /?a=1",
	},
}, {
	// docs/examples/rewrite/README.md "App Root": GET / answers 302 to the
	// app root on the same host.
	source: "docs examples/rewrite App Root",
	objs:   []string{ing("approot", "approot.bar.com", "/ Prefix http-svc", "app-root=/app1")},
	checks: map[string]string{
		"GET http://approot.bar.com/":     "302 http://approot.bar.com/app1",
		"GET http://approot.bar.com/app1": "http-svc /app1",
	},
}, {
	// docs/user-guide/nginx-configuration/annotations.md "Canary": header
	// always/never, then weight; rootfs/etc/nginx/lua/balancer.lua.
	source: "docs annotations.md Canary",
	objs: []string{
		ing("prod", "canary.example.com", "/ Prefix prod"),
		ing("canary", "canary.example.com", "/ Prefix canary", "canary=true", "canary-by-header=X-Canary", "canary-weight=20"),
	},
	checks: map[string]string{
		"GET http://canary.example.com/ X-Canary:always": "canary /",
		"GET http://canary.example.com/ X-Canary:never":  "prod /",
		"GET http://canary.example.com/ X-Canary:maybe":  "canary*20+prod*80 /",
		"GET http://canary.example.com/":                 "canary*20+prod*80 /",
	},
}, {
	// annotations.md Canary: canary-by-header-value replaces always; a
	// different value falls through to the weight (0 here).
	source: "docs annotations.md canary-by-header-value",
	objs: []string{
		ing("prod", "value.example.com", "/ Prefix prod"),
		ing("canary", "value.example.com", "/ Prefix canary", "canary=true", "canary-by-header=X-Region", "canary-by-header-value=eu"),
	},
	checks: map[string]string{
		"GET http://value.example.com/ X-Region:eu":     "canary /",
		"GET http://value.example.com/ X-Region:always": "prod /",
	},
}, {
	// rootfs/etc/nginx/lua/lua_ingress.lua: a TLS host redirects http with
	// http-redirect-code (308), dropping a trailing slash; locations under
	// /.well-known/acme-challenge are exempt (no-tls-redirect-locations).
	source: "lua_ingress.lua, configmap.md ssl-redirect",
	objs: []string{
		tlsIng("web", "tls.example.com", "/ Prefix web"),
		ing("solver", "tls.example.com", "/.well-known/acme-challenge/tok Exact solver"),
	},
	checks: map[string]string{
		"GET http://tls.example.com/shop/":                          "308 https://tls.example.com/shop",
		"GET http://tls.example.com/shop?a=1":                       "308 https://tls.example.com/shop?a=1",
		"GET https://tls.example.com/shop/":                         "web /shop/",
		"GET http://tls.example.com/.well-known/acme-challenge/tok": "solver /.well-known/acme-challenge/tok",
		"GET http://tls.example.com/.well-known/acme-challenge/x":   "308 https://tls.example.com/.well-known/acme-challenge/x",
	},
}, {
	// internal/ingress/annotations/redirect/redirect.go: permanent-redirect
	// answers 301 (or its code) with the literal URL; temporal-redirect
	// wins and answers 302.
	source: "annotations/redirect/redirect.go",
	objs: []string{
		ing("perm", "perm.example.com", "/ Prefix x", "permanent-redirect=https://new.example.com/", "permanent-redirect-code=308"),
		ing("temp", "temp.example.com", "/ Prefix x", "permanent-redirect=https://a.example.com", "temporal-redirect=https://b.example.com"),
	},
	checks: map[string]string{
		"GET http://perm.example.com/any?q=1": "308 https://new.example.com/",
		"GET http://temp.example.com/any":     "302 https://b.example.com",
	},
}, {
	// rootfs/etc/nginx/template/nginx.tmpl renders `return <code> <url>;`
	// and nginx expands the variables in <url> (controllers before v1.12;
	// later ones reject '$' with annotation validation on). Only
	// temporal-redirect is checked with url.Parse (redirect.go
	// isValidURL), which rejects a port followed by a variable: the
	// annotation is skipped and the location forwards.
	source:  "nginx.tmpl return, redirect.go isValidURL",
	profile: Profile{Version: "1.11.3"},
	objs: []string{
		ing("keep", "keep.example.com", "/ Prefix x", "permanent-redirect=https://new.example.com$request_uri"),
		ing("port", "port.example.com", "/ Prefix x", "permanent-redirect=http://new.example.com:8080${request_uri}", "permanent-redirect-code=307"),
		ing("vars", "vars.example.com", "/ Prefix x", "permanent-redirect=$scheme://$host/m$uri$is_args$args", "permanent-redirect-code=302"),
		ing("tvars", "tvars.example.com", "/ Prefix x", "temporal-redirect=$scheme://$host/m$uri"),
		ing("tport", "tport.example.com", "/ Prefix x", "temporal-redirect=http://new.example.com:8080$request_uri"),
		ing("unknown", "unknown.example.com", "/ Prefix x", "permanent-redirect=https://new.example.com/$remote_addr"),
	},
	checks: map[string]string{
		"GET http://keep.example.com/a//b?q=1": "301 https://new.example.com/a//b?q=1",
		"GET http://port.example.com/a":        "307 http://new.example.com:8080/a",
		"GET http://vars.example.com/a//b?q=1": "302 http://vars.example.com/m/a/b?q=1",
		"GET https://vars.example.com/a":       "refused",
		"GET http://VARS.example.com/a":        "302 http://vars.example.com/m/a",
		"GET http://tport.example.com/a":       "x /a",
		"GET http://unknown.example.com/":      "unverifiable",
	},
}, {
	// docs/user-guide/ingress-path-matching.md and template.go
	// buildServerName: *.example.com matches one label only; an unknown host
	// gets the default backend's 404.
	source: "template.go buildServerName, default backend",
	objs:   []string{ing("wild", "*.example.com", "/ Prefix wild")},
	checks: map[string]string{
		"GET http://a.example.com/":       "wild /",
		"GET http://a.b.example.com/":     "404",
		"GET http://example.com/":         "404",
		"GET http://other.example.org/x/": "404",
	},
}, {
	// store.go sortIngressSlice and controller.go: the oldest Ingress keeps
	// a duplicate host+path; equal timestamps order by namespace/name
	// descending.
	source: "store.go sortIngressSlice",
	objs: []string{
		strings.Replace(ing("a", "dup.example.com", "/ Prefix a"), "namespace: ns\n", "namespace: ns\n  creationTimestamp: '2024-01-02T00:00:00Z'\n", 1),
		strings.Replace(ing("b", "dup.example.com", "/ Prefix b"), "namespace: ns\n", "namespace: ns\n  creationTimestamp: '2024-01-01T00:00:00Z'\n", 1),
		ing("c", "tie.example.com", "/ Prefix c"),
		ing("d", "tie.example.com", "/ Prefix d"),
	},
	checks: map[string]string{
		"GET http://dup.example.com/": "b /",
		"GET http://tie.example.com/": "d /",
	},
}, {
	// test/e2e/annotations/fromtowwwredirect.go: the twin host redirects
	// with 308 to the Ingress host.
	source: "e2e fromtowwwredirect",
	objs:   []string{ing("www", "www.fromtowww.com", "/ Prefix web", "from-to-www-redirect=true")},
	checks: map[string]string{
		"GET http://fromtowww.com/foo?a=1": "308 http://www.fromtowww.com/foo?a=1",
		"GET http://www.fromtowww.com/foo": "web /foo",
	},
}, {
	// nginx docs (ngx_http_core_module "location"): a prefix location ending
	// in "/" with proxy_pass answers the URI without the slash with 301.
	source: "nginx location auto-redirect",
	objs:   []string{ing("slash", "slash.example.com", "/docs/ Prefix docs")},
	checks: map[string]string{
		"GET http://slash.example.com/docs":  "301 http://slash.example.com/docs/",
		"GET http://slash.example.com/docs/": "docs /docs/",
	},
}, {
	// The same redirects under v1.12 and later (the default profile):
	// --enable-annotation-validation is on and parser.URLIsValidRegex has
	// no '$', so annotations.Extract fails and store.go syncIngress skips
	// the Ingress; the host is not served. A value it accepts redirects.
	source: "annotations.go Extract, parser/validators.go URLIsValidRegex (v1.12+)",
	objs: []string{
		ing("keep", "keep.example.com", "/ Prefix x", "permanent-redirect=https://new.example.com$request_uri"),
		ing("tvars", "tvars.example.com", "/ Prefix x", "temporal-redirect=$scheme://$host/m$uri"),
		ing("plain", "plain.example.com", "/ Prefix x", "permanent-redirect=https://new.example.com/landing?from=old"),
	},
	checks: map[string]string{
		"GET http://keep.example.com/a":  "404",
		"GET http://tvars.example.com/a": "404",
		"GET http://plain.example.com/a": "301 https://new.example.com/landing?from=old",
	},
}, {
	// controller.go dropSnippetDirectives (controller-v1.15.1): with
	// allow-snippet-annotations false, the default, snippets are dropped
	// once annotations-risk-level lets the Ingress in (TestSnippetsAllowed
	// covers the other setting).
	source:  "controller.go dropSnippetDirectives",
	profile: Profile{AnnotationsRiskLevel: "Critical"},
	objs:    []string{ing("snip", "snip.example.com", "/ Prefix x", "configuration-snippet=return 418;")},
	checks: map[string]string{
		"GET http://snip.example.com/": "x /",
	},
}, {
	// v1.9 to v1.11: annotations-risk-level Critical by default, so the
	// snippet is dropped the same way.
	source:  "config.go NewDefault (controller-v1.11.0)",
	profile: Profile{Version: "v1.11.0"},
	objs:    []string{ing("snip", "snip.example.com", "/ Prefix x", "configuration-snippet=return 418;")},
	checks: map[string]string{
		"GET http://snip.example.com/": "x /",
	},
}, {
	// v1.12 and later: annotations-risk-level High by default; a snippet is
	// Critical (annotations-risk.md), so the snippet parser's Validate
	// fails annotations.Extract and the Ingress is not served at all,
	// whatever allow-snippet-annotations says.
	source: "annotations.go Extract, parser.CheckAnnotationRisk (v1.12+)",
	objs:   []string{ing("snip", "snip.example.com", "/ Prefix x", "configuration-snippet=return 418;")},
	checks: map[string]string{
		"GET http://snip.example.com/": "404",
	},
}}

// TestSnippetsAllowed: where the profile allows snippets they are raw nginx
// (annotations-risk.md, Critical), whose effect cannot be known.
func TestSnippetsAllowed(t *testing.T) {
	objs, err := kube.ReadStream([]byte(ing("snip", "snip.example.com", "/ Prefix x", "configuration-snippet=return 418;")), "t.yaml")
	if err != nil {
		t.Fatal(err)
	}
	allow := true
	m, err := Build(objs, Options{Profile: Profile{AllowSnippetAnnotations: &allow, AnnotationsRiskLevel: "Critical"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Evaluate(req("GET http://snip.example.com/")); got.Kind != routing.Unverifiable {
		t.Errorf("got %s, want unverifiable", got)
	}
}

// TestProfileRefusals: what the API server and strict path validation
// refuse serves nothing, and says why.
func TestProfileRefusals(t *testing.T) {
	for _, c := range []struct {
		text, why string
		lax       bool
	}{
		{ing("upper", "Shop.Example.com", "/ Prefix x"), "lower-case DNS name", false},
		{ing("templ", "{{ host }}", "/ Prefix x"), "lower-case DNS name", false},
		{ing("space", "a.example.com", "/a_b(x) Prefix x"), "strict-validate-path-type", false},
		{ing("space", "a.example.com", "/a_b(x) Prefix x"), "", true},
		{ing("snip", "a.example.com", "/ Prefix x", "server-snippet=return 418;"), "server-snippet is Critical risk, above annotations-risk-level High", false},
		{ing("vars", "a.example.com", "/ Prefix x", "permanent-redirect=https://b.example.com$request_uri"), "annotation validation", false},
		{ing("ok", "a.example.com", "/ Prefix x", "temporal-redirect=https://b.example.com/x", "permanent-redirect=https://b.example.com$request_uri"), "", false},
	} {
		objs, err := kube.ReadStream([]byte(c.text), "t.yaml")
		if err != nil {
			t.Fatal(err)
		}
		strict := !c.lax
		m, err := Build(objs, Options{Profile: Profile{StrictValidatePathType: &strict}})
		if err != nil {
			t.Fatal(err)
		}
		serves, why := m.Serves(objs[0])
		if serves != (c.why == "") || !strings.Contains(why, c.why) {
			t.Errorf("%s: serves %v, %q; want the reason to say %q", objs[0].Ref(), serves, why, c.why)
		}
	}
}

func TestDocumentedBehaviour(t *testing.T) {
	for _, c := range docCases {
		objs, err := kube.ReadStream([]byte(strings.Join(c.objs, "---\n")), "test.yaml")
		if err != nil {
			t.Fatal(err)
		}
		m, err := Build(objs, Options{Profile: c.profile})
		if err != nil {
			t.Fatal(err)
		}
		for r, want := range c.checks {
			got := m.Evaluate(req(r))
			if short(got) != want {
				t.Errorf("%s: %s: got %q (%s [%s]), want %q", c.source, r, short(got), got, got.Rule, want)
			}
		}
	}
}

func TestBadInputIsAnErrorNamingTheObject(t *testing.T) {
	objs, err := kube.ReadStream([]byte("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: x}\nspec: {rules: {a: b}}\n"), "bad.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Build(objs, Options{})
	if err == nil || !strings.Contains(err.Error(), "bad.yaml[0]") {
		t.Fatalf("got %v, want an error naming bad.yaml[0]", err)
	}
}

// TestOldAPIVersions: extensions/v1beta1 and networking.k8s.io/v1beta1
// Ingresses are read as the API server converted them to v1 (serviceName
// and servicePort, a missing pathType is ImplementationSpecific, i.e.
// Prefix), and one of another class that does not even decode is left
// out instead of stopping the model (diff exits 0/1, not 2).
func TestOldAPIVersions(t *testing.T) {
	m := model(t, `apiVersion: extensions/v1beta1
kind: Ingress
metadata: {name: old, namespace: ns, annotations: {kubernetes.io/ingress.class: nginx}}
spec:
  backend: {serviceName: fallback, servicePort: 80}
  rules:
  - host: old.example.com
    http:
      paths:
      - {path: /api, backend: {serviceName: api, servicePort: http}}
`, `apiVersion: v1
kind: Service
metadata: {name: api, namespace: ns}
spec: {ports: [{name: http, port: 8080}]}
`, `apiVersion: networking.k8s.io/v1beta1
kind: Ingress
metadata: {name: beta, namespace: ns}
spec:
  ingressClassName: nginx
  rules:
  - host: beta.example.com
    http:
      paths:
      - {path: /x, pathType: Exact, backend: {serviceName: x, servicePort: 80}}
`, `apiVersion: extensions/v1beta1
kind: Ingress
metadata: {name: alb, namespace: ns}
spec:
  ingressClassName: alb
  rules: {not: a list}
`)
	for in, want := range map[string]string{
		"GET http://old.example.com/api/v1": "api /api/v1",
		"GET http://old.example.com/other":  "fallback /other",
		"GET http://beta.example.com/x":     "x /x",
		"GET http://beta.example.com/x/y":   "404",
	} {
		if got := short(m.Evaluate(req(in))); got != want {
			t.Errorf("%s: got %q, want %q", in, got, want)
		}
	}
	objs, err := kube.ReadStream([]byte(`apiVersion: networking.k8s.io/v1beta1
kind: Ingress
metadata: {name: broken, namespace: ns}
spec: {ingressClassName: nginx, rules: {not: a list}}
`), "test.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Build(objs, Options{}); err == nil || !strings.Contains(err.Error(), "broken") {
		t.Errorf("an Ingress of the served class that does not decode must be an error naming it, got %v", err)
	}
}

// TestProfileVersions: the version chooses the defaults; a malformed
// version or risk level is an error, not a silent default.
func TestProfileVersions(t *testing.T) {
	for _, c := range []struct {
		version                      string
		strict, snippets, validation bool
		risk                         string
	}{
		{"", true, false, true, "High"},
		{"1.15.1", true, false, true, "High"},
		{"controller-v1.12.0", true, false, true, "High"},
		{"v1.11.3", false, false, false, "Critical"},
		{"1.10", false, false, false, "Critical"},
		{"1.9.6", false, false, false, "Critical"},
		{"1.8.5", false, true, false, "Critical"},
	} {
		p := Profile{Version: c.version}
		if err := p.Validate(); err != nil {
			t.Fatalf("%q: %v", c.version, err)
		}
		risk, _ := p.riskLevel()
		if p.strict() != c.strict || p.snippets() != c.snippets || p.validation() != c.validation || risk.String() != c.risk {
			t.Errorf("%q: strict %v snippets %v validation %v risk %s", c.version, p.strict(), p.snippets(), p.validation(), risk)
		}
	}
	for _, bad := range []Profile{{Version: "2.0"}, {Version: "1"}, {Version: "latest"}, {Version: "1.x"}, {AnnotationsRiskLevel: "Severe"}} {
		if err := bad.Validate(); err == nil {
			t.Errorf("%+v: want an error", bad)
		}
	}
}
