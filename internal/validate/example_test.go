package validate_test

import (
	"fmt"
	"log"

	"github.com/routeshift/routeshift/internal/validate"
)

func Example() {
	v, err := validate.New(validate.Standard) // once per process: compiles every CEL rule
	if err != nil {
		log.Fatal(err)
	}
	errs, err := v.ValidateYAML([]byte(`
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: web
  namespace: shop
spec:
  rules:
  - matches:
    - path: {type: Exact, value: /api}
    filters:
    - type: URLRewrite
      urlRewrite:
        path: {type: ReplacePrefixMatch, replacePrefixMatch: /v2}
    backendRefs:
    - {name: api, port: 8080}
`))
	if err != nil {
		log.Fatal(err) // not a single YAML object
	}
	for _, e := range errs {
		fmt.Println(e)
	}
	// Output:
	// HTTPRoute/shop/web: spec.rules[0]: Invalid value: When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified
}

func ExampleValidator_Knows() {
	v, err := validate.New(validate.Standard)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(v.Knows("gateway.networking.k8s.io/v1", "HTTPRoute"))
	fmt.Println(v.Knows("v1", "Service")) // Validate returns nil for it
	// Output:
	// true
	// false
}
