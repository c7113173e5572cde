package ingressnginx

import (
	"fmt"
	"strings"
	"testing"

	"github.com/routeshift/routeshift/internal/annotations"
	"github.com/routeshift/routeshift/internal/finding"
	_ "github.com/routeshift/routeshift/internal/golden"
	"github.com/routeshift/routeshift/internal/load"
)

func objects(t *testing.T, docs ...string) []*load.Object {
	t.Helper()
	objs, err := load.ReadStream(strings.NewReader(strings.Join(docs, "\n---\n")), "test.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return objs
}

// ingress writes a minimal Ingress; paths are "host path type service".
func ingress(name, extra string, paths ...string) string {
	s := fmt.Sprintf("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: %s\n  namespace: ns\n%sspec:\n  ingressClassName: nginx\n", name, extra)
	if len(paths) > 0 {
		s += "  rules:\n"
	}
	for _, p := range paths {
		f := strings.Fields(p)
		s += fmt.Sprintf("  - host: %s\n    http:\n      paths:\n      - path: %s\n        pathType: %s\n        backend: {service: {name: %s, port: {number: 80}}}\n", f[0], f[1], f[2], f[3])
	}
	return s
}

var opts = Options{ClassNames: []string{"nginx"}, IncludeUnclassed: true}

func locations(s *Server) string {
	var out []string
	for _, l := range s.Locations {
		be := "404"
		if l.Backend != nil {
			be = l.Backend.Service
		}
		mark := ""
		if l.Implicit {
			mark = "(implicit)"
		}
		if l.RedirectToHTTPS {
			mark += "(308)"
		}
		out = append(out, fmt.Sprintf("%s %s %s%s", l.PathType, l.Path, be, mark))
	}
	return strings.Join(out, "; ")
}

func server(t *testing.T, m *Model, host string) *Server {
	t.Helper()
	for _, s := range m.Servers {
		if s.Host == host {
			return s
		}
	}
	t.Fatalf("no server %q", host)
	return nil
}

func TestImplementationSpecificIsPrefixAndRootIsImplicit(t *testing.T) {
	m, f := Build(objects(t, ingress("a", "", "h.example.com /api ImplementationSpecific api", "h.example.com /x Exact x")), opts)
	if f.Max() > finding.Info {
		t.Fatalf("findings: %v", f)
	}
	if got, want := locations(server(t, m, "h.example.com")), "Prefix / 404(implicit); Prefix /api api; Exact /x x"; got != want {
		t.Errorf("locations %q, want %q", got, want)
	}
}

func TestOrderOldestThenNameDescending(t *testing.T) {
	old := "  creationTimestamp: \"2020-01-01T00:00:00Z\"\n"
	m, f := Build(objects(t,
		ingress("b", "", "h.example.com /p Prefix from-b"),
		ingress("z", old, "h.example.com /p Prefix from-z"),
		ingress("c", "", "h.example.com /p Prefix from-c")), opts)
	// z is oldest; b and c tie on time and c > b, so c comes before b.
	if got := locations(server(t, m, "h.example.com")); !strings.Contains(got, "/p from-z") {
		t.Errorf("oldest Ingress must win: %s", got)
	}
	m, _ = Build(objects(t, ingress("b", "", "h.example.com /p Prefix from-b"), ingress("c", "", "h.example.com /p Prefix from-c")), opts)
	if got := locations(server(t, m, "h.example.com")); !strings.Contains(got, "/p from-c") {
		t.Errorf("on equal timestamps ingress-nginx takes namespace/name descending: %s", got)
	}
	if len(f) == 0 || !strings.Contains(fmt.Sprint(f), "creation order") {
		t.Errorf("undated conflicts must say the winner depends on creation order: %v", f)
	}
}

func TestSSLRedirect(t *testing.T) {
	tls := "  annotations:\n    nginx.ingress.kubernetes.io/ssl-redirect: \"false\"\n"
	withTLS := func(name, extra, path string) string {
		return strings.Replace(ingress(name, extra, "h.example.com "+path+" Prefix "+name), "spec:\n", "spec:\n  tls:\n  - hosts: [h.example.com]\n    secretName: cert\n", 1)
	}
	m, _ := Build(objects(t,
		withTLS("web", "", "/"),
		ingress("plain", tls, "h.example.com /plain Prefix plain"),
		ingress("acme", "", "h.example.com /.well-known/acme-challenge/t Exact acme"),
		ingress("other", "", "other.example.com /x Prefix other")), opts)
	want := "Prefix / web(308); Exact /.well-known/acme-challenge/t acme; Prefix /plain plain"
	if got := locations(server(t, m, "h.example.com")); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := locations(server(t, m, "other.example.com")); strings.Contains(got, "308") {
		t.Errorf("a host without certificate must not redirect: %s", got)
	}
}

func TestCatchAllAndDefaultBackend(t *testing.T) {
	db := func(name string) string {
		return "  defaultBackend: {service: {name: " + name + ", port: {number: 80}}}\n"
	}
	m, _ := Build(objects(t,
		ingress("catch", "")+db("fallback"),
		ingress("host", "", "h.example.com /api Prefix api")+db("host-default")), opts)
	if m.CatchAll == nil || m.CatchAll.Service != "fallback" {
		t.Fatalf("catch-all %+v", m.CatchAll)
	}
	if got := locations(server(t, m, "")); got != "Prefix / fallback(implicit)" {
		t.Errorf("catch-all server: %s", got)
	}
	if got := locations(server(t, m, "h.example.com")); got != "Prefix / host-default(implicit); Prefix /api api" {
		t.Errorf("host default backend: %s", got)
	}
}

func TestCanaryCreatesNoLocation(t *testing.T) {
	canary := "  annotations:\n    nginx.ingress.kubernetes.io/canary: \"true\"\n"
	m, _ := Build(objects(t, ingress("main", "", "h.example.com /p Prefix main"), ingress("canary", canary, "h.example.com /q Prefix canary")), opts)
	if got := locations(server(t, m, "h.example.com")); strings.Contains(got, "canary") {
		t.Errorf("canary created a location: %s", got)
	}
}

func TestClassSelection(t *testing.T) {
	other := strings.Replace(ingress("alb", "", "a.example.com / Prefix a"), "ingressClassName: nginx", "ingressClassName: alb", 1)
	annotated := ingress("ann", "  annotations:\n    kubernetes.io/ingress.class: alb\n", "b.example.com / Prefix b")
	m, _ := Build(objects(t, other, annotated, strings.Replace(ingress("none", "", "c.example.com / Prefix c"), "  ingressClassName: nginx\n", "", 1)), opts)
	served := map[string]bool{}
	for _, ing := range m.Ingresses {
		served[ing.Name] = ing.Served
	}
	if served["alb"] || served["ann"] || !served["none"] {
		t.Errorf("served: %v (the annotation wins over spec.ingressClassName; unclassed is served)", served)
	}
}

func TestAnnotationFates(t *testing.T) {
	ann := "  annotations:\n    nginx.ingress.kubernetes.io/server-snippet: x\n    nginx.ingress.kubernetes.io/ssl-redirect: \"true\"\n    nginx.ingress.kubernetes.io/proxy-buffering: \"on\"\n    cert-manager.io/issuer: x\n    nginx.ingress.kubernetes.io/nonsense: x\n    nginx.ingress.kubernetes.io/enable-cors: \"true\"\n"
	// A controller that lets snippets in (risk level Critical) and uses
	// them: the snippet is unsafe. TestControllerProfile covers the rest.
	o := opts
	o.MaxRisk, o.AllowSnippets = annotations.Critical, true
	m, _ := Build(objects(t, ingress("a", ann, "h.example.com / Prefix a")), o)
	got := map[string]Fate{}
	for _, a := range m.Annotations(m.Ingresses[0]) {
		got[strings.TrimPrefix(a.Key, "nginx.ingress.kubernetes.io/")] = a.Fate
	}
	want := map[string]Fate{"server-snippet": Unsafe, "ssl-redirect": Converted, "proxy-buffering": Ignored, "cert-manager.io/issuer": Ignored, "nonsense": Unsupported, "enable-cors": Converted}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %s, want %s", k, got[k], v)
		}
	}
	if len(got) != len(want) {
		t.Errorf("every annotation needs a fate: %v", got)
	}
}

// TestRequestURIForm: only <scheme>://<host>[:<port>] followed by
// $request_uri (or ${request_uri}) keeps the request's path and query the
// way a RequestRedirect does; every other variable is named.
func TestRequestURIForm(t *testing.T) {
	for _, tc := range []struct{ in, base, why string }{
		{"https://new.example.com$request_uri", "https://new.example.com", ""},
		{"http://h.example.com:8080${request_uri}", "http://h.example.com:8080", ""},
		{"https://new.example.com/app$request_uri", "", `puts "/app" before`},
		{"https://new.example.com/?$request_uri", "", "before the nginx variable $request_uri"},
		{"https://$host$request_uri", "", "$host"},
		{"https://new.example.com$uri$is_args$args", "", "$uri"},
		{"https://new.example.com$request_uri/x", "", "elsewhere"},
		{"https://new.example.com/$", "", "starts no variable"},
		{"https://new.example.com/${x", "", "$x"},
	} {
		base, why := requestURIForm(tc.in)
		if base != tc.base || !strings.Contains(why, tc.why) || (tc.why == "") != (why == "") {
			t.Errorf("%s: got %q, %q; want %q, %q", tc.in, base, why, tc.base, tc.why)
		}
	}
}
