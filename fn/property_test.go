package fn

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/routeshift/routeshift/internal/annotations"
	"github.com/routeshift/routeshift/internal/finding"
	"github.com/routeshift/routeshift/internal/golden"
	"github.com/routeshift/routeshift/internal/load"
)

// Properties of the conversion over generated inputs: random but valid
// manifests (Ingresses with random hosts, paths, path types, TLS, canaries
// and a random subset of the annotation catalogue with plausible values,
// their Services, and unrelated objects), converted under a few
// configurations. The generator is seeded, so every run checks the same
// inputs and a failure names the seed that reproduces it.

const propertyInputs = 200

func TestProperties(t *testing.T) {
	var ingresses, converted, accounted int
	for seed := uint64(1); seed <= propertyInputs; seed++ {
		g := newGen(seed)
		input := g.stream()
		cfg := propertyConfigs[seed%uint64(len(propertyConfigs))]
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			spec := specFrom(t, cfg)
			first, ok := convertStreamWith(t, input, spec)
			if !ok {
				return
			}
			if first.readErr != nil {
				t.Fatalf("the generator wrote an unreadable stream: %v\n%s", first.readErr, input)
			}

			// Deterministic bytes and results.
			again, _ := convertStreamWith(t, input, spec)
			if !bytes.Equal(again.written, first.written) {
				t.Errorf("a second run writes different bytes:\n%s", golden.Diff(first.written, again.written))
			}
			if a, b := renderFindings(first.findings), renderFindings(again.findings); a != b {
				t.Errorf("a second run gives different results:\n%s", golden.Diff([]byte(a), []byte(b)))
			}
			// Idempotent: the output converted again is the output.
			if next, ok := convertStreamWith(t, first.written, spec); ok && !bytes.Equal(next.written, first.written) {
				t.Errorf("converting the output again changes it:\n%s", golden.Diff(first.written, next.written))
			}
			// Every object but converted Ingresses (in remove mode) is
			// in the output, byte for byte; the rest is generated.
			kept, rest := withoutRemoved(first, spec)
			whole := input
			if len(kept) < len(first.in) {
				whole = nil
			}
			generated := checkPassThrough(t, kept, rest, whole)
			// Every emitted object is valid, and none was left out as
			// invalid.
			validateSample(t, generated)
			checkNoSelfCheckFailure(t, first.findings)
			// Every annotation of a converted Ingress is named by one
			// of its results (the info result lists those converted
			// and those without effect; the others have their own).
			n, c, a := checkAccounting(t, first)
			ingresses, converted, accounted = ingresses+n, converted+c, accounted+a
			if t.Failed() {
				t.Logf("input (seed %d, config %q):\n%s", seed, cfg, input)
			}
		})
	}
	t.Logf("%d Ingresses, %d converted, %d annotations accounted for", ingresses, converted, accounted)
	// The generator must produce inputs that mostly convert, or the
	// properties above hold vacuously.
	if converted < ingresses*6/10 || accounted < 1000 {
		t.Errorf("%d of %d generated Ingresses converted, with %d annotations accounted for; the generator makes too many broken inputs", converted, ingresses, accounted)
	}
}

// propertyConfigs are the configurations the inputs are converted with,
// one per seed in turn.
var propertyConfigs = []string{
	"", // the defaults
	// Unsafe annotations are warnings here: with remove, an Ingress
	// whose conversion has an error result must stay, which
	// TestRemoveKeepsIngressesWithErrors checks on its own.
	`spec:
  ingress: remove
  unsafeAnnotations: warning
  gateways:
  - {name: public, namespace: gateway-system, create: true, gatewayClassName: eg, hosts: ["*.example.com"]}
  - {name: rest, namespace: gateway-system, create: true, gatewayClassName: eg}`,
	`spec:
  includeUnclassed: false
  gateways:
  - {name: shared, namespace: infra, sectionNames: {http: web, https: websecure, tls: passthrough}}`,
}

