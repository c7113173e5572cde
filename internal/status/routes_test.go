package status

import (
	"strings"
	"testing"
)

// A Gateway in infra with one listener per way of admitting routes.
var routeGateway = gatewayYAML("gw",
	"{name: same, port: 80, protocol: HTTP, hostname: same.example.com}",
	"{name: all, port: 80, protocol: HTTP, hostname: all.example.com, allowedRoutes: {namespaces: {from: All}}}",
	"{name: team, port: 80, protocol: HTTP, hostname: team.example.com, allowedRoutes: {namespaces: {from: Selector, selector: {matchLabels: {team: shop}}}}}",
	"{name: expr, port: 80, protocol: HTTP, hostname: expr.example.com, allowedRoutes: {namespaces: {from: Selector, selector: {matchExpressions: [{key: env, operator: In, values: [prod, staging]}, {key: legacy, operator: DoesNotExist}]}}}}",
	"{name: byname, port: 80, protocol: HTTP, hostname: byname.example.com, allowedRoutes: {namespaces: {from: Selector, selector: {matchLabels: {kubernetes.io/metadata.name: shop}}}}}",
	"{name: grpc, port: 8080, protocol: HTTP, allowedRoutes: {namespaces: {from: All}, kinds: [{kind: GRPCRoute}]}}",
	"{name: tls, port: 443, protocol: TLS, hostname: tls.example.com, tls: {mode: Passthrough}, allowedRoutes: {namespaces: {from: All}}}",
) + serviceYAML("shop", "web", 80) + serviceYAML("infra", "web", 80)

// httpRoute is an HTTPRoute in namespace ns with one parentRef to
// infra/gw (extra fields inside the ref) and a backend web:80.
func httpRoute(ns, name, parent, hostnames string) string {
	spec := "parentRefs: [{name: gw, namespace: infra" + parent + "}], rules: [{backendRefs: [{name: web, port: 80}]}]"
	if hostnames != "" {
		spec += ", hostnames: [" + hostnames + "]"
	}
	return routeYAML("HTTPRoute", ns, name, spec)
}

