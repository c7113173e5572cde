package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEveryCommandReadsAlike gives every command the same manifests with
// an annotation value the API server does not read as a string (an
// unquoted number, an octal number, on, yes): each refuses the object,
// names it and its file, and says why in the same words. Quoted, each
// takes it.
func TestEveryCommandReadsAlike(t *testing.T) {
	for _, value := range []string{"10", "017", "on", "yes"} {
		dir := t.TempDir()
		write := func(name, text string) string {
			p := filepath.Join(dir, name)
			if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			return p
		}
		ingress := func(v string) string {
			return `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
  annotations:
    nginx.ingress.kubernetes.io/canary-weight: ` + v + `
spec:
  ingressClassName: nginx
  rules:
  - host: shop.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
`
		}
		gateway := func(v string) string {
			return `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: public, namespace: shop}
spec:
  gatewayClassName: eg
  listeners: [{name: http, port: 80, protocol: HTTP}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: web
  namespace: shop
  annotations:
    example.com/weight: ` + v + `
spec:
  parentRefs: [{name: public}]
  hostnames: [shop.example.com]
  rules: [{backendRefs: [{name: web, port: 80}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {ports: [{port: 80}]}
`
		}
		badIngress, goodIngress := write("bad-ingress.yaml", ingress(value)), write("ingress.yaml", ingress(`"`+value+`"`))
		badGateway, goodGateway := write("bad-gateway.yaml", gateway(value)), write("gateway.yaml", gateway(`"`+value+`"`))
		why := func(key string) string {
			return key + `: value "` + value + `" is not a string (the API server rejects it); quote it`
		}
		ingressWhy, routeWhy := why("metadata.annotations.nginx.ingress.kubernetes.io/canary-weight"), why("metadata.annotations.example.com/weight")
		for _, c := range []struct {
			command   []string
			bad, good string
			want      []string // in stdout or stderr
		}{
			{[]string{"convert"}, badIngress, goodIngress, []string{"shop/web", ingressWhy}},
			{[]string{"inventory"}, badIngress, goodIngress, []string{"shop/web", "bad-ingress.yaml", ingressWhy}},
			{[]string{"diff", "INPUT", goodGateway}, badIngress, goodIngress, []string{"Ingress shop/web", "bad-ingress.yaml", ingressWhy}},
			{[]string{"diff", goodIngress, "INPUT"}, badGateway, goodGateway, []string{"HTTPRoute shop/web", "bad-gateway.yaml", routeWhy}},
			{[]string{"check"}, badGateway, goodGateway, []string{"HTTPRoute shop/web", "bad-gateway.yaml", routeWhy}},
		} {
			for _, input := range []string{c.bad, c.good} {
				args := append([]string(nil), c.command...)
				if args[len(args)-1] != "INPUT" && (len(args) < 2 || args[1] != "INPUT") {
					args = append(args, input)
				}
				for i, a := range args {
					if a == "INPUT" {
						args[i] = input
					}
				}
				var out, errw bytes.Buffer
				code := run(args, strings.NewReader(""), &out, &errw)
				all := out.String() + errw.String()
				if input == c.good {
					if strings.Contains(all, "is not a string") {
						t.Errorf("%s %v: quoted %q refused:\n%s", value, c.command, value, all)
					}
					continue
				}
				// An inventory reports a blocked Ingress and exits 0: it is a
				// plan, not a gate.
				if code == 0 && c.command[0] != "inventory" {
					t.Errorf("%s %v: exit 0 for the unquoted value", value, c.command)
				}
				for _, w := range c.want {
					if !strings.Contains(all, w) {
						t.Errorf("%s %v: output does not say %q:\n%s", value, c.command, w, all)
					}
				}
			}
		}
	}
}

// TestNELInARegexPath puts U+0085 (NEL, which YAML readers turn into a
// line break or a space) into a regex path: in an annotation every command
// refuses the Ingress in the same words; in the Ingress's path, convert
// writes it escaped, so the output reads back with the same path.
func TestNELInARegexPath(t *testing.T) {
	dir := t.TempDir()
	ingress := func(annotation, path string) string {
		return `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
  annotations:
    nginx.ingress.kubernetes.io/use-regex: "true"
    nginx.ingress.kubernetes.io/rewrite-target: ` + annotation + `
spec:
  ingressClassName: nginx
  rules:
  - host: shop.example.com
    http:
      paths:
      - {path: ` + path + `, pathType: ImplementationSpecific, backend: {service: {name: web, port: {number: 80}}}}
`
	}
	inAnnotation := filepath.Join(dir, "annotation.yaml")
	inPath := filepath.Join(dir, "path.yaml")
	if err := os.WriteFile(inAnnotation, []byte(ingress(`"/a\x85$1"`, `"/api/(.*)"`)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(inPath, []byte(ingress(`/$1`, `"/a\x85b/(.*)"`)), 0o644); err != nil {
		t.Fatal(err)
	}
	const why = "metadata.annotations.nginx.ingress.kubernetes.io/rewrite-target: value holds U+0085"
	for _, args := range [][]string{{"convert", inAnnotation}, {"inventory", inAnnotation}, {"diff", inAnnotation, inAnnotation}} {
		var out, errw bytes.Buffer
		run(args, strings.NewReader(""), &out, &errw)
		if all := out.String() + errw.String(); !strings.Contains(all, why) {
			t.Errorf("%v: output does not say %q:\n%s", args[0], why, all)
		}
	}

	var out, errw bytes.Buffer
	if code := run([]string{"convert", inPath}, strings.NewReader(""), &out, &errw); code != 0 {
		t.Fatalf("convert: exit %d\n%s", code, errw.String())
	}
	if strings.Contains(out.String(), "\u0085") {
		t.Errorf("NEL written raw:\n%s", out.String())
	}
	// The output reads back, with the proof's reader too, and the route
	// keeps the path: diff finds nothing changed.
	outFile := filepath.Join(dir, "out.yaml")
	if err := os.WriteFile(outFile, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	var dout, derr bytes.Buffer
	code := run([]string{"diff", "--format", "json", inPath, outFile}, strings.NewReader(""), &dout, &derr)
	if code != 0 && code != 1 {
		t.Fatalf("diff: exit %d\n%s%s", code, dout.String(), derr.String())
	}
	if !strings.Contains(out.String(), `\u0085b/`) {
		t.Errorf("the regex path is not in the output as written:\n%s", out.String())
	}
}
