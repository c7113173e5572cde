package ingressnginx

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/routeshift/routeshift/internal/load"
)

// fuzzed are the annotations whose values the model parses, in the order
// FuzzBuild's selector assigns them: two bits each say whether the
// annotation is absent or takes the first, second or third fuzzed value.
var fuzzed = []string{
	"ssl-redirect", "force-ssl-redirect", "use-regex", "rewrite-target",
	"x-forwarded-prefix", "upstream-vhost", "app-root", "from-to-www-redirect",
	"permanent-redirect", "permanent-redirect-code", "temporal-redirect", "temporal-redirect-code",
	"preserve-trailing-slash", "enable-cors", "cors-allow-origin", "cors-allow-methods",
	"cors-allow-headers", "cors-expose-headers", "cors-allow-credentials", "cors-max-age",
	"custom-headers", "backend-protocol", "proxy-ssl-name", "proxy-ssl-verify",
	"proxy-ssl-secret", "ssl-passthrough", "canary-weight", "canary-weight-total",
	"canary-by-header", "canary-by-header-value", "canary-by-header-pattern", "canary-by-cookie",
}

// fuzzIngresses builds a primary Ingress, a canary of it and the ConfigMap
// custom-headers names, carrying the selected annotations. extra is one
// more annotation name under the prefix, fuzzed too. Values are written as
// JSON strings, which YAML reads as double-quoted scalars, so any string
// can be expressed.
func fuzzIngresses(selector uint64, extra string, values [3]string) string {
	q := func(s string) string {
		b, _ := json.Marshal(s)
		return string(b)
	}
	var ann strings.Builder
	for i, name := range fuzzed {
		pick := selector >> (2 * i) & 3
		if pick == 0 {
			continue
		}
		v := values[pick-1]
		if name == "custom-headers" && pick == 1 {
			v = "headers" // the ConfigMap below, so its data is read
		}
		fmt.Fprintf(&ann, "    %s: %s\n", q("nginx.ingress.kubernetes.io/"+name), q(v))
	}
	if extra != "" {
		fmt.Fprintf(&ann, "    %s: %s\n", q("nginx.ingress.kubernetes.io/"+extra), q(values[0]))
	}
	ingress := func(name, annotations, service string) string {
		return fmt.Sprintf(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: %s
  namespace: shop
  annotations:
%s    example.com/owner: team
spec:
  ingressClassName: nginx
  tls:
  - hosts: [shop.example.com]
    secretName: shop-tls
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend: {service: {name: %s, port: {number: 80}}}
      - path: /api
        pathType: ImplementationSpecific
        backend: {service: {name: %s, port: {number: 8080}}}
`, name, annotations, service, service)
	}
	return strings.Join([]string{
		fmt.Sprintf("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: headers, namespace: shop}\ndata:\n  X-Fixed: %s\n  %s: %s\n", q(values[1]), q(values[2]), q(values[0])),
		ingress("web", ann.String(), "web"),
		ingress("web-canary", ann.String()+"    nginx.ingress.kubernetes.io/canary: \"true\"\n", "web-v2"),
	}, "---\n")
}

// fates renders what Build decided about every annotation of every served
// Ingress, to compare runs.
func fates(m *Model) []string {
	var out []string
	for _, ing := range m.Ingresses {
		if !ing.Served {
			continue
		}
		for _, a := range m.Annotations(ing) {
			out = append(out, fmt.Sprintf("%s %s: %s (%s)", ing.Name, a.Key, a.Fate, a.Reason))
		}
	}
	return out
}

// FuzzBuild fuzzes annotation values on fixed Ingresses. Properties: no
// panic; every annotation of a served Ingress gets exactly one fate, with a
// reason; no parsed setting holds a control character or a value longer
// than any annotation may be (what reaches a generated header or path must
// not inject a header line); building again decides the same.
func FuzzBuild(f *testing.F) {
	all := ^uint64(0)
	f.Add(all, "", "true", "/", "https://example.com/x")
	f.Add(all, "nonsense", "false", "308", "X-Canary")
	f.Add(uint64(0x5555555555555555), "configuration-snippet", "true", "*", "GET, POST")
	f.Add(uint64(0xaaaaaaaaaaaaaaaa), "", "shop.example.com\r\nX-Evil: 1", "/api\n", "99999999999999999999")
	f.Add(uint64(0xffffffff00000000), "", "always", "(unclosed", "HTTPS")
	f.Add(uint64(0x00000000ffffffff), "proxy-read-timeout", "https://example.com:99999999/", "https://a.example.com, http://b.example.com:8080", "-1")
	f.Add(uint64(1<<40|1<<42), "", "DENY\r\nX-Evil: 1", "a\nb", "X Bad")
	f.Add(uint64(1<<16), "", "https://example.com:99999999/", "", "")
	f.Add(all, "", "https://new.example.com$request_uri", "http://h.example.com:8080${request_uri}", "https://$host/x$")
	f.Add(all, "", "https://a.example.com/p$request_uri", "${", "$uri$is_args$args")
	f.Fuzz(func(t *testing.T, selector uint64, extra, v1, v2, v3 string) {
		text := fuzzIngresses(selector, extra, [3]string{v1, v2, v3})
		build := func() (*Model, []*load.Object) {
			objs, err := load.ReadStream(strings.NewReader(text), "fuzz.yaml")
			if err != nil {
				return nil, nil // an extra key the reader refuses (say, a duplicate)
			}
			m, _ := Build(objs, opts)
			return m, objs
		}
		m, objs := build()
		if m == nil {
			return
		}
		for _, ing := range m.Ingresses {
			if !ing.Served {
				continue
			}
			got := m.Annotations(ing)
			if len(got) != len(ing.Spec.Annotations) {
				t.Errorf("%s: %d annotations, %d fates", ing.Name, len(ing.Spec.Annotations), len(got))
			}
			seen := map[string]bool{}
			for _, a := range got {
				if _, ok := ing.Spec.Annotations[a.Key]; !ok || seen[a.Key] {
					t.Errorf("%s: fate for %q, which is not an annotation or has two fates", ing.Name, a.Key)
				}
				seen[a.Key] = true
				if a.Fate < Converted || a.Fate > Ignored || a.Reason == "" {
					t.Errorf("%s: %s has fate %d with reason %q", ing.Name, a.Key, a.Fate, a.Reason)
				}
			}
			checkSettings(t, ing)
		}
		if len(objs) != 3 {
			t.Fatalf("read %d objects from the fixed stream", len(objs))
		}
		// Map iteration order varies between runs, so a decision that
		// depends on it shows in some of them.
		first := fates(m)
		for range 10 {
			if again, _ := build(); !reflect.DeepEqual(fates(again), first) {
				t.Fatalf("a second Build decides differently:\n%s\n---\n%s", strings.Join(first, "\n"), strings.Join(fates(again), "\n"))
			}
		}
	})
}

// checkSettings checks that no parsed setting can inject anything: no
// control characters, no value longer than safe() allows, header names
// valid.
func checkSettings(t *testing.T, ing *Ingress) {
	t.Helper()
	s := ing.Settings
	values := map[string]string{
		"rewrite-target": s.RewriteTarget, "x-forwarded-prefix": s.XForwardedPrefix,
		"upstream-vhost": s.UpstreamVhost, "app-root": s.AppRoot,
		"proxy-ssl-name": s.BackendTLS.Name, "proxy-ssl-secret": s.BackendTLS.SecretNamespace + "/" + s.BackendTLS.Secret,
	}
	if r := s.Redirect; r != nil {
		values["redirect host"], values["redirect path"], values["redirect scheme"] = r.Host, r.Path, r.Scheme
		if r.Port < 0 || r.Port > 65535 {
			t.Errorf("%s: redirect port %d", ing.Name, r.Port)
		}
	}
	if c := s.CORS; c != nil {
		for _, l := range [][]string{c.AllowOrigins, c.AllowMethods, c.AllowHeaders, c.ExposeHeaders} {
			for i, v := range l {
				values[fmt.Sprintf("cors %d", i)] = v
			}
		}
	}
	if c := s.Canary; c != nil {
		values["canary header"], values["canary header value"], values["canary pattern"], values["canary cookie"] = c.Header, c.HeaderValue, c.HeaderPattern, c.Cookie
		if c.Weight < 0 || c.Weight > c.Total {
			t.Errorf("%s: canary weight %d of %d", ing.Name, c.Weight, c.Total)
		}
	}
	for k, v := range s.ResponseHeaders {
		if len(validation.IsHTTPHeaderName(k)) > 0 {
			t.Errorf("%s: response header name %q", ing.Name, k)
		}
		values["response header "+k] = v
	}
	for what, v := range values {
		if len(v) > 4096 {
			t.Errorf("%s: %s is %d bytes long", ing.Name, what, len(v))
		}
		if strings.ContainsFunc(v, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			t.Errorf("%s: %s %q holds a control character", ing.Name, what, v)
		}
	}
}