var routeCases = []reasonCase{
	{
		name:      "from Same admits the Gateway's namespace only",
		manifests: routeGateway + httpRoute("infra", "r", ", sectionName: same", "") + httpRoute("shop", "x", ", sectionName: same", ""),
		want: []want{
			{"parent HTTPRoute infra/r 0", "Accepted", True, "Accepted"},
			{"parent HTTPRoute infra/r 0", "ResolvedRefs", True, "ResolvedRefs"},
			{"parent HTTPRoute shop/x 0", "Accepted", False, "NotAllowedByListeners"},
		},
	},
	{
		name:      "from All admits every namespace",
		manifests: routeGateway + httpRoute("shop", "r", ", sectionName: all", ""),
		want:      []want{{"parent HTTPRoute shop/r 0", "Accepted", True, "Accepted"}},
	},
	{
		name:      "matchLabels against a Namespace of the tree",
		manifests: routeGateway + namespaceYAML("shop", "team: shop") + namespaceYAML("blog", "team: blog") + serviceYAML("blog", "web", 80) + httpRoute("shop", "r", ", sectionName: team", "") + httpRoute("blog", "r", ", sectionName: team", ""),
		want: []want{
			{"parent HTTPRoute shop/r 0", "Accepted", True, "Accepted"},
			{"parent HTTPRoute blog/r 0", "Accepted", False, "NotAllowedByListeners"},
		},
	},
	{
		name:      "matchExpressions against declared Namespace labels",
		manifests: routeGateway + serviceYAML("a", "web", 80) + serviceYAML("b", "web", 80) + serviceYAML("c", "web", 80) + httpRoute("a", "r", ", sectionName: expr", "") + httpRoute("b", "r", ", sectionName: expr", "") + httpRoute("c", "r", ", sectionName: expr", ""),
		declared:  "namespaces:\n- {name: a, labels: {env: prod}}\n- {name: b, labels: {env: prod, legacy: 'yes'}}\n- {name: c, labels: {env: dev}}\n",
		want: []want{
			{"parent HTTPRoute a/r 0", "Accepted", True, "Accepted"},
			{"parent HTTPRoute b/r 0", "Accepted", False, "NotAllowedByListeners"},
			{"parent HTTPRoute c/r 0", "Accepted", False, "NotAllowedByListeners"},
		},
	},
	{
		name:      "a selector on labels of an unknown Namespace is Unknown",
		manifests: routeGateway + httpRoute("shop", "r", ", sectionName: team", ""),
		want:      []want{{"parent HTTPRoute shop/r 0", "Accepted", Unknown, "Pending"}},
	},
	{
		name:      "kubernetes.io/metadata.name needs no Namespace object",
		manifests: routeGateway + serviceYAML("blog", "web", 80) + httpRoute("shop", "r", ", sectionName: byname", "") + httpRoute("blog", "r", ", sectionName: byname", ""),
		want: []want{
			{"parent HTTPRoute shop/r 0", "Accepted", True, "Accepted"},
			{"parent HTTPRoute blog/r 0", "Accepted", False, "NotAllowedByListeners"},
		},
	},
	{
		name:      "a kind the listener does not allow",
		manifests: routeGateway + httpRoute("shop", "r", ", sectionName: grpc", "") + routeYAML("TLSRoute", "shop", "t", "parentRefs: [{name: gw, namespace: infra, sectionName: all}], hostnames: [all.example.com], rules: [{backendRefs: [{name: web, port: 80}]}]"),
		want: []want{
			{"parent HTTPRoute shop/r 0", "Accepted", False, "NotAllowedByListeners"},
			{"parent TLSRoute shop/t 0", "Accepted", False, "NotAllowedByListeners"},
		},
	},
	{
		name: "GRPCRoute on HTTP (h2c) is accepted, on a TLS listener it is not",
		manifests: routeGateway + routeYAML("GRPCRoute", "shop", "g", "parentRefs: [{name: gw, namespace: infra, sectionName: grpc}], rules: [{backendRefs: [{name: web, port: 80}]}]") +
			routeYAML("GRPCRoute", "shop", "t", "parentRefs: [{name: gw, namespace: infra, sectionName: tls}], rules: [{backendRefs: [{name: web, port: 80}]}]"),
		want: []want{
			{"parent GRPCRoute shop/g 0", "Accepted", True, "Accepted"},
			{"parent GRPCRoute shop/t 0", "Accepted", False, "NotAllowedByListeners"},
		},
	},
	{
		name:      "GRPCRoute when the declared features lack it",
		manifests: routeGateway + routeYAML("GRPCRoute", "shop", "g", "parentRefs: [{name: gw, namespace: infra, sectionName: grpc}], rules: [{backendRefs: [{name: web, port: 80}]}]"),
		declared:  "features: [TLSRoute]\n",
		want:      []want{{"parent GRPCRoute shop/g 0", "Accepted", Unknown, "Pending"}},
	},
	{
		name: "hostnames that intersect no listener hostname",
		manifests: routeGateway + httpRoute("shop", "r", ", sectionName: all", "other.example.com") + httpRoute("shop", "w", ", sectionName: all", "'*.example.com'") +
			routeYAML("TLSRoute", "shop", "t", "parentRefs: [{name: gw, namespace: infra, sectionName: tls}], hostnames: [www.example.org], rules: [{backendRefs: [{name: web, port: 80}]}]"),
		want: []want{
			{"parent HTTPRoute shop/r 0", "Accepted", False, "NoMatchingListenerHostname"},
			{"parent HTTPRoute shop/w 0", "Accepted", True, "Accepted"},
			{"parent TLSRoute shop/t 0", "Accepted", False, "NoMatchingListenerHostname"},
		},
	},
	{
		name:      "the furthest listener gives the reason: hostname over namespace",
		manifests: routeGateway + httpRoute("shop", "r", "", "nowhere.example.net"),
		want:      []want{{"parent HTTPRoute shop/r 0", "Accepted", False, "NoMatchingListenerHostname"}},
	},
	{
		name:      "sectionName or port that names no listener",
		manifests: routeGateway + httpRoute("shop", "s", ", sectionName: nope", "") + httpRoute("shop", "p", ", port: 81", "") + httpRoute("shop", "sp", ", sectionName: all, port: 443", "") + httpRoute("shop", "ok", ", port: 80", "all.example.com"),
		want: []want{
			{"parent HTTPRoute shop/s 0", "Accepted", False, "NoMatchingParent"},
			{"parent HTTPRoute shop/p 0", "Accepted", False, "NoMatchingParent"},
			{"parent HTTPRoute shop/sp 0", "Accepted", False, "NoMatchingParent"},
			{"parent HTTPRoute shop/ok 0", "Accepted", True, "Accepted"},
		},
	},
	{
		name:      "a parent Gateway neither in the tree nor declared is Unknown",
		manifests: serviceYAML("shop", "web", 80) + routeYAML("HTTPRoute", "shop", "r", "parentRefs: [{name: shared, namespace: platform}], rules: [{backendRefs: [{name: web, port: 80}]}]"),
		want: []want{
			{"parent HTTPRoute shop/r 0", "Accepted", Unknown, "Pending"},
			{"parent HTTPRoute shop/r 0", "ResolvedRefs", True, "ResolvedRefs"},
		},
	},
	{
		name: "a declared Gateway's listeners decide",
		manifests: serviceYAML("shop", "web", 80) + serviceYAML("blog", "web", 80) +
			routeYAML("HTTPRoute", "shop", "r", "parentRefs: [{name: shared, namespace: platform, sectionName: https}], hostnames: [shop.example.com], rules: [{backendRefs: [{name: web, port: 80}]}]") +
			routeYAML("HTTPRoute", "blog", "r", "parentRefs: [{name: shared, namespace: platform, sectionName: https}], hostnames: [blog.example.com], rules: [{backendRefs: [{name: web, port: 80}]}]"),
		declared: "namespaces: [{name: shop, labels: {gateway-access: 'true'}}, {name: blog}]\ngateways:\n- namespace: platform\n  name: shared\n  listeners:\n  - {name: https, port: 443, protocol: HTTPS, hostname: '*.example.com', allowedRoutes: {namespaces: {from: Selector, selector: {matchLabels: {gateway-access: 'true'}}}}}\n",
		want: []want{
			{"parent HTTPRoute shop/r 0", "Accepted", True, "Accepted"},
			{"parent HTTPRoute blog/r 0", "Accepted", False, "NotAllowedByListeners"},
		},
	},
	{
		name:      "a Service parent (mesh) is not checked",
		manifests: serviceYAML("shop", "web", 80) + routeYAML("HTTPRoute", "shop", "r", "parentRefs: [{group: '', kind: Service, name: web}], rules: [{backendRefs: [{name: web, port: 80}]}]"),
		want:      []want{{"parent HTTPRoute shop/r 0", "Accepted", Unknown, "Pending"}},
	},
	{
		name:      "a backend Service neither in the tree nor declared is BackendNotFound",
		manifests: routeGateway + routeYAML("HTTPRoute", "infra", "r", "parentRefs: [{name: gw, sectionName: same}], rules: [{backendRefs: [{name: gone, port: 80}]}]"),
		want: []want{
			{"parent HTTPRoute infra/r 0", "Accepted", True, "Accepted"},
			{"parent HTTPRoute infra/r 0", "ResolvedRefs", False, "BackendNotFound"},
		},
	},
	{
		name: "declared Services resolve, by name or namespace",
		manifests: routeGateway + routeYAML("HTTPRoute", "infra", "r", "parentRefs: [{name: gw, sectionName: same}], rules: [{backendRefs: [{name: api, port: 80}]}]") +
			routeYAML("HTTPRoute", "ext", "r", "parentRefs: [{name: gw, namespace: infra, sectionName: all}], rules: [{backendRefs: [{name: anything, port: 80}]}]"),
		declared: "services: [infra/api, ext/*]\n",
		want: []want{
			{"parent HTTPRoute infra/r 0", "ResolvedRefs", True, "ResolvedRefs"},
			{"parent HTTPRoute ext/r 0", "ResolvedRefs", True, "ResolvedRefs"},
		},
	},
	{
		name: "a backend in another namespace needs a ReferenceGrant",
		manifests: routeGateway + serviceYAML("payments", "api", 80) +
			routeYAML("HTTPRoute", "shop", "none", "parentRefs: [{name: gw, namespace: infra, sectionName: all}], rules: [{backendRefs: [{name: api, namespace: payments, port: 80}]}]") +
			routeYAML("HTTPRoute", "blog", "granted", "parentRefs: [{name: gw, namespace: infra, sectionName: all}], rules: [{backendRefs: [{name: api, namespace: payments, port: 80}]}]") +
			routeYAML("HTTPRoute", "docs", "wrongname", "parentRefs: [{name: gw, namespace: infra, sectionName: all}], rules: [{backendRefs: [{name: api, namespace: payments, port: 80}]}]") +
			"apiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant\nmetadata: {name: blog, namespace: payments}\nspec: {from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: blog}], to: [{group: '', kind: Service, name: api}]}\n---\n" +
			"apiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant\nmetadata: {name: docs, namespace: payments}\nspec: {from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: docs}], to: [{group: '', kind: Service, name: other}]}\n",
		want: []want{
			{"parent HTTPRoute shop/none 0", "ResolvedRefs", False, "RefNotPermitted"},
			{"parent HTTPRoute shop/none 0", "Accepted", True, "Accepted"},
			{"parent HTTPRoute blog/granted 0", "ResolvedRefs", True, "ResolvedRefs"},
			{"parent HTTPRoute docs/wrongname 0", "ResolvedRefs", False, "RefNotPermitted"},
		},
	},
	{
		name: "a grant does not reveal whether the Service exists",
		manifests: routeGateway +
			routeYAML("HTTPRoute", "shop", "r", "parentRefs: [{name: gw, namespace: infra, sectionName: all}], rules: [{backendRefs: [{name: nothing, namespace: payments, port: 80}]}]"),
		want: []want{{"parent HTTPRoute shop/r 0", "ResolvedRefs", False, "RefNotPermitted"}},
	},
	{
		name: "unsupported backend kinds are InvalidKind, ServiceImport is Unknown",
		manifests: routeGateway +
			routeYAML("HTTPRoute", "shop", "bucket", "parentRefs: [{name: gw, namespace: infra, sectionName: all}], rules: [{backendRefs: [{group: storage.example.com, kind: Bucket, name: b}]}]") +
			routeYAML("HTTPRoute", "shop", "import", "parentRefs: [{name: gw, namespace: infra, sectionName: all}], rules: [{backendRefs: [{group: multicluster.x-k8s.io, kind: ServiceImport, name: web, port: 80}]}]"),
		want: []want{
			{"parent HTTPRoute shop/bucket 0", "ResolvedRefs", False, "InvalidKind"},
			{"parent HTTPRoute shop/import 0", "ResolvedRefs", Unknown, "Pending"},
		},
	},
	{
		name: "two parents get their own Accepted and the same ResolvedRefs",
		manifests: routeGateway + routeYAML("HTTPRoute", "shop", "r",
			"parentRefs: [{name: gw, namespace: infra, sectionName: all}, {name: gw, namespace: infra, sectionName: same}], hostnames: [all.example.com, same.example.com], rules: [{backendRefs: [{name: gone, port: 80}]}]"),
		want: []want{
			{"parent HTTPRoute shop/r 0", "Accepted", True, "Accepted"},
			{"parent HTTPRoute shop/r 1", "Accepted", False, "NotAllowedByListeners"},
			{"parent HTTPRoute shop/r 0", "ResolvedRefs", False, "BackendNotFound"},
			{"parent HTTPRoute shop/r 1", "ResolvedRefs", False, "BackendNotFound"},
		},
	},
}

