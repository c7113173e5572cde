package gatewayapi_test

import (
	"fmt"
	"strings"

	"github.com/routeshift/routeshift/internal/convert/gatewayapi"
	"github.com/routeshift/routeshift/internal/convert/ingressnginx"
	"github.com/routeshift/routeshift/internal/load"
)

// A TLS host converted for a created Gateway: an HTTPS listener with the
// certificate, a grant for the Secret in the Ingress's namespace, the
// routes on HTTPS and, because ingress-nginx redirects plain HTTP with 308,
// a second route on the HTTP listener that redirects.
func ExampleEmit() {
	objs, _ := load.ReadStream(strings.NewReader(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  ingressClassName: nginx
  tls:
  - {hosts: [shop.example.com], secretName: shop-tls}
  rules:
  - host: shop.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
`), "shop.yaml")
	model, _ := ingressnginx.Build(objs, ingressnginx.Options{ClassNames: []string{"nginx"}})
	targets := []*gatewayapi.Target{{Name: "public", Namespace: "gateway-system", Create: true, GatewayClassName: "eg"}}
	res, _ := gatewayapi.Emit(model, targets, objs, nil)
	for _, o := range res.Objects {
		fmt.Println(o.Kind, o.Namespace+"/"+o.Name)
	}
	// Output:
	// HTTPRoute shop/web-shop-example-com
	// HTTPRoute shop/web-shop-example-com-http
	// Gateway gateway-system/public
	// ReferenceGrant shop/public-gateway-system-certificates
}
