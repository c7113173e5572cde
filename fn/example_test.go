package fn_test

import (
	"fmt"
	"strings"

	"github.com/routeshift/routeshift/fn"
	"github.com/routeshift/routeshift/internal/load"
)

// Convert an Ingress with the default configuration: the Ingress stays,
// and its HTTPRoute and the Gateway it attaches to follow it.
func ExampleConvert() {
	objs, err := load.ReadStream(strings.NewReader(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
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
              number: 80
`), "shop.yaml")
	if err != nil {
		panic(err)
	}
	spec, _ := fn.ParseConfig(nil)
	out, findings, sum := fn.Convert(objs, spec, false)
	for _, o := range out {
		fmt.Println(o.Kind(), o.Namespace(), o.Name())
	}
	fmt.Println(sum.Converted, "converted;", findings[0].Message)
	// Output:
	// Ingress shop web
	// Gateway gateway-system routeshift
	// HTTPRoute shop web-shop-example-com
	// 1 converted; converted to HTTPRoute web-shop-example-com, Gateway routeshift
}
