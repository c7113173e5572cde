package nginxgatewayfabric_test

import (
	"fmt"
	"log"

	"sigs.k8s.io/yaml"

	"github.com/routeshift/routeshift/internal/convert/implementations"
	"github.com/routeshift/routeshift/internal/convert/implementations/nginxgatewayfabric"
)

// An Ingress with timeouts, a rate limit and an allowlist gets the nginx
// directives ingress-nginx wrote: proxy timeouts in a ProxySettingsPolicy,
// limit_req in a RateLimitPolicy, and allow/deny lines in a SnippetsFilter
// that the converter references from the route's forwarding rules.
func Example() {
	out := nginxgatewayfabric.Implementation.Translate(implementations.Input{
		Namespace: "shop",
		Name:      "web",
		Annotations: map[string]string{
			"proxy-read-timeout":     "120",
			"limit-rps":              "10",
			"allowlist-source-range": "10.0.0.0/8",
		},
		Routes: []implementations.Route{{Namespace: "shop", Name: "web-example-com", Hostnames: []string{"example.com"}}},
	})
	for _, o := range out.Objects {
		spec, err := yaml.Marshal(o.Value["spec"])
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("# %s %s/%s (route filter: %v)\n%s", o.Kind, o.Namespace, o.Name, o.RouteFilter, spec)
	}
	// Output:
	// # ProxySettingsPolicy shop/web (route filter: false)
	// targetRefs:
	// - group: gateway.networking.k8s.io
	//   kind: HTTPRoute
	//   name: web-example-com
	// timeout:
	//   read: 120s
	// # RateLimitPolicy shop/web (route filter: false)
	// rateLimit:
	//   local:
	//     rules:
	//     - burst: 50
	//       key: $binary_remote_addr
	//       noDelay: true
	//       rate: 10r/s
	//       zoneSize: 5m
	// targetRefs:
	// - group: gateway.networking.k8s.io
	//   kind: HTTPRoute
	//   name: web-example-com
	// # SnippetsFilter shop/web-access (route filter: true)
	// snippets:
	// - context: http.server.location
	//   value: allow 10.0.0.0/8; deny all;
}