func TestRouteReasons(t *testing.T) { runReasonCases(t, routeCases) }

func TestWarnings(t *testing.T) {
	m := routeGateway + serviceYAML("shop", "canary", 80) + serviceYAML("shop", "ext", 80) +
		"apiVersion: v1\nkind: Service\nmetadata: {name: cname, namespace: shop}\nspec: {type: ExternalName, externalName: example.org}\n---\n" +
		routeYAML("HTTPRoute", "shop", "weights", "parentRefs: [{name: gw, namespace: infra, sectionName: all}], hostnames: [all.example.com], rules: ["+
			"{backendRefs: [{name: web, port: 80, weight: 0}]}, "+
			"{backendRefs: [{name: web, port: 80, weight: 90}, {name: canary, port: 80, weight: 0}]}, "+
			"{matches: [{path: {value: /empty}}]}, "+
			"{backendRefs: [{name: web, port: 8080}, {name: web}, {name: cname, port: 80}]}]") +
		routeYAML("HTTPRoute", "shop", "orphan", "rules: [{backendRefs: [{name: web, port: 80}]}]") +
		routeYAML("GRPCRoute", "shop", "grpc", "parentRefs: [{name: gw, namespace: infra, sectionName: all}], hostnames: [all.example.com], rules: [{backendRefs: [{name: web, port: 80}]}]")
	rep := runYAML(t, m, "")
	var got []string
	for _, w := range rep.Warnings {
		got = append(got, w.Object+" "+w.Field+": "+w.Message)
	}
	all := strings.Join(got, "\n")
	for _, want := range []string{
		"HTTPRoute shop/weights spec.rules[0]: every backendRef has weight 0 (backendRefs[0] (web))",
		"HTTPRoute shop/weights spec.rules[1]: backendRefs[1] (canary) has weight 0 beside backendRefs[0] (web): it receives no traffic",
		"HTTPRoute shop/weights spec.rules[2]: the rule has neither backendRefs nor filters",
		"HTTPRoute shop/weights spec.rules[3].backendRefs[0]: Service shop/web has no port 8080 (ports: 80)",
		"HTTPRoute shop/weights spec.rules[3].backendRefs[1]: the reference to Service shop/web has no port",
		"HTTPRoute shop/weights spec.rules[3].backendRefs[2]: Service shop/cname is of type ExternalName",
		"HTTPRoute shop/orphan spec.parentRefs: the route has no parentRefs",
		"GRPCRoute shop/grpc : attached to cleartext listener all",
		"GRPCRoute shop/grpc spec.hostnames: shares a hostname with HTTPRoute shop/weights on listener all",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("no warning %q in:\n%s", want, all)
		}
	}
	if len(got) != 9 {
		t.Errorf("got %d warnings, want 9:\n%s", len(got), all)
	}
	// Warnings alone do not fail the check.
	if rep.Failed(false) {
		t.Errorf("warnings failed the check: %+v", rep.Summary)
	}
}

