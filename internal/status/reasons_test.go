package status

import (
	"strings"
	"testing"
)

type want struct {
	at     string // see conditionAt
	typ    string
	status Status
	reason string
}

type reasonCase struct {
	name      string
	manifests string
	declared  string // body of a declared file, without the type header
	want      []want
}

// Listener and Gateway reasons, each from a minimal manifest.
var listenerCases = []reasonCase{
	{
		name:      "unsupported protocol rejects the listener and, alone, the Gateway",
		manifests: gatewayYAML("gw", "{name: odd, port: 1111, protocol: FOO}"),
		want: []want{
			{"listener infra/gw/odd", "Accepted", False, "UnsupportedProtocol"},
			{"listener infra/gw/odd", "Programmed", False, "Invalid"},
			{"gateway infra/gw", "Accepted", False, "ListenersNotValid"},
			{"gateway infra/gw", "Programmed", False, "Invalid"},
		},
	},
	{
		name:      "one unsupported listener beside a valid one: Gateway accepted with ListenersNotValid",
		manifests: gatewayYAML("gw", "{name: http, port: 80, protocol: HTTP}", "{name: odd, port: 1111, protocol: FOO}"),
		want: []want{
			{"listener infra/gw/http", "Accepted", True, "Accepted"},
			{"listener infra/gw/odd", "Accepted", False, "UnsupportedProtocol"},
			{"gateway infra/gw", "Accepted", True, "ListenersNotValid"},
		},
	},
	{
		name:      "implementation-specific protocol is unknown",
		manifests: gatewayYAML("gw", "{name: x, port: 9000, protocol: example.com/thrift}"),
		want:      []want{{"listener infra/gw/x", "Accepted", Unknown, "Pending"}},
	},
	{
		name:      "HTTP and HTTPS on one port conflict",
		manifests: gatewayYAML("gw", "{name: a, port: 8080, protocol: HTTP}", "{name: b, port: 8080, protocol: HTTPS, tls: {certificateRefs: [{name: c}]}}"),
		declared:  "secrets: [infra/c]\n",
		want: []want{
			{"listener infra/gw/a", "Conflicted", True, "ProtocolConflict"},
			{"listener infra/gw/b", "Conflicted", True, "ProtocolConflict"},
			{"listener infra/gw/a", "Accepted", False, "ProtocolConflict"},
			{"listener infra/gw/b", "Programmed", False, "Invalid"},
			{"gateway infra/gw", "Accepted", False, "ListenersNotValid"},
		},
	},
	{
		name:      "TCP shares a port with nothing HTTP-based",
		manifests: gatewayYAML("gw", "{name: a, port: 80, protocol: HTTP}", "{name: b, port: 80, protocol: TCP}", "{name: c, port: 443, protocol: UDP}"),
		want: []want{
			{"listener infra/gw/a", "Conflicted", True, "ProtocolConflict"},
			{"listener infra/gw/b", "Conflicted", True, "ProtocolConflict"},
			{"listener infra/gw/c", "Conflicted", False, "NoConflicts"},
		},
	},
	{
		name:      "same port, protocol and hostname is a hostname conflict",
		manifests: gatewayYAML("gw", "{name: a, port: 80, protocol: HTTP, hostname: a.example.com}", "{name: b, port: 80, protocol: HTTP, hostname: a.example.com}", "{name: c, port: 80, protocol: HTTP, hostname: c.example.com}"),
		want: []want{
			{"listener infra/gw/a", "Conflicted", True, "HostnameConflict"},
			{"listener infra/gw/b", "Accepted", False, "HostnameConflict"},
			{"listener infra/gw/c", "Conflicted", False, "NoConflicts"},
			{"gateway infra/gw", "Accepted", True, "ListenersNotValid"},
		},
	},
	{
		name: "HTTPS and TLS share a port unless they claim one hostname",
		manifests: gatewayYAML("gw",
			"{name: web, port: 443, protocol: HTTPS, hostname: a.example.com, tls: {certificateRefs: [{name: c}]}}",
			"{name: pass, port: 443, protocol: TLS, hostname: a.example.com, tls: {mode: Passthrough}}",
			"{name: other, port: 443, protocol: TLS, hostname: b.example.com, tls: {mode: Passthrough}}"),
		declared: "secrets: [infra/c]\n",
		want: []want{
			{"listener infra/gw/web", "Conflicted", True, "HostnameConflict"},
			{"listener infra/gw/pass", "Conflicted", True, "HostnameConflict"},
			{"listener infra/gw/other", "Conflicted", False, "NoConflicts"},
		},
	},
	{
		name: "TLS Terminate beside Passthrough without TLSRouteModeMixed",
		manifests: gatewayYAML("gw", "{name: t, port: 8443, protocol: TLS, hostname: t.example.com, tls: {mode: Terminate, certificateRefs: [{name: c}]}}",
			"{name: p, port: 8443, protocol: TLS, hostname: p.example.com, tls: {mode: Passthrough}}"),
		declared: "secrets: [infra/c]\nfeatures: [TLSRoute, TLSRouteModeTerminate]\n",
		want: []want{
			{"listener infra/gw/t", "Accepted", False, "ProtocolConflict"},
			{"listener infra/gw/p", "Conflicted", True, "ProtocolConflict"},
		},
	},
	{
		name: "TLS Terminate beside Passthrough with TLSRouteModeMixed",
		manifests: gatewayYAML("gw", "{name: t, port: 8443, protocol: TLS, hostname: t.example.com, tls: {mode: Terminate, certificateRefs: [{name: c}]}}",
			"{name: p, port: 8443, protocol: TLS, hostname: p.example.com, tls: {mode: Passthrough}}"),
		declared: "secrets: [infra/c]\nfeatures: [TLSRoute, TLSRouteModeTerminate, TLSRouteModeMixed]\n",
		want: []want{
			{"listener infra/gw/t", "Accepted", True, "Accepted"},
			{"listener infra/gw/p", "Conflicted", False, "NoConflicts"},
		},
	},
	{
		name: "TLS Terminate beside Passthrough, features undeclared",
		manifests: gatewayYAML("gw", "{name: t, port: 8443, protocol: TLS, hostname: t.example.com, tls: {mode: Terminate, certificateRefs: [{name: c}]}}",
			"{name: p, port: 8443, protocol: TLS, hostname: p.example.com, tls: {mode: Passthrough}}"),
		declared: "secrets: [infra/c]\n",
		want: []want{
			{"listener infra/gw/t", "Accepted", Unknown, "Pending"},
			{"listener infra/gw/p", "Conflicted", Unknown, "Pending"},
			{"listener infra/gw/p", "Accepted", Unknown, "Pending"},
		},
	},
	{
		name:      "TLS Terminate without the feature is UnsupportedValue",
		manifests: gatewayYAML("gw", "{name: t, port: 8443, protocol: TLS, tls: {mode: Terminate, certificateRefs: [{name: c}]}}"),
		declared:  "secrets: [infra/c]\nfeatures: [TLSRoute]\n",
		want:      []want{{"listener infra/gw/t", "Accepted", False, "UnsupportedValue"}},
	},
	{
		name:      "HTTPS in Passthrough mode is UnsupportedValue",
		manifests: gatewayYAML("gw", "{name: s, port: 443, protocol: HTTPS, tls: {mode: Passthrough}}"),
		want:      []want{{"listener infra/gw/s", "Accepted", False, "UnsupportedValue"}},
	},
	{
		name:      "missing Secret is InvalidCertificateRef and not programmed",
		manifests: gatewayYAML("gw", "{name: s, port: 443, protocol: HTTPS, tls: {certificateRefs: [{name: nope}]}}"),
		want: []want{
			{"listener infra/gw/s", "Accepted", True, "Accepted"},
			{"listener infra/gw/s", "ResolvedRefs", False, "InvalidCertificateRef"},
			{"listener infra/gw/s", "Programmed", False, "Invalid"},
			{"gateway infra/gw", "ResolvedRefs", False, "ListenersNotResolved"},
		},
	},
	{
		name:      "HTTPS without certificateRefs is InvalidCertificateRef",
		manifests: gatewayYAML("gw", "{name: s, port: 443, protocol: HTTPS}"),
		want:      []want{{"listener infra/gw/s", "ResolvedRefs", False, "InvalidCertificateRef"}},
	},
	{
		name:      "a certificate of another kind is InvalidCertificateRef",
		manifests: gatewayYAML("gw", "{name: s, port: 443, protocol: HTTPS, tls: {certificateRefs: [{kind: ConfigMap, name: c}]}}"),
		declared:  "secrets: [infra/c]\n",
		want:      []want{{"listener infra/gw/s", "ResolvedRefs", False, "InvalidCertificateRef"}},
	},
	{
		name: "a malformed Secret is InvalidCertificateRef",
		manifests: gatewayYAML("gw", "{name: s, port: 443, protocol: HTTPS, tls: {certificateRefs: [{name: c}]}}") +
			"apiVersion: v1\nkind: Secret\nmetadata: {name: c, namespace: infra}\ntype: kubernetes.io/tls\ndata: {tls.crt: SGVsbG8K, tls.key: SGVsbG8K}\n",
		want: []want{{"listener infra/gw/s", "ResolvedRefs", False, "InvalidCertificateRef"}},
	},
	{
		name:      "a valid Secret in the tree resolves",
		manifests: gatewayYAML("gw", "{name: s, port: 443, protocol: HTTPS, tls: {certificateRefs: [{name: c}]}}") + tlsSecretYAML("infra", "c"),
		want: []want{
			{"listener infra/gw/s", "ResolvedRefs", True, "ResolvedRefs"},
			{"listener infra/gw/s", "Programmed", Unknown, "Pending"},
			{"gateway infra/gw", "Accepted", True, "Accepted"},
			{"gateway infra/gw", "ResolvedRefs", True, "ResolvedRefs"},
		},
	},
	{
		name:      "a Secret in another namespace without ReferenceGrant is RefNotPermitted",
		manifests: gatewayYAML("gw", "{name: s, port: 443, protocol: HTTPS, tls: {certificateRefs: [{name: c, namespace: certs}]}}") + tlsSecretYAML("certs", "c"),
		want:      []want{{"listener infra/gw/s", "ResolvedRefs", False, "RefNotPermitted"}},
	},
	{
		name: "a ReferenceGrant for Gateways lets the Secret resolve",
		manifests: gatewayYAML("gw", "{name: s, port: 443, protocol: HTTPS, tls: {certificateRefs: [{name: c, namespace: certs}]}}") + tlsSecretYAML("certs", "c") +
			"apiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant\nmetadata: {name: g, namespace: certs}\nspec: {from: [{group: gateway.networking.k8s.io, kind: Gateway, namespace: infra}], to: [{group: '', kind: Secret, name: c}]}\n",
		want: []want{{"listener infra/gw/s", "ResolvedRefs", True, "ResolvedRefs"}},
	},
	{
		name: "a ReferenceGrant for HTTPRoutes does not cover a Gateway's Secret",
		manifests: gatewayYAML("gw", "{name: s, port: 443, protocol: HTTPS, tls: {certificateRefs: [{name: c, namespace: certs}]}}") + tlsSecretYAML("certs", "c") +
			"apiVersion: gateway.networking.k8s.io/v1\nkind: ReferenceGrant\nmetadata: {name: g, namespace: certs}\nspec: {from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: infra}], to: [{group: '', kind: Secret}]}\n",
		want: []want{{"listener infra/gw/s", "ResolvedRefs", False, "RefNotPermitted"}},
	},
	{
		name:      "a declared ReferenceGrant and declared Secret resolve",
		manifests: gatewayYAML("gw", "{name: s, port: 443, protocol: HTTPS, tls: {certificateRefs: [{name: c, namespace: certs}]}}"),
		declared:  "secrets: [certs/*]\nreferenceGrants:\n- namespace: certs\n  spec: {from: [{group: gateway.networking.k8s.io, kind: Gateway, namespace: infra}], to: [{group: '', kind: Secret}]}\n",
		want:      []want{{"listener infra/gw/s", "ResolvedRefs", True, "ResolvedRefs"}},
	},
	{
		name:      "a route kind the protocol cannot serve is InvalidRouteKinds",
		manifests: gatewayYAML("gw", "{name: http, port: 80, protocol: HTTP, allowedRoutes: {kinds: [{kind: TLSRoute}, {kind: HTTPRoute}]}}"),
		want: []want{
			{"listener infra/gw/http", "ResolvedRefs", False, "InvalidRouteKinds"},
			{"listener infra/gw/http", "Accepted", True, "Accepted"},
		},
	},
	{
		name: "overlapping hostnames on terminating listeners",
		manifests: gatewayYAML("gw",
			"{name: wild, port: 443, protocol: HTTPS, hostname: '*.example.com', tls: {certificateRefs: [{name: c}]}}",
			"{name: one, port: 443, protocol: HTTPS, hostname: a.example.com, tls: {certificateRefs: [{name: c}]}}",
			"{name: other, port: 443, protocol: HTTPS, hostname: a.example.org, tls: {certificateRefs: [{name: c}]}}"),
		declared: "secrets: [infra/c]\n",
		want: []want{
			{"listener infra/gw/wild", "OverlappingTLSConfig", True, "OverlappingHostnames"},
			{"listener infra/gw/one", "OverlappingTLSConfig", True, "OverlappingHostnames"},
			{"listener infra/gw/other", "Accepted", True, "Accepted"},
		},
	},
	{
		name:      "a GatewayClass that is not known once some are",
		manifests: gatewayYAML("gw", "{name: http, port: 80, protocol: HTTP}") + routeYAML("HTTPRoute", "infra", "r", "parentRefs: [{name: gw}]"),
		declared:  "gatewayClasses: [other]\n",
		want: []want{
			{"gateway infra/gw", "Accepted", Unknown, "Pending"},
			{"parent HTTPRoute infra/r 0", "Accepted", Unknown, "Pending"},
		},
	},
	{
		name:      "a known GatewayClass",
		manifests: gatewayYAML("gw", "{name: http, port: 80, protocol: HTTP}") + "apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: {name: eg}\nspec: {controllerName: example.com/gw}\n",
		want:      []want{{"gateway infra/gw", "Accepted", True, "Accepted"}},
	},
}

