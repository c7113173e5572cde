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
