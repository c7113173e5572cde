package envoygateway

import "github.com/routeshift/routeshift/internal/convert/implementations"

// RegexRewrite is Envoy Gateway's HTTPRouteFilter with a regex path
// rewrite, which an HTTPRoute rule names in an ExtensionRef filter
// (group gateway.envoyproxy.io, kind HTTPRouteFilter, same namespace):
// spec.urlRewrite.path of type ReplaceRegexMatch replaces what pattern (RE2)
// matches in the request path with substitution (\1 for group 1), as
// Envoy's regex_rewrite does; the query string is kept. Schema:
// charts/gateway-helm/charts/crds/crds/generated/gateway.envoyproxy.io_httproutefilters.yaml
// of github.com/envoyproxy/gateway v1.9.1 (testdata/implementations/crds);
// Envoy Gateway checks the pattern compiles as RE2 and refuses a second
// path rewrite on the same rule (internal/gatewayapi/filters.go).
func RegexRewrite(namespace, name, pattern, substitution string) implementations.Object {
	return implementations.Object{
		APIVersion: "gateway.envoyproxy.io/v1alpha1",
		Kind:       "HTTPRouteFilter",
		Namespace:  namespace,
		Name:       name,
		Value: map[string]any{
			"apiVersion": "gateway.envoyproxy.io/v1alpha1",
			"kind":       "HTTPRouteFilter",
			"metadata":   map[string]any{"name": name, "namespace": namespace},
			"spec": map[string]any{
				"urlRewrite": map[string]any{
					"path": map[string]any{
						"type": "ReplaceRegexMatch",
						"replaceRegexMatch": map[string]any{
							"pattern":      pattern,
							"substitution": substitution,
						},
					},
				},
			},
		},
	}
}