func TestListenerAndGatewayReasons(t *testing.T) { runReasonCases(t, listenerCases) }

func runReasonCases(t *testing.T, cases []reasonCase) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rep := runYAML(t, tc.manifests, tc.declared)
			if len(rep.Errors) > 0 {
				t.Fatalf("errors: %v", rep.Errors)
			}
			for _, w := range tc.want {
				c, err := conditionAt(rep, w.at, w.typ)
				if err != nil {
					t.Error(err)
					continue
				}
				if c.Status != w.status || c.Reason != w.reason {
					t.Errorf("%s %s: got %s %s (%s), want %s %s", w.at, w.typ, c.Status, c.Reason, c.Message, w.status, w.reason)
				}
				if c.Status != True && c.Message == "" && c.Type != "Conflicted" {
					t.Errorf("%s %s: %s without a message", w.at, w.typ, c.Status)
				}
			}
		})
	}
}

func TestSupportedKindsAndAttachedRoutes(t *testing.T) {
	m := gatewayYAML("gw",
		"{name: http, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}, kinds: [{kind: TLSRoute}, {kind: HTTPRoute}]}}",
		"{name: tls, port: 443, protocol: TLS, tls: {mode: Passthrough}, allowedRoutes: {namespaces: {from: All}}}") +
		serviceYAML("shop", "web", 80) +
		routeYAML("HTTPRoute", "shop", "a", "parentRefs: [{name: gw, namespace: infra}, {name: gw, namespace: infra, sectionName: http}], rules: [{backendRefs: [{name: web, port: 80}]}]") +
		routeYAML("HTTPRoute", "shop", "b", "parentRefs: [{name: gw, namespace: infra}], rules: [{backendRefs: [{name: web, port: 80}]}]")
	rep := runYAML(t, m, "")
	http := listenerAt(rep, "infra/gw/http")
	if http == nil || strings.Join(http.SupportedKinds, ",") != "HTTPRoute" || http.AttachedRoutes != 2 {
		t.Fatalf("listener http: %+v; want supportedKinds [HTTPRoute] and 2 routes (a counted once)", http)
	}
	if tls := listenerAt(rep, "infra/gw/tls"); tls == nil || strings.Join(tls.SupportedKinds, ",") != "TLSRoute" || tls.AttachedRoutes != 0 {
		t.Fatalf("listener tls: %+v", tls)
	}
	if p := rep.Routes[0].Parents[0]; strings.Join(p.Listeners, ",") != "http" {
		t.Errorf("route a attaches to %v, want [http]", p.Listeners)
	}
}
