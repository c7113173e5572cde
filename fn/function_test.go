package fn

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/routeshift/routeshift/internal/finding"
	"github.com/routeshift/routeshift/internal/load"
)

// rlInput is a ResourceList as kustomize and kpt hand it over: items with
// their bookkeeping annotations, a comment, odd formatting in a
// pass-through object, and the function's configuration.
const rlInput = `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- apiVersion: v1
  kind: Service
  metadata:
    name: web   # keep this comment
    namespace: shop
    annotations:
      config.kubernetes.io/index: '0'
      internal.config.kubernetes.io/index: '0'
      internal.config.kubernetes.io/path: 'app/service.yaml'
      kustomize.config.k8s.io/id: |
        kind: Service
        name: web
  spec: {ports: [{name: http, port: 80}]}
- apiVersion: networking.k8s.io/v1
  kind: Ingress
  metadata:
    name: web
    namespace: shop
    annotations:
      config.kubernetes.io/index: '1'
      internal.config.kubernetes.io/index: '1'
      internal.config.kubernetes.io/path: 'app/ingress.yaml'
      nginx.ingress.kubernetes.io/proxy-body-size: 8m
  spec:
    ingressClassName: nginx
    rules:
    - host: shop.example.com
      http:
        paths:
        - path: /
          pathType: Prefix
          backend:
            service:
              name: web
              port:
                name: http
functionConfig:
  apiVersion: routeshift.dev/v1alpha1
  kind: IngressToGateway
  metadata:
    name: migrate
  spec:
    gateways:
    - name: shared
      namespace: infra
      sectionNames: {http: web}
`

func runFunction(t *testing.T, in string) (string, string, int) {
	t.Helper()
	var out, errw bytes.Buffer
	code := Function(strings.NewReader(in), &out, &errw)
	return out.String(), errw.String(), code
}

func TestFunctionResourceList(t *testing.T) {
	out, stderr, code := runFunction(t, rlInput)
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	rl, err := load.ReadResourceList([]byte(out))
	if err != nil {
		t.Fatalf("output is not a ResourceList: %v\n%s", err, out)
	}
	if len(rl.Items) != 3 {
		t.Fatalf("want Service, Ingress and one HTTPRoute, got %d items:\n%s", len(rl.Items), out)
	}
	// Pass-through items are byte-identical, comment and flow style included.
	for _, want := range []string{"    name: web   # keep this comment\n", "  spec: {ports: [{name: http, port: 80}]}\n", "      kustomize.config.k8s.io/id: |\n        kind: Service\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lost %q:\n%s", want, out)
		}
	}
	route := rl.Items[2]
	if route.Kind() != "HTTPRoute" || route.Name() != "web-shop-example-com" {
		t.Fatalf("third item is %s", route.Ref())
	}
	// The route lands in its Ingress's file, after everything in it.
	if got := route.Annotation("internal.config.kubernetes.io/path"); got != "app/ingress.yaml" {
		t.Errorf("path annotation %q, want app/ingress.yaml", got)
	}
	if got := route.Annotation("internal.config.kubernetes.io/index"); got != "2" {
		t.Errorf("index annotation %q, want 2 (after the highest index in the list)", got)
	}
	// The named port was resolved through the Service.
	if !strings.Contains(out, "port: 80") || !strings.Contains(out, "sectionName: web") {
		t.Errorf("route does not use port 80 and section web:\n%s", out)
	}
	// Results carry severity, object, field and file; stderr has the summary.
	for _, want := range []string{"severity: warning", "path: metadata.annotations.nginx.ingress.kubernetes.io/proxy-body-size", "path: app/ingress.yaml"} {
		if !strings.Contains(out, want) {
			t.Errorf("results lack %q:\n%s", want, out)
		}
	}
	if !strings.Contains(stderr, "warning: Ingress shop/web (app/ingress.yaml[1])") || !strings.Contains(stderr, "1 Ingress(es) converted") {
		t.Errorf("stderr summary:\n%s", stderr)
	}

	// Idempotent: the function applied to its own output changes no item.
	again, _, code := runFunction(t, strings.Replace(out, "kind: ResourceList\n", "kind: ResourceList\nfunctionConfig:\n  apiVersion: routeshift.dev/v1alpha1\n  kind: IngressToGateway\n  metadata: {name: migrate}\n  spec:\n    gateways:\n    - name: shared\n      namespace: infra\n      sectionNames: {http: web}\n", 1))
	if code != 0 || itemsOf(again) != itemsOf(out) {
		t.Errorf("second run changed the items:\n%s", again)
	}
}

// itemsOf cuts the items section out of a ResourceList's text.
func itemsOf(rl string) string {
	start := strings.Index(rl, "items:")
	end := strings.Index(rl, "\nresults:")
	if end < 0 {
		end = len(rl)
	}
	return strings.TrimRight(rl[start:end], "\n")
}

