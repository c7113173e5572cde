package validate

import (
	"reflect"
	"strings"
	"testing"
)

const validGateway = `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: infra}
spec:
  gatewayClassName: example
  listeners:
  - name: http
    port: 80
    protocol: HTTP
    allowedRoutes:
      namespaces: {from: All}
  - name: https
    port: 443
    protocol: HTTPS
    hostname: "*.example.com"
    tls:
      mode: Terminate
      certificateRefs:
      - {kind: Secret, name: wildcard-cert}
`

// TestObjects covers kinds other than HTTPRoute and the checks that apply
// to every kind (metadata, versions, channels).
func TestObjects(t *testing.T) {
	tests := []struct {
		name string
		ch   Channel
		doc  string
		want []string
	}{
		{
			name: "valid Gateway",
			doc:  validGateway,
		},
		{
			name: "Gateway with duplicate listener names",
			doc:  strings.Replace(validGateway, "name: https", "name: http", 1),
			want: []string{
				// Both the list-map key check and the CEL rule catch it.
				`Gateway/infra/gw: spec.listeners[1]: Duplicate value: {"name":"http"}`,
				"Gateway/infra/gw: spec.listeners: Invalid value: Listener name must be unique within the Gateway",
			},
		},
		{
			name: "HTTPS listener terminating TLS without certificateRefs",
			doc: strings.Replace(validGateway, `
      certificateRefs:
      - {kind: Secret, name: wildcard-cert}`, "", 1),
			want: []string{
				// The rule reads certificateRefs without has(), so the server reports
				// an evaluation error carrying the rule's message, not the message alone.
				`Gateway/infra/gw: spec.listeners[1].tls: Invalid value: "object": no such key: certificateRefs evaluating rule: certificateRefs or options must be specified when mode is Terminate`,
			},
		},
		{
			name: "valid GRPCRoute",
			doc: `
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: grpc, namespace: shop}
spec:
  parentRefs: [{name: gw, namespace: infra, sectionName: https}]
  hostnames: [grpc.example.com]
  rules:
  - matches:
    - method: {service: shop.Cart, method: Add}
      headers: [{name: x-tenant, value: blue}]
    backendRefs: [{name: cart, port: 9000, weight: 90}, {name: cart-canary, port: 9000, weight: 10}]
`,
		},
		{
			name: "GRPCRoute method match needs a service or a method",
			doc: `
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: grpc, namespace: shop}
spec:
  rules:
  - matches:
    - method: {type: Exact}
    backendRefs: [{name: cart, port: 9000}]
`,
			want: []string{
				"GRPCRoute/shop/grpc: spec.rules[0].matches[0].method: Invalid value: One or both of 'service' or 'method' must be specified",
			},
		},
		{
			name: "valid ReferenceGrant",
			doc: `
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: allow-routes, namespace: backends}
spec:
  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: shop}]
  to: [{group: "", kind: Service}]
`,
		},
		{
			name: "valid GatewayClass: namespace on a cluster-scoped kind is ignored",
			doc: `
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: example, namespace: ignored}
spec:
  controllerName: example.com/gateway-controller
`,
		},
		{
			name: "status is ignored on create, but its unknown fields are reported",
			doc: validGateway + `
status:
  bogus: true
  conditions: "not a list"
`,
			want: []string{
				"Gateway/infra/gw: status.bogus: Forbidden: unknown field",
			},
		},
		{
			name: "missing name, namespace not a DNS label",
			doc: `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {namespace: Shop_1}
spec: {}
`,
			want: []string{
				"HTTPRoute/Shop_1/(unnamed): metadata.name: Required value: name or generateName is required",
				`HTTPRoute/Shop_1/(unnamed): metadata.namespace: Invalid value: "Shop_1": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
				// Required is a blocking error type.
				"HTTPRoute/Shop_1/(unnamed): " + "<nil>: Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation",
			},
		},
		{
			name: "name not a DNS subdomain, bad label value",
			doc: `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: Web_Route
  labels: {app: "a b"}
spec: {}
`,
			want: []string{
				`HTTPRoute/Web_Route: metadata.name: Invalid value: "Web_Route": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
				`HTTPRoute/Web_Route: metadata.labels: Invalid value: "a b": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
			},
		},
		{
			name: "metadata that does not decode stops validation",
			doc: `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, labels: [a]}
spec: {}
`,
			want: []string{
				`HTTPRoute/web: metadata: Invalid value: {"labels":["a"],"name":"web"}: json: cannot unmarshal array into Go struct field ObjectMeta.labels of type map[string]string`,
			},
		},
		{
			name: "unserved version",
			doc: `
apiVersion: gateway.networking.k8s.io/v1alpha2
kind: TCPRoute
metadata: {name: tcp, namespace: shop}
spec:
  rules: [{backendRefs: [{name: db, port: 5432}]}]
`,
			want: []string{
				`TCPRoute/shop/tcp: apiVersion: Unsupported value: "gateway.networking.k8s.io/v1alpha2": supported values: "gateway.networking.k8s.io/v1"`,
			},
		},
		{
			name: "experimental field on the standard channel",
			doc:  sessionPersistenceRoute,
			want: []string{
				"HTTPRoute/shop/sticky: spec.rules[0].sessionPersistence: Forbidden: unknown field",
			},
		},
		{
			name: "experimental field on the experimental channel",
			ch:   Experimental,
			doc:  sessionPersistenceRoute,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ch := tt.ch
			if ch == "" {
				ch = Standard
			}
			got, err := validator(t, ch).ValidateYAML([]byte(tt.doc))
			if err != nil {
				t.Fatal(err)
			}
			assertErrors(t, got, tt.want)
		})
	}
}

const sessionPersistenceRoute = `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: sticky, namespace: shop}
spec:
  rules:
  - backendRefs: [{name: cart, port: 8080}]
    sessionPersistence: {sessionName: cart-session}
`

func TestValidateYAMLDecodeErrors(t *testing.T) {
	v := validator(t, Standard)
	tests := []struct {
		name, doc, want string
	}{
		{"empty", "# nothing here\n", "decode YAML: empty document"},
		{"two documents", validGateway + "---\n" + validGateway, "decode YAML: more than one document; pass one at a time"},
		{"a list", "- a\n- b\n", "decode YAML: not an object: json: cannot unmarshal array into Go value of type map[string]interface {}"},
		{"broken YAML", "a: [b\n", "decode YAML: yaml: line 1: did not find expected ',' or ']'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs, err := v.ValidateYAML([]byte(tt.doc))
			if err == nil || err.Error() != tt.want || errs != nil {
				t.Errorf("got (%v, %v), want (nil, %q)", errs, err, tt.want)
			}
		})
	}
	// A leading separator and comments are one document, not two.
	if errs, err := v.ValidateYAML([]byte("# gateway\n---\n" + validGateway)); err != nil || errs != nil {
		t.Errorf("leading separator: got (%v, %v)", errs, err)
	}
}

// TestValidateLeavesInputAlone checks that pruning and defaulting work on a
// copy, and that numbers as encoding/json decodes them (float64) and as Go
// code writes them (int) work like int64.
func TestValidateLeavesInputAlone(t *testing.T) {
	v := validator(t, Standard)
	obj := map[string]any{
		"apiVersion": "gateway.networking.k8s.io/v1",
		"kind":       "HTTPRoute",
		"metadata":   map[string]any{"name": "web"},
		"spec": map[string]any{
			"unknown": true,
			"rules": []any{map[string]any{
				"matches":     []any{map[string]any{"path": map[string]any{"value": "/"}}},
				"backendRefs": []any{map[string]any{"name": "a", "port": float64(80), "weight": 1}},
			}},
		},
	}
	before := mustDecode(t, `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web}
spec:
  unknown: true
  rules:
  - matches: [{path: {value: /}}]
    backendRefs: [{name: a, port: 80, weight: 1}]
`)
	assertErrors(t, v.Validate(obj), []string{"HTTPRoute/web: spec.unknown: Forbidden: unknown field"})
	// The decoded fixture has int64 where obj has float64 and int; compare
	// through the normaliser, which the input itself must not have passed.
	norm, _ := normalize(obj)
	if !reflect.DeepEqual(norm, any(before)) {
		t.Errorf("Validate changed its input:\n got %v\nwant %v", obj, before)
	}
	if _, ok := obj["spec"].(map[string]any)["rules"].([]any)[0].(map[string]any)["backendRefs"].([]any)[0].(map[string]any)["port"].(float64); !ok {
		t.Errorf("Validate rewrote the caller's numbers")
	}

	obj["spec"].(map[string]any)["hostnames"] = []any{make(chan int)}
	assertErrors(t, v.Validate(obj), []string{`HTTPRoute/web: spec.hostnames[0]: Invalid value: "chan int": not a JSON value (want map[string]any, []any, string, bool, int64, float64 or nil)`})
}
