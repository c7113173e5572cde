package validate

import (
	"strings"
	"testing"
)

// route builds an HTTPRoute named web in namespace shop around the given
// rules, so each case shows only what it is about.
func route(rules string) string {
	return `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: web
  namespace: shop
spec:
  parentRefs:
  - name: gw
  hostnames: ["shop.example.com"]
  rules:
` + indent(rules, "  ")
}

func indent(s, prefix string) string {
	lines := strings.Split(strings.Trim(s, "\n"), "\n")
	return prefix + strings.Join(lines, "\n"+prefix) + "\n"
}

// validRule rewrites /api/... to /v2/... on the way to a Service; the
// rewrite's CEL rule needs the match type, which here is defaulted.
const validRule = `
- matches:
  - path: {value: /api}
  filters:
  - type: URLRewrite
    urlRewrite:
      path: {type: ReplacePrefixMatch, replacePrefixMatch: /v2}
  backendRefs:
  - {name: api, port: 8080}
`

const prefix = "HTTPRoute/shop/web: "

func TestHTTPRoute(t *testing.T) {
	v := validator(t, Standard)
	tests := []struct {
		name string
		doc  string
		edit func(obj map[string]any) // applied after decoding, when YAML would be unwieldy
		want []string
	}{
		{
			name: "PathPrefix match with ReplacePrefixMatch rewrite passes",
			doc:  strings.Replace(route(validRule), "{value: /api}", "{type: PathPrefix, value: /api}", 1),
		},
		{
			// Without defaulting, CEL rules here fail with "no such key"
			// on the path type and on parentRefs' and backendRefs' group.
			name: "match type left to its PathPrefix default passes",
			doc:  route(validRule),
		},
		{
			name: "ReplacePrefixMatch needs a PathPrefix match, not Exact",
			doc: route(`
- matches:
  - path: {type: Exact, value: /api}
  filters:
  - type: URLRewrite
    urlRewrite:
      path: {type: ReplacePrefixMatch, replacePrefixMatch: /v2}
  backendRefs:
  - {name: api, port: 8080}
`),
			want: []string{
				prefix + "spec.rules[0]: Invalid value: When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified",
			},
		},
		{
			name: "RequestRedirect cannot be combined with backendRefs",
			doc: route(`
- filters:
  - type: RequestRedirect
    requestRedirect: {scheme: https, statusCode: 301}
  backendRefs:
  - {name: api, port: 8080}
`),
			want: []string{
				prefix + "spec.rules[0]: Invalid value: RequestRedirect filter must not be used together with backendRefs",
			},
		},
		{
			name: "RequestHeaderModifier cannot be repeated",
			doc: route(`
- filters:
  - type: RequestHeaderModifier
    requestHeaderModifier:
      set: [{name: X-A, value: a}]
  - type: RequestHeaderModifier
    requestHeaderModifier:
      add: [{name: X-B, value: b}]
  backendRefs:
  - {name: api, port: 8080}
`),
			want: []string{
				prefix + "spec.rules[0].filters: Invalid value: RequestHeaderModifier filter cannot be repeated",
			},
		},
		{
			name: "double slash in a path",
			doc: route(`
- matches:
  - path: {type: PathPrefix, value: /api//v1}
  backendRefs:
  - {name: api, port: 8080}
`),
			want: []string{
				prefix + "spec.rules[0].matches[0].path: Invalid value: must not contain '//' when type one of ['Exact', 'PathPrefix']",
			},
		},
		{
			name: "hostname with two wildcards fails the pattern",
			doc:  strings.Replace(route(validRule), `["shop.example.com"]`, `["*.*.example.com"]`, 1),
			want: []string{
				prefix + `spec.hostnames[0]: Invalid value: "*.*.example.com": spec.hostnames[0] in body should match '^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'`,
			},
		},
		{
			name: "more than 16 rules",
			doc:  route(validRule),
			edit: func(obj map[string]any) {
				spec := obj["spec"].(map[string]any)
				rule := spec["rules"].([]any)[0]
				rules := make([]any, 17)
				for i := range rules {
					rules[i] = rule
				}
				spec["rules"] = rules
			},
			want: []string{
				prefix + "spec.rules: Too many: 17: must have at most 16 items",
				// TooMany is blocking: the server skips CEL and says so.
				prefix + "<nil>: Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation",
			},
		},
		{
			name: "Service backendRef without port",
			doc: route(`
- backendRefs:
  - name: api
`),
			want: []string{
				prefix + "spec.rules[0].backendRefs[0]: Invalid value: Must have port for Service reference",
			},
		},
		{
			name: "unknown field is reported, not dropped",
			doc:  route(validRule),
			edit: func(obj map[string]any) {
				obj["spec"].(map[string]any)["foo"] = "bar"
				obj["spec"].(map[string]any)["rules"].([]any)[0].(map[string]any)["timeout"] = int64(5)
				obj["metadata"].(map[string]any)["labelz"] = map[string]any{"a": "b"}
			},
			want: []string{
				prefix + "metadata.labelz: Forbidden: unknown field",
				prefix + "spec.foo: Forbidden: unknown field",
				prefix + "spec.rules[0].timeout: Forbidden: unknown field",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obj := mustDecode(t, tt.doc)
			if tt.edit != nil {
				tt.edit(obj)
			}
			got := v.Validate(obj)
			assertErrors(t, got, tt.want)
		})
	}
}