func TestBadObjectsAreErrorsNotPanics(t *testing.T) {
	m := "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: gw, namespace: infra}\nspec: {listeners: not-a-list}\n---\n" +
		"apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r, namespace: shop}\nspec: {parentRefs: [{name: [x]}]}\n---\n" +
		"apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: infra}\ndata: {tls.crt: 7}\n---\n" +
		serviceYAML("shop", "web", 80) + serviceYAML("shop", "web", 81) +
		"apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: ok, namespace: infra}\nspec: {gatewayClassName: eg, listeners: [{name: s, port: 443, protocol: HTTPS, tls: {certificateRefs: [{name: s}]}}]}\n"
	rep := runYAML(t, m, "")
	all := strings.Join(rep.Errors, "\n")
	for _, want := range []string{
		"Gateway infra/gw (input.yaml[0])",
		"HTTPRoute shop/r (input.yaml[1])",
		"Secret infra/s (input.yaml[2])",
		"Service shop/web (input.yaml[4]): defined twice, also at input.yaml[3]",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("no error naming %q in:\n%s", want, all)
		}
	}
	// The unreadable Secret is absent, so the listener that uses it is not
	// resolved; the rest of the report is there.
	c, err := conditionAt(rep, "listener infra/ok/s", "ResolvedRefs")
	if err != nil || c.Status != False {
		t.Errorf("listener infra/ok/s: %v %+v", err, c)
	}
	if rep.Summary.Errors != 4 {
		t.Errorf("summary: %+v", rep.Summary)
	}
}
