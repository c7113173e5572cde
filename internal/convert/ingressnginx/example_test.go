package ingressnginx_test

import (
	"fmt"
	"strings"

	"github.com/routeshift/routeshift/internal/convert/ingressnginx"
	"github.com/routeshift/routeshift/internal/load"
)

// Two Ingresses define the same host; the model says what ingress-nginx
// serves: one server, the implicit "/" from the Ingress that created the
// host, and the duplicate path kept by the older Ingress.
func ExampleBuild() {
	objs, _ := load.ReadStream(strings.NewReader(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: new, namespace: shop, creationTimestamp: "2025-01-01T00:00:00Z"}
spec:
  ingressClassName: nginx
  rules:
  - host: shop.example.com
    http:
      paths:
      - {path: /api, pathType: Prefix, backend: {service: {name: api-v2, port: {number: 80}}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: old, namespace: shop, creationTimestamp: "2020-01-01T00:00:00Z"}
spec:
  ingressClassName: nginx
  rules:
  - host: shop.example.com
    http:
      paths:
      - {path: /api, pathType: ImplementationSpecific, backend: {service: {name: api-v1, port: {number: 80}}}}
`), "shop.yaml")
	model, findings := ingressnginx.Build(objs, ingressnginx.Options{ClassNames: []string{"nginx"}, IncludeUnclassed: true})
	for _, s := range model.Servers {
		for _, l := range s.Locations {
			backend := "404"
			if l.Backend != nil {
				backend = l.Backend.Service
			}
			fmt.Printf("%s %s %s -> %s (from %s)\n", s.Host, l.PathType, l.Path, backend, l.Ingress.Name)
		}
	}
	fmt.Println(findings[0].Message)
	// Output:
	// shop.example.com Prefix / -> 404 (from old)
	// shop.example.com Prefix /api -> api-v1 (from old)
	// path /api (Prefix) on host "shop.example.com" is also defined by the older Ingress shop/old, which ingress-nginx serves; this definition is ignored
}