func TestFunctionEmpty(t *testing.T) {
	for _, in := range []string{"", "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\n"} {
		out, stderr, code := runFunction(t, in)
		if code != 0 {
			t.Errorf("%q: exit %d: %s", in, code, stderr)
		}
		if !strings.Contains(out, "kind: ResourceList") || !strings.Contains(out, "items: []") {
			t.Errorf("%q: output %q", in, out)
		}
	}
}

func TestFunctionConfigMapConfig(t *testing.T) {
	in := strings.Replace(rlInput, rlInput[strings.Index(rlInput, "functionConfig:"):], `functionConfig:
  apiVersion: v1
  kind: ConfigMap
  metadata: {name: function-input}
  data: {gatewayName: shared, gatewayNamespace: infra, ingress: remove}
`, 1)
	out, stderr, code := runFunction(t, in)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rl, err := load.ReadResourceList([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, it := range rl.Items {
		kinds = append(kinds, it.Kind())
	}
	if strings.Join(kinds, ",") != "Service,HTTPRoute" {
		t.Errorf("ingress: remove should replace the Ingress by its route, got %v", kinds)
	}
}

func TestFunctionBadConfigChangesNothing(t *testing.T) {
	in := strings.Replace(rlInput, "    gateways:\n", "    gatways:\n", 1)
	out, stderr, code := runFunction(t, in)
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	if !strings.Contains(out, `unknown field \"gatways\"`) && !strings.Contains(out, `unknown field "gatways"`) {
		t.Errorf("result does not name the field:\n%s", out)
	}
	if !strings.Contains(stderr, "gatways") {
		t.Errorf("stderr does not name the field: %s", stderr)
	}
	if itemsOf(out) != itemsOf(rlInput[:strings.Index(rlInput, "functionConfig:")]) {
		t.Errorf("items changed:\n%s", out)
	}
}

func TestFunctionMalformed(t *testing.T) {
	for _, in := range []string{"apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- a: [\n", "items: {a: 1}\nkind: ResourceList\n"} {
		_, stderr, code := runFunction(t, in)
		if code != 1 || !strings.Contains(stderr, "routeshift:") {
			t.Errorf("%q: exit %d, stderr %q", in, code, stderr)
		}
	}
}

func TestFunctionIngressError(t *testing.T) {
	in := strings.Replace(rlInput, "                name: http\n", "                name: grpc\n", 1)
	out, stderr, code := runFunction(t, in)
	if code != 1 {
		t.Fatalf("exit %d, want 1 for an unresolvable port", code)
	}
	if !strings.Contains(stderr, `error: Ingress shop/web (app/ingress.yaml[1]) spec.rules[0].http.paths[0].backend.service.port.name: Service shop/web has no port named "grpc"`) {
		t.Errorf("stderr:\n%s", stderr)
	}
	if strings.Contains(out, "kind: HTTPRoute") {
		t.Errorf("a failed Ingress must not be half-converted:\n%s", out)
	}
}

// TestEncodeResultsAsJSONWould: the results written directly are the
// text the kpt SDK's Result values give as JSON, read by load.EncodeJSON:
// every field present or empty, objects from files (index 0 and not) and
// from nowhere, and strings that need quoting, escaping or repair.
func TestEncodeResultsAsJSONWould(t *testing.T) {
	objs, err := load.ReadStream(strings.NewReader(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
---
apiVersion: v1
kind: Service
metadata:
  name: "0123"
---
kind: "yes"
metadata:
  name: "a: b #c"
  namespace: "\u2028x\u00e9"
`), "dir/in put.yaml")
	if err != nil {
		t.Fatal(err)
	}
	empty := load.NewObject(&yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}, load.Source{})
	objs = append(objs, empty, nil)
	texts := []string{"", "plain text", "with: colon", "# hash", "yes", "017", "-lead", "tab\tand\nnewline",
		"quote \" and 'single'", "<html> & co", "bad utf8 \xff\xfe end", "\u0085nel \u2028ls \ufeffbom", "emoji \U0001F600",
		strings.Repeat("long ", 300), "trailing space ", "\x00nul", "ok\u00e9"}
	var findings finding.List
	for i := range 2500 {
		f := finding.Finding{
			Severity: finding.Severity(i % 3),
			Message:  texts[i%len(texts)] + fmt.Sprint(i%7),
			Object:   objs[i%len(objs)],
			Field:    texts[(i/3)%len(texts)],
		}
		if i%11 == 0 {
			f.Message = ""
		}
		findings = append(findings, f)
	}
	got, err := encodeResults(findings)
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(Results(findings))
	if err != nil {
		t.Fatal(err)
	}
	want, err := load.EncodeJSON(data)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := range min(len(g), len(w)) {
			if g[i] != w[i] {
				t.Fatalf("line %d: got %q, want %q", i+1, g[i], w[i])
			}
		}
		t.Fatalf("got %d lines, want %d", len(g), len(w))
	}
	if none, _ := encodeResults(nil); none != nil {
		t.Errorf("no findings: %q, want nil", none)
	}
}
