package check_test

import (
	"os"

	"github.com/routeshift/routeshift/internal/proof/check"
	"github.com/routeshift/routeshift/internal/proof/internal/kube"
)

// A migration that forgot the /api path: the report names the requests
// that now go elsewhere.
func Example() {
	before, _ := kube.ReadStream([]byte(`
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  ingressClassName: nginx
  rules:
  - host: shop.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
      - {path: /api, pathType: Prefix, backend: {service: {name: api, port: {number: 80}}}}
`), "before.yaml")
	after, _ := kube.ReadStream([]byte(`
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: public, namespace: shop}
spec:
  gatewayClassName: eg
  listeners: [{name: http, port: 80, protocol: HTTP}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: shop}
spec:
  parentRefs: [{name: public}]
  hostnames: [shop.example.com]
  rules:
  - backendRefs: [{name: web, port: 80}]
`), "after.yaml")
	rep, err := check.Run(check.Tree{Name: "before.yaml", Objects: before}, check.Tree{Name: "after.yaml", Objects: after}, check.Options{})
	if err != nil {
		panic(err)
	}
	rep.WriteText(os.Stdout)
	// Output:
	// before.yaml (Ingress) -> after.yaml (Gateway API): 22 requests, 3 differ, 0 unverifiable
	//
	// causes:
	//   1. backends shop/api:80 → shop/web:80: 3 requests on 1 host
	//      e.g. GET http://shop.example.com/api
	//        before: forward to shop/api:80, path /api, host shop.example.com [Ingress shop/web: Prefix /api]
	//        after:  forward to shop/web:80, path /api, host shop.example.com [HTTPRoute shop/web rule 0]
	//
	// shop.example.com (16 requests: 3 differ, 0 unverifiable)
	//   GET http://shop.example.com/api (cause 1)
	//     before: forward to shop/api:80, path /api, host shop.example.com [Ingress shop/web: Prefix /api]
	//     after:  forward to shop/web:80, path /api, host shop.example.com [HTTPRoute shop/web rule 0]
	//   GET http://shop.example.com/api/ (cause 1)
	//     before: forward to shop/api:80, path /api/, host shop.example.com [Ingress shop/web: Prefix /api]
	//     after:  forward to shop/web:80, path /api/, host shop.example.com [HTTPRoute shop/web rule 0]
	//   GET http://shop.example.com/api/probe (cause 1)
	//     before: forward to shop/api:80, path /api/probe, host shop.example.com [Ingress shop/web: Prefix /api]
	//     after:  forward to shop/web:80, path /api/probe, host shop.example.com [HTTPRoute shop/web rule 0]
	//
	// routing differs: 3 requests on 1 host (22 requests compared)
}
