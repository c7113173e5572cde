package envoygateway_test

import (
	"fmt"
	"log"
	"sort"

	"sigs.k8s.io/yaml"

	"github.com/routeshift/routeshift/internal/convert/implementations"
	"github.com/routeshift/routeshift/internal/convert/implementations/envoygateway"
)

// An Ingress with a body limit, a per-client rate limit and an allowlist
// gets one BackendTrafficPolicy and one SecurityPolicy attached to its
// route; an invalid value is a finding and nothing else.
func Example() {
	out := envoygateway.Implementation.Translate(implementations.Input{
		Namespace: "shop",
		Name:      "web",
		Annotations: map[string]string{
			"proxy-body-size":        "8m",
			"limit-rps":              "20",
			"whitelist-source-range": "10.0.0.0/8",
			"proxy-read-timeout":     "60\r\nproxy_pass http://evil",
		},
		Routes: []implementations.Route{{Namespace: "shop", Name: "web-example-com", Hostnames: []string{"example.com"}}},
	})
	for _, o := range out.Objects {
		spec, err := yaml.Marshal(o.Value["spec"])
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("# %s %s/%s\n%s", o.Kind, o.Namespace, o.Name, spec)
	}
	var handled []string
	for name, h := range out.Handled {
		fate := "converted"
		if h.Approximated {
			fate = "approximated"
		}
		handled = append(handled, name+": "+fate)
	}
	sort.Strings(handled)
	fmt.Println(handled)
	for _, f := range out.Findings {
		fmt.Println(f.Severity, f.Message)
	}
	// Output:
	// # BackendTrafficPolicy shop/web
	// rateLimit:
	//   local:
	//     rules:
	//     - clientSelectors:
	//       - sourceCIDR:
	//           type: Distinct
	//           value: 0.0.0.0/0
	//       limit:
	//         requests: 20
	//         unit: Second
	//     - clientSelectors:
	//       - sourceCIDR:
	//           type: Distinct
	//           value: ::/0
	//       limit:
	//         requests: 20
	//         unit: Second
	// requestBuffer:
	//   limit: 8Mi
	// targetRefs:
	// - group: gateway.networking.k8s.io
	//   kind: HTTPRoute
	//   name: web-example-com
	// # SecurityPolicy shop/web
	// authorization:
	//   defaultAction: Deny
	//   rules:
	//   - action: Allow
	//     name: whitelist-source-range
	//     principal:
	//       clientCIDRs:
	//       - 10.0.0.0/8
	// targetRefs:
	// - group: gateway.networking.k8s.io
	//   kind: HTTPRoute
	//   name: web-example-com
	// [limit-rps: approximated proxy-body-size: approximated whitelist-source-range: converted]
	// warning annotation proxy-read-timeout: value "60\r\nproxy_pass http://evil" not translated (contains the control character U+000D): ingress-nginx ignores it and uses its default; the routes keep Envoy Gateway's default
}
