package status_test

import (
	"fmt"
	"log"
	"os"
	"strings"

	"github.com/routeshift/routeshift/internal/load"
	"github.com/routeshift/routeshift/internal/status"
)

// A route in namespace shop on a Gateway whose listener admits routes from
// the Gateway's own namespace only: a controller would not accept it.
func Example() {
	objs, err := load.ReadStream(strings.NewReader(`
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge, namespace: infra}
spec:
  gatewayClassName: eg
  listeners:
  - {name: http, port: 80, protocol: HTTP}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: shop}
spec:
  parentRefs: [{name: edge, namespace: infra}]
  rules:
  - backendRefs: [{name: web, port: 80}]
`), "shop.yaml")
	if err != nil {
		log.Fatal(err)
	}
	// The web Service is deployed by another repository.
	declared := status.Declared{Services: []string{"shop/web"}}
	rep := status.Run(objs, declared)
	if err := rep.WriteTable(os.Stdout); err != nil {
		log.Fatal(err)
	}
	fmt.Println("failed:", rep.Failed(false))
	// Output:
	// GATEWAY / LISTENER  PROTOCOL  PORT  HOSTNAME  ACCEPTED  RESOLVEDREFS  PROGRAMMED  ROUTES
	// infra/edge                                    True      True          Unknown     -
	//   http              HTTP      80    *         True      True          Unknown     0
	//
	// ROUTE               PARENT              ACCEPTED                     RESOLVEDREFS  LISTENERS
	// HTTPRoute shop/web  Gateway infra/edge  False NotAllowedByListeners  True          -
	//
	// Conditions to look at:
	//   HTTPRoute shop/web -> Gateway infra/edge (shop.yaml[1])
	//     Accepted False NotAllowedByListeners: listener http: allows routes from namespace infra only (from: Same), not shop
	//
	// 1 Gateway, 1 listener, 1 route parent; Accepted/ResolvedRefs: 1 False, 0 Unknown; 0 warnings, 0 errors
	// failed: true
}
