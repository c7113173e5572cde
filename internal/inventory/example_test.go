package inventory_test

import (
	"fmt"
	"log"
	"strings"

	"github.com/routeshift/routeshift/internal/inventory"
	"github.com/routeshift/routeshift/internal/load"
)

// Two teams share www.example.com; one of them needs a rate limit. On
// standard Gateway API the limit is lost, on Envoy Gateway a policy
// carries it: the same class, but only one carries everything.
func Example() {
	objs, err := load.ReadStream(strings.NewReader(`
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: site}
spec:
  ingressClassName: nginx
  rules:
  - host: www.example.com
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: search
  namespace: search
  annotations: {nginx.ingress.kubernetes.io/limit-rps: "20"}
spec:
  ingressClassName: nginx
  rules:
  - host: www.example.com
    http: {paths: [{path: /search, pathType: Prefix, backend: {service: {name: search, port: {number: 80}}}}]}
`), "site.yaml")
	if err != nil {
		log.Fatal(err)
	}
	rep, err := inventory.Build(objs, inventory.Options{ClassNames: []string{"nginx"},
		Implementations: []string{"standard", "envoy-gateway"}})
	if err != nil {
		log.Fatal(err)
	}
	for _, in := range rep.Ingresses {
		for _, c := range in.Classifications {
			fmt.Printf("%s on %s: %s", in.Ref(), c.Implementation, c.Class)
			for _, r := range c.Reasons {
				fmt.Printf(" (%s)", r.Message)
			}
			fmt.Println()
		}
	}
	for _, s := range rep.Summary {
		fmt.Printf("%s carries %d of %d\n", s.Implementation, s.Carried, s.Total())
	}
	for _, w := range rep.Plans[0].Waves {
		fmt.Printf("wave %d (%s): %v\n", w.Number, w.Kind, w.Groups[0].Ingresses)
	}
	// Output:
	// search/search on standard: complex (unsupported on standard: limit-rps)
	// search/search on envoy-gateway: complex (need envoy-gateway policies: limit-rps)
	// site/web on standard: simple
	// site/web on envoy-gateway: simple
	// standard carries 1 of 2
	// envoy-gateway carries 2 of 2
	// wave 1 (complex): [search/search site/web]
}
