package validate

import "testing"

// BenchmarkNew is the one-off cost a process pays: decoding the embedded
// CRDs and compiling their schemas and CEL rules.
func BenchmarkNew(b *testing.B) {
	for _, ch := range []Channel{Standard, Experimental} {
		b.Run(string(ch), func(b *testing.B) {
			for b.Loop() {
				if _, err := New(ch); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkValidateHTTPRoute is the per-object cost for a typical route:
// copy, prune, default, OpenAPI, list-type and CEL checks.
func BenchmarkValidateHTTPRoute(b *testing.B) {
	v := validator(b, Standard)
	obj := mustDecode(b, route(validRule+`
- matches:
  - path: {type: Exact, value: /healthz}
    headers: [{name: x-probe, value: "1"}]
  - path: {value: /static}
    method: GET
  filters:
  - type: RequestHeaderModifier
    requestHeaderModifier:
      set: [{name: x-env, value: prod}]
  backendRefs:
  - {name: web, port: 80, weight: 90}
  - {name: web-canary, port: 80, weight: 10}
`))
	if errs := v.Validate(obj); errs != nil {
		b.Fatalf("fixture is invalid: %v", errs)
	}
	for b.Loop() {
		v.Validate(obj)
	}
}

func BenchmarkValidateYAMLHTTPRoute(b *testing.B) {
	v := validator(b, Standard)
	doc := []byte(route(validRule))
	for b.Loop() {
		if _, err := v.ValidateYAML(doc); err != nil {
			b.Fatal(err)
		}
	}
}