func specFrom(t *testing.T, cfg string) Spec {
	t.Helper()
	if cfg == "" {
		spec, err := ParseConfig(nil)
		if err != nil {
			t.Fatal(err)
		}
		return spec
	}
	objs, err := load.ReadStream(strings.NewReader("apiVersion: routeshift.dev/v1alpha1\nkind: IngressToGateway\nmetadata: {name: p}\n"+cfg+"\n"), "config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	spec, err := ParseConfig(objs[0])
	if err != nil {
		t.Fatal(err)
	}
	return spec
}

// convertStreamWith is convertStream with a given configuration.
func convertStreamWith(t *testing.T, input []byte, spec Spec) (r streamRun, ok bool) {
	t.Helper()
	if r.in, r.readErr = load.ReadStream(bytes.NewReader(input), "input.yaml"); r.readErr != nil {
		return r, true
	}
	r.out, r.findings, r.sum = Convert(r.in, spec, false)
	var buf bytes.Buffer
	if err := load.WriteStream(&buf, r.out); err != nil {
		t.Errorf("writing the output: %v", err)
		return r, false
	}
	r.written = buf.Bytes()
	return r, true
}

// withoutRemoved returns the input objects that must be in the output and
// the output without the input objects that need not be: in remove mode,
// converted Ingresses with no error result go.
func withoutRemoved(r streamRun, spec Spec) (kept, rest []*load.Object) {
	removable := map[*load.Object]bool{}
	if spec.Ingress == "remove" {
		failed := r.findings.Failed()
		for _, f := range r.findings {
			if o := f.Object; o != nil && o.Kind() == "Ingress" && strings.HasPrefix(f.Message, "converted") && !failed[o] {
				removable[o] = true
			}
		}
	}
	isInput := map[*load.Object]bool{}
	for _, o := range r.in {
		isInput[o] = true
		if !removable[o] {
			kept = append(kept, o)
		}
	}
	for _, o := range r.out {
		if !removable[o] {
			rest = append(rest, o)
		}
	}
	return kept, rest
}

// checkAccounting checks that every Ingress has a result, and every
// annotation of a converted Ingress is named by one of its results. It
// returns how many Ingresses there were, were converted, and annotations
// it checked.
func checkAccounting(t *testing.T, r streamRun) (ingresses, converted, annotationsChecked int) {
	t.Helper()
	about := map[*load.Object][]finding.Finding{}
	for _, f := range r.findings {
		about[f.Object] = append(about[f.Object], f)
	}
	for _, o := range r.in {
		if o.Kind() != "Ingress" {
			continue
		}
		ingresses++
		results := about[o]
		if len(results) == 0 {
			t.Errorf("%s has no result", o.Ref())
			continue
		}
		isConverted := false
		for _, f := range results {
			if f.Severity == finding.Info && (strings.HasPrefix(f.Message, "converted") || strings.HasPrefix(f.Message, "canary Ingress: its backend")) {
				isConverted = true
			}
		}
		if !isConverted {
			continue
		}
		converted++
		ann := load.Lookup(o.Node, "metadata", "annotations")
		if ann == nil {
			continue
		}
		for i := 0; i+1 < len(ann.Content); i += 2 {
			key := ann.Content[i].Value
			annotationsChecked++
			named := false
			for _, f := range results {
				if strings.Contains(f.Message, key) || f.Field == "metadata.annotations."+key {
					named = true
					break
				}
			}
			if !named {
				t.Errorf("%s: annotation %s is in no result", o.Ref(), key)
			}
		}
	}
	return ingresses, converted, annotationsChecked
}

// inputGen writes random manifests from a seed.
type inputGen struct {
	r *rand.Rand
	b bytes.Buffer
	// services are the Services written so far, by namespace/name, so
	// that named ports resolve; ingresses are name, namespace, host and
	// path of Ingresses written, for canaries to point at.
	services  map[string]bool
	ingresses []genIngress
	catalogue []annotations.Entry
}

type genIngress struct{ name, ns, host, path, pathType, service string }

func newGen(seed uint64) *inputGen {
	return &inputGen{r: rand.New(rand.NewPCG(seed, 0x5eed)), services: map[string]bool{}, catalogue: annotations.All()}
}

func (g *inputGen) pick(from ...string) string { return from[g.r.IntN(len(from))] }

var (
	genNamespaces = []string{"shop", "shop", "web", "payments"}
	genHosts      = []string{"shop.example.com", "api.example.com", "www.example.com", "example.com", "*.example.com", "static.example.org", ""}
	genPaths      = []string{"/", "/api", "/api/v1", "/static/", "/images", "/.well-known/acme-challenge/token", "/login", "/a-b_c.d"}
)

func (g *inputGen) host() string {
	if g.r.IntN(4) == 0 {
		return fmt.Sprintf("h%d.example.com", g.r.IntN(20))
	}
	return g.pick(genHosts...)
}

func (g *inputGen) path() string {
	if g.r.IntN(3) == 0 {
		return fmt.Sprintf("/p%d/q%d", g.r.IntN(10), g.r.IntN(10))
	}
	return g.pick(genPaths...)
}

// stream writes a whole input: unrelated objects, Ingresses, and the
// Services and ConfigMaps they name.
func (g *inputGen) stream() []byte {
	g.unrelated()
	for n := 1 + g.r.IntN(5); n > 0; n-- {
		g.ingress()
		if g.r.IntN(4) == 0 {
			g.unrelated()
		}
	}
	return g.b.Bytes()
}

func (g *inputGen) doc(format string, args ...any) {
	if g.b.Len() > 0 {
		g.b.WriteString("---\n")
	}
	fmt.Fprintf(&g.b, format, args...)
}

// unrelated writes an object the conversion only passes through, in one of
// several styles (comments, flow style, block scalars, quoting).
func (g *inputGen) unrelated() {
	switch g.r.IntN(5) {
	case 0:
		g.doc("# a comment the output keeps\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d%d\n  namespace: %s\nspec:\n  replicas: %d\n  template: {spec: {containers: [{name: app, image: 'example.com/app:1'}]}}\n",
			g.r.IntN(100), g.pick(genNamespaces...), g.r.IntN(5))
	case 1:
		g.doc("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c%d, namespace: %s}\ndata:\n  script: |\n    #!/bin/sh\n    echo \"hello\"\n  empty: \"\"\n", g.r.IntN(100), g.pick(genNamespaces...))
	case 2:
		g.doc("apiVersion: v1\nkind: Secret\nmetadata:\n  name: s%d   # trailing comment\n  namespace: %s\ntype: kubernetes.io/tls\ndata: {tls.crt: '', tls.key: ''}\n", g.r.IntN(100), g.pick(genNamespaces...))
	case 3:
		g.doc("apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w%d\nspec:\n  'quoted key': \"value\"\n  list:\n    - 1\n    - two\n", g.r.IntN(100))
	default:
		g.doc("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: %s}\nspec: {podSelector: {}}\n", g.pick(genNamespaces...))
	}
}

// service writes the Service for a backend unless it exists, with a
// named port "http" (80) and "grpc" (9000).
func (g *inputGen) service(ns, name string) {
	if g.services[ns+"/"+name] {
		return
	}
	g.services[ns+"/"+name] = true
	g.doc("apiVersion: v1\nkind: Service\nmetadata:\n  name: %s\n  namespace: %s\nspec:\n  ports:\n  - name: http\n    port: 80\n  - name: grpc\n    port: 9000\n", name, ns)
}

// backend writes a backend reference (service by number or by name).
func (g *inputGen) backend(ns, svc string) string {
	if g.r.IntN(2) == 0 {
		g.service(ns, svc)
		return fmt.Sprintf("{service: {name: %s, port: {name: http}}}", svc)
	}
	return fmt.Sprintf("{service: {name: %s, port: {number: %d}}}", svc, 80+g.r.IntN(3)*8000)
}

func (g *inputGen) ingress() {
	ns := g.pick(genNamespaces...)
	name := fmt.Sprintf("ing%d", len(g.ingresses))
	var rules strings.Builder
	var first genIngress
	canaryOf := -1
	if len(g.ingresses) > 0 && g.r.IntN(4) == 0 {
		canaryOf = g.r.IntN(len(g.ingresses))
	}
	if canaryOf >= 0 {
		// A canary of an earlier Ingress: same namespace, host, path
		// and type, another Service.
		p := g.ingresses[canaryOf]
		ns, first = p.ns, genIngress{name, p.ns, p.host, p.path, p.pathType, p.service + "-canary"}
		hostLine := ""
		if p.host != "" {
			hostLine = fmt.Sprintf("host: %q\n    ", p.host)
		}
		fmt.Fprintf(&rules, "  - %shttp:\n      paths:\n      - path: %s\n        pathType: %s\n        backend: %s\n", hostLine, p.path, p.pathType, g.backend(ns, first.service))
	} else {
		for r := 1 + g.r.IntN(3); r > 0; r-- {
			host := g.host()
			if host != "" {
				fmt.Fprintf(&rules, "  - host: %q\n    http:\n      paths:\n", host)
			} else {
				rules.WriteString("  - http:\n      paths:\n")
			}
			for p := 1 + g.r.IntN(4); p > 0; p-- {
				path, typ := g.path(), g.pick("Prefix", "Exact", "ImplementationSpecific")
				svc := fmt.Sprintf("svc%d", g.r.IntN(6))
				fmt.Fprintf(&rules, "      - path: %s\n        pathType: %s\n        backend: %s\n", path, typ, g.backend(ns, svc))
				if first.name == "" {
					first = genIngress{name, ns, host, path, typ, svc}
				}
			}
		}
	}
	g.ingresses = append(g.ingresses, first)

	var meta strings.Builder
	fmt.Fprintf(&meta, "  name: %s\n  namespace: %s\n", name, ns)
	if g.r.IntN(3) == 0 {
		fmt.Fprintf(&meta, "  creationTimestamp: \"2024-0%d-01T00:00:00Z\"\n", 1+g.r.IntN(9))
	}
	ann := g.annotations(ns, canaryOf >= 0)
	if len(ann) > 0 {
		meta.WriteString("  annotations:\n")
		for _, kv := range ann {
			fmt.Fprintf(&meta, "    %s: %q\n", kv[0], kv[1])
		}
	}
	var spec strings.Builder
	switch g.r.IntN(10) {
	case 0: // no class: converted as the default class, or skipped
	case 1:
		spec.WriteString("  ingressClassName: other\n")
	default:
		spec.WriteString("  ingressClassName: nginx\n")
	}
	if canaryOf < 0 && g.r.IntN(3) == 0 && first.host != "" && !strings.HasPrefix(first.host, "*") {
		fmt.Fprintf(&spec, "  tls:\n  - hosts: [%q]\n    secretName: %s-tls\n", first.host, name)
	}
	if g.r.IntN(6) == 0 {
		fmt.Fprintf(&spec, "  defaultBackend: %s\n", g.backend(ns, "fallback"))
	}
	g.doc("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n%sspec:\n%s  rules:\n%s", meta.String(), spec.String(), rules.String())
}

// annotations picks a random subset of the catalogue with plausible
// values, and a few annotations of other tools and controllers.
func (g *inputGen) annotations(ns string, canary bool) [][2]string {
	var out [][2]string
	seen := map[string]bool{}
	add := func(k, v string) {
		if !seen[k] {
			seen[k] = true
			out = append(out, [2]string{k, v})
		}
	}
	if canary {
		add(annotations.DefaultPrefix+"/canary", "true")
	}
	for n := g.r.IntN(6); n > 0; n-- {
		e := g.catalogue[g.r.IntN(len(g.catalogue))]
		if e.Name == "canary" && !canary {
			continue // a canary without primary is tested by the canary cases
		}
		v := g.value(e.Name, ns)
		if e.Name == "custom-headers" {
			g.doc("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s, namespace: %s}\ndata:\n  X-Frame-Options: DENY\n  X-Team: shop\n", v, ns)
		}
		add(annotations.DefaultPrefix+"/"+e.Name, v)
	}
	if g.r.IntN(4) == 0 {
		add(g.pick("cert-manager.io/cluster-issuer", "external-dns.alpha.kubernetes.io/hostname", "alb.ingress.kubernetes.io/scheme", "kubernetes.io/tls-acme"), "value")
	}
	return out
}

// value returns a plausible value for an annotation: what its
// documentation shows, or a value of the right shape.
func (g *inputGen) value(name, ns string) string {
	switch name {
	case "rewrite-target":
		return g.pick("/", "/$2", "/new")
	case "x-forwarded-prefix", "app-root":
		return g.pick("/app", "/prefix")
	case "upstream-vhost", "proxy-ssl-name", "server-alias", "mirror-host":
		return g.pick("internal.example.com", "backend.svc.cluster.local")
	case "permanent-redirect", "temporal-redirect", "mirror-target", "auth-url", "auth-signin":
		return g.pick("https://example.com/new", "http://other.example.org:8080/x")
	case "permanent-redirect-code":
		return g.pick("301", "308", "302")
	case "temporal-redirect-code":
		return g.pick("302", "307")
	case "cors-allow-origin":
		return g.pick("*", "https://a.example.com, https://b.example.com")
	case "cors-allow-methods":
		return g.pick("GET, POST", "PUT,DELETE,OPTIONS")
	case "cors-allow-headers", "cors-expose-headers":
		return g.pick("X-Custom, Authorization", "X-Total-Count")
	case "cors-max-age", "proxy-read-timeout", "proxy-send-timeout", "proxy-connect-timeout", "limit-rps", "limit-rpm", "limit-connections":
		return g.pick("60", "600", "5")
	case "custom-headers":
		return "headers-" + ns
	case "backend-protocol":
		return g.pick("HTTP", "HTTPS", "GRPC", "GRPCS")
	case "proxy-ssl-verify":
		return g.pick("on", "off")
	case "proxy-ssl-secret", "auth-secret", "auth-tls-secret":
		return ns + "/ca-secret"
	case "canary-weight":
		return fmt.Sprint(g.r.IntN(101))
	case "canary-weight-total":
		return g.pick("100", "1000")
	case "canary-by-header":
		return "X-Canary"
	case "canary-by-header-value":
		return g.pick("always", "yes")
	case "canary-by-header-pattern":
		return "^v[0-9]+$"
	case "canary-by-cookie", "session-cookie-name", "affinity":
		return g.pick("canary", "cookie")
	case "proxy-body-size", "client-body-buffer-size", "proxy-buffer-size":
		return g.pick("8m", "1k")
	case "whitelist-source-range", "allowlist-source-range", "denylist-source-range", "limit-whitelist", "limit-allowlist":
		return "10.0.0.0/8, 192.168.0.0/16"
	}
	if strings.HasSuffix(name, "-snippet") {
		return g.pick("more_set_headers \"X-From: nginx\";", "proxy_pass http://elsewhere;")
	}
	if strings.HasPrefix(name, "enable-") || strings.HasSuffix(name, "-redirect") || strings.HasSuffix(name, "-regex") || strings.HasPrefix(name, "ssl-") || strings.HasSuffix(name, "-slash") {
		return g.pick("true", "false")
	}
	return g.pick("on", "true", "1", "value")
}
