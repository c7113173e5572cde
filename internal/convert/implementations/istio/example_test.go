package istio_test

import (
	"fmt"
	"log"

	"sigs.k8s.io/yaml"

	"github.com/routeshift/routeshift/internal/convert/implementations"
	"github.com/routeshift/routeshift/internal/convert/implementations/istio"
)

// An Ingress with an allowlist and cookie affinity gets a DENY
// AuthorizationPolicy on its route's Gateway, scoped to its host and paths,
// and a DestinationRule for its Service; an invalid value is a finding and
// nothing else.
func Example() {
	out := istio.Implementation.Translate(implementations.Input{
		Namespace: "shop",
		Name:      "web",
		Annotations: map[string]string{
			"whitelist-source-range": "10.0.0.0/8",
			"affinity":               "cookie",
			"session-cookie-name":    "route\r\nSet-Cookie: evil=1",
		},
		Routes: []implementations.Route{{
			Namespace: "shop", Name: "web-example-com", Hostnames: []string{"example.com"},
			Parents:  []implementations.Parent{{Namespace: "gateway-system", Name: "public", SectionName: "https"}},
			Paths:    []implementations.PathMatch{{Type: "PathPrefix", Value: "/admin"}},
			Backends: []implementations.Backend{{Namespace: "shop", Name: "web", Port: 80}},
		}},
	})
	for _, o := range out.Objects {
		spec, err := yaml.Marshal(o.Value["spec"])
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("# %s %s/%s, Shared %v\n%s", o.Kind, o.Namespace, o.Name, o.Shared, spec)
	}
	for _, f := range out.Findings {
		fmt.Println(f.Severity, f.Message)
	}
	// Output:
	// # AuthorizationPolicy gateway-system/shop.web.public, Shared []
	// action: DENY
	// rules:
	// - from:
	//   - source:
	//       notRemoteIpBlocks:
	//       - 10.0.0.0/8
	//   to:
	//   - operation:
	//       hosts:
	//       - example.com
	//       - example.com:*
	//       paths:
	//       - /admin
	//       - /admin/*
	// targetRefs:
	// - group: gateway.networking.k8s.io
	//   kind: Gateway
	//   name: public
	// # DestinationRule shop/web, Shared [affinity]
	// host: web.shop.svc.cluster.local
	// trafficPolicy:
	//   loadBalancer:
	//     consistentHash:
	//       httpCookie:
	//         name: INGRESSCOOKIE
	//         ttl: 0s
	// warning annotation session-cookie-name: value "route\r\nSet-Cookie: evil=1" not translated (contains the control character U+000D): the cookie is named INGRESSCOOKIE, nginx's default
}
