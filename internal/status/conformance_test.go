package status

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/routeshift/routeshift/internal/load"
)

// The Gateway API conformance suite's manifests (v1.6.3, copied into
// testdata/check/conformance, see its README.md) are checked as the suite
// applies them: base/manifests.yaml plus one test's YAML, with the Secrets
// the suite creates at run time declared. Every Accepted and ResolvedRefs
// condition of every Gateway, listener and route parent must be True and
// every listener unconflicted, except the results listed, which are what
// the test's Go code asserts (the expectations quote its reasons).
const conformanceDir = "../../testdata/check/conformance"

type conformanceCase struct {
	file     string
	features string // a declared features line, when the test depends on them
	expect   []want
	kinds    map[string]string // listener → supportedKinds, as the test asserts
	attached map[string]int    // listener → attachedRoutes, as the test asserts
	sets     map[string]int    // Gateway name (in infra) → attachedListenerSets, as the test asserts
}

const (
	infra = "gateway-conformance-infra"
	web   = "gateway-conformance-web-backend"
)

func l(gw, listener string) string { return "listener " + infra + "/" + gw + "/" + listener }
func gw(name string) string        { return "gateway " + infra + "/" + name }
func hr(ns, name string) string    { return "parent HTTPRoute " + ns + "/" + name + " 0" }
func tr(name string) string        { return "parent TLSRoute " + infra + "/" + name + " 0" }

var conformanceCases = []conformanceCase{
	// Accepted everywhere (the tests call GatewayAndHTTPRoutesMustBeAccepted
	// or the GRPC/TLS equivalents, or assert listener conditions True).
	{file: "httproute-simple-same-namespace.yaml"},
	{file: "httproute-matching.yaml"},
	{file: "httproute-matching-across-routes.yaml"},
	{file: "httproute-cross-namespace.yaml"},
	{file: "httproute-listener-hostname-matching.yaml"},
	{file: "httproute-listener-port-matching.yaml"},
	{file: "httproute-exact-path-matching.yaml"},
	{file: "httproute-path-match-order.yaml"},
	{file: "httproute-header-matching.yaml"},
	{file: "httproute-query-param-matching.yaml"},
	{file: "httproute-method-matching.yaml"},
	{file: "httproute-redirect-host-and-status.yaml"},
	{file: "httproute-rewrite-path.yaml"},
	{file: "httproute-request-header-modifier.yaml"},
	{file: "httproute-request-mirror.yaml"},
	{file: "httproute-timeout-request.yaml"},
	{file: "httproute-weight.yaml"},
	{file: "httproute-reference-grant.yaml"},
	{file: "httproute-https-listener.yaml"},
	{file: "httproute-multiple-gateways.yaml"},
	{file: "httproute-omitted-backendrefs.yaml"},
	{file: "httproute-service-types.yaml"},
	{file: "gateway-modify-listeners.yaml"},
	{file: "gateway-http-listener-isolation.yaml"},
	{file: "gateway-secret-reference-grant-all-in-namespace.yaml"},
	{file: "gateway-secret-reference-grant-specific.yaml"},
	{file: "grpcroute-exact-method-matching.yaml"},
	{file: "grpcroute-header-matching.yaml"},
	{file: "grpcroute-listener-hostname-matching.yaml"},
	{file: "grpcroute-weight.yaml"},
	{file: "tlsroute-simple-same-namespace.yaml"},
	{file: "tlsroute-hostname-intersection.yaml"},
	{
		file: "tlsroute-listener-terminate-supported-kinds.yaml", features: "features: [TLSRoute, TLSRouteModeTerminate]",
		kinds: map[string]string{l("gateway-tlsroute-terminate-supported", "tls-terminate"): "TLSRoute"},
	},
	{
		file: "tlsroute-mixed-termination-same-namespace.yaml", features: "features: [TLSRoute, TLSRouteModeTerminate, TLSRouteModeMixed]",
		attached: map[string]int{l("gateway-tlsroute-mixed-termination", "tls-terminate"): 1, l("gateway-tlsroute-mixed-termination", "tls-passthrough"): 1},
	},

	// Accepted with some routes rejected, or rejected.
	{
		file:   "httproute-hostname-intersection.yaml",
		expect: []want{{hr(infra, "no-intersecting-hosts"), "Accepted", False, "NoMatchingListenerHostname"}},
	},
	{
		file: "gateway-with-attached-routes.yaml",
		expect: []want{
			{hr(infra, "http-route-not-accepted"), "Accepted", False, "NoMatchingListenerHostname"},
			// The test accepts any reason for these three.
			{l("unresolved-gateway-with-one-attached-unresolved-route", "tls"), "ResolvedRefs", False, "InvalidCertificateRef"},
			{l("unresolved-gateway-with-one-attached-unresolved-route", "tls"), "Programmed", False, "Invalid"},
			{gw("unresolved-gateway-with-one-attached-unresolved-route"), "ResolvedRefs", False, "ListenersNotResolved"},
			{hr(infra, "http-route-4"), "ResolvedRefs", False, "BackendNotFound"},
		},
		attached: map[string]int{
			l("gateway-with-one-attached-route", "http"): 1, l("gateway-with-two-attached-routes", "http"): 2,
			l("unresolved-gateway-with-one-attached-unresolved-route", "tls"): 1,
		},
		kinds: map[string]string{l("gateway-with-one-attached-route", "http"): "HTTPRoute"},
	},
	{
		file:   "httproute-invalid-cross-namespace-backend-ref.yaml",
		expect: []want{{hr(infra, "invalid-cross-namespace-backend-ref"), "ResolvedRefs", False, "RefNotPermitted"}},
	},
	{
		file:   "httproute-invalid-nonexistent-backendref.yaml",
		expect: []want{{hr(infra, "invalid-nonexistent-backend-ref"), "ResolvedRefs", False, "BackendNotFound"}},
	},
	{
		file:   "httproute-invalid-backendref-unknown-kind.yaml",
		expect: []want{{hr(infra, "invalid-backend-ref-unknown-kind"), "ResolvedRefs", False, "InvalidKind"}},
	},
	{
		file:   "httproute-invalid-reference-grant.yaml",
		expect: []want{{hr(infra, "reference-grant"), "ResolvedRefs", False, "RefNotPermitted"}},
	},
	{
		file:   "httproute-partially-invalid-via-invalid-reference-grant.yaml",
		expect: []want{{hr(infra, "invalid-reference-grant"), "ResolvedRefs", False, "RefNotPermitted"}},
	},
	{
		file:   "httproute-invalid-cross-namespace-parent-ref.yaml",
		expect: []want{{hr(web, "invalid-cross-namespace-parent-ref"), "Accepted", False, "NotAllowedByListeners"}},
	},
	{
		file:   "httproute-disallowed-kind.yaml",
		expect: []want{{hr(infra, "disallowed-kind"), "Accepted", False, "NotAllowedByListeners"}},
	},
	{
		file:   "httproute-invalid-parentref-not-matching-listener-port.yaml",
		expect: []want{{hr(infra, "httproute-listener-not-matching-route-port"), "Accepted", False, "NoMatchingParent"}},
	},
	{
		file:   "httproute-invalid-parentref-not-matching-section-name.yaml",
		expect: []want{{hr(infra, "httproute-listener-not-matching-section-name"), "Accepted", False, "NoMatchingParent"}},
	},
	{
		file:   "httproute-invalid-parentref-section-name-not-matching-port.yaml",
		expect: []want{{hr(infra, "httproute-listener-section-name-not-matching-port"), "Accepted", False, "NoMatchingParent"}},
	},
	{
		file: "gateway-invalid-listeners-unsupported-protocol.yaml",
		expect: []want{
			{gw("gateway-only-unsupported-protocols"), "Accepted", False, "ListenersNotValid"},
			{l("gateway-only-unsupported-protocols", "invalid"), "Accepted", False, "UnsupportedProtocol"},
			{gw("gateway-supported-and-unsupported-protocols"), "Accepted", True, "ListenersNotValid"},
			{l("gateway-supported-and-unsupported-protocols", "http"), "Accepted", True, "Accepted"},
			{l("gateway-supported-and-unsupported-protocols", "invalid"), "Accepted", False, "UnsupportedProtocol"},
		},
	},
	{
		file: "gateway-invalid-route-kind.yaml",
		expect: []want{
			{l("gateway-only-invalid-route-kind", "http"), "ResolvedRefs", False, "InvalidRouteKinds"},
			{l("gateway-supported-and-invalid-route-kind", "http"), "ResolvedRefs", False, "InvalidRouteKinds"},
			{gw("gateway-only-invalid-route-kind"), "ResolvedRefs", False, "ListenersNotResolved"},
			{gw("gateway-supported-and-invalid-route-kind"), "ResolvedRefs", False, "ListenersNotResolved"},
		},
		kinds: map[string]string{
			l("gateway-only-invalid-route-kind", "http"):          "",
			l("gateway-supported-and-invalid-route-kind", "http"): "HTTPRoute",
		},
	},
	{
		file: "gateway-invalid-tls-configuration.yaml",
		expect: []want{
			{l("gateway-certificate-nonexistent-secret", "https"), "ResolvedRefs", False, "InvalidCertificateRef"},
			{l("gateway-certificate-unsupported-group", "https"), "ResolvedRefs", False, "InvalidCertificateRef"},
			{l("gateway-certificate-unsupported-kind", "https"), "ResolvedRefs", False, "InvalidCertificateRef"},
			{l("gateway-certificate-malformed-secret", "https"), "ResolvedRefs", False, "InvalidCertificateRef"},
			{gw("gateway-certificate-nonexistent-secret"), "ResolvedRefs", False, "ListenersNotResolved"},
			{gw("gateway-certificate-unsupported-group"), "ResolvedRefs", False, "ListenersNotResolved"},
			{gw("gateway-certificate-unsupported-kind"), "ResolvedRefs", False, "ListenersNotResolved"},
			{gw("gateway-certificate-malformed-secret"), "ResolvedRefs", False, "ListenersNotResolved"},
		},
	},
	{
		file: "gateway-secret-invalid-reference-grant.yaml",
		expect: []want{
			{l("gateway-secret-invalid-reference-grant", "https"), "ResolvedRefs", False, "RefNotPermitted"},
			{gw("gateway-secret-invalid-reference-grant"), "ResolvedRefs", False, "ListenersNotResolved"},
		},
	},
	{
		file: "gateway-secret-missing-reference-grant.yaml",
		expect: []want{
			{l("gateway-secret-missing-reference-grant", "https"), "ResolvedRefs", False, "RefNotPermitted"},
			{gw("gateway-secret-missing-reference-grant"), "ResolvedRefs", False, "ListenersNotResolved"},
		},
	},
	{
		file: "tlsroute-invalid-no-matching-listener.yaml",
		expect: []want{
			{tr("tlsroute-not-allowed-protocol-http"), "Accepted", False, "NotAllowedByListeners"},
			{tr("tlsroute-not-allowed-protocol-https"), "Accepted", False, "NotAllowedByListeners"},
			{tr("tlsroute-no-matching-section-name"), "Accepted", False, "NoMatchingParent"},
		},
	},
	{
		file: "tlsroute-invalid-no-matching-listener-hostname.yaml",
		expect: []want{
			{tr("tlsroute-hostname-mismatch-1"), "Accepted", False, "NoMatchingListenerHostname"},
			{tr("tlsroute-hostname-mismatch-2"), "Accepted", False, "NoMatchingListenerHostname"},
		},
	},
	{
		file:   "tlsroute-invalid-backendref-nonexistent.yaml",
		expect: []want{{tr("invalid-backend-ref-nonexistent"), "ResolvedRefs", False, "BackendNotFound"}},
	},
	{
		file:   "tlsroute-invalid-backendref-unknown-kind.yaml",
		expect: []want{{tr("invalid-backend-ref-unknown-kind"), "ResolvedRefs", False, "InvalidKind"}},
	},
	{
		file:   "tlsroute-invalid-reference-grant.yaml",
		expect: []want{{tr("gateway-conformance-infra-test"), "ResolvedRefs", False, "RefNotPermitted"}},
	},
	{
		file: "tlsroute-listener-passthrough-supported-kinds.yaml",
		expect: []want{
			{l("gateway-tlsroute-passthrough-supported-kind", "tls-passthrough"), "ResolvedRefs", False, "InvalidRouteKinds"},
			{gw("gateway-tlsroute-passthrough-supported-kind"), "ResolvedRefs", False, "ListenersNotResolved"},
		},
		kinds: map[string]string{l("gateway-tlsroute-passthrough-supported-kind", "tls-passthrough"): "TLSRoute"},
	},
	{
		file: "tlsroute-listener-terminate-not-supported.yaml", features: "features: [TLSRoute]",
		expect: []want{
			{l("gateway-tlsroute-terminate-unsupported", "tls-terminate"), "Accepted", False, "UnsupportedValue"},
			{gw("gateway-tlsroute-terminate-unsupported"), "Accepted", False, "ListenersNotValid"},
		},
	},
	{
		file: "tlsroute-listener-mixed-termination-not-supported.yaml", features: "features: [TLSRoute, TLSRouteModeTerminate]",
		expect: []want{
			{l("gateway-tlsroute-mixed-termination-not-supported", "tls-terminate"), "Accepted", False, "ProtocolConflict"},
			{l("gateway-tlsroute-mixed-termination-not-supported", "tls-passthrough"), "Accepted", False, "ProtocolConflict"},
			{l("gateway-tlsroute-mixed-termination-not-supported", "tls-terminate"), "Conflicted", True, "ProtocolConflict"},
			{l("gateway-tlsroute-mixed-termination-not-supported", "tls-passthrough"), "Conflicted", True, "ProtocolConflict"},
			{gw("gateway-tlsroute-mixed-termination-not-supported"), "Accepted", False, "ListenersNotValid"},
		},
	},
}

func TestConformanceManifests(t *testing.T) {
	declared, err := os.ReadFile(filepath.Join(conformanceDir, "declared.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	base := filepath.Join(conformanceDir, "base", "manifests.yaml")
	used := map[string]bool{}
	for _, tc := range append(conformanceCases, listenerSetConformanceCases...) {
		used[tc.file] = true
		t.Run(strings.TrimSuffix(tc.file, ".yaml"), func(t *testing.T) {
			objs, err := load.ReadPaths([]string{base, filepath.Join(conformanceDir, "tests", tc.file)}, nil)
			if err != nil {
				t.Fatal(err)
			}
			d, err := ParseDeclared(append(append([]byte{}, declared...), "\n"+tc.features+"\n"...), "declared.yaml")
			if err != nil {
				t.Fatal(err)
			}
			rep := Run(objs, d)
			if len(rep.Errors) > 0 {
				t.Fatalf("errors: %v", rep.Errors)
			}
			expected := map[string]want{}
			for _, w := range tc.expect {
				expected[w.at+" "+w.typ] = w
				c, err := conditionAt(rep, w.at, w.typ)
				if err != nil {
					t.Error(err)
				} else if c.Status != w.status || c.Reason != w.reason {
					t.Errorf("%s %s: got %s %s (%s), the suite expects %s %s", w.at, w.typ, c.Status, c.Reason, c.Message, w.status, w.reason)
				}
			}
			for _, u := range unexpected(rep, expected) {
				t.Error(u)
			}
			for path, kinds := range tc.kinds {
				if got := listenerAt(rep, strings.TrimPrefix(path, "listener ")); got == nil || strings.Join(got.SupportedKinds, ",") != kinds {
					t.Errorf("%s: supportedKinds %+v, the suite expects [%s]", path, got, kinds)
				}
			}
			for name, n := range tc.sets {
				found := false
				for _, g := range rep.Gateways {
					if g.Namespace == infra && g.Name == name {
						found = true
						if g.AttachedListenerSets != n {
							t.Errorf("Gateway %s: %d attached ListenerSets, the suite expects %d", name, g.AttachedListenerSets, n)
						}
					}
				}
				if !found {
					t.Errorf("no Gateway %s", name)
				}
			}
			for path, n := range tc.attached {
				if got := listenerAt(rep, strings.TrimPrefix(path, "listener ")); got == nil || got.AttachedRoutes != n {
					t.Errorf("%s: %+v, the suite expects %d attached routes", path, got, n)
				}
			}
		})
	}
	// Every copied test file is checked.
	files, _ := filepath.Glob(filepath.Join(conformanceDir, "tests", "*.yaml"))
	for _, f := range files {
		if !used[filepath.Base(f)] {
			t.Errorf("%s is in testdata but not in conformanceCases", f)
		}
	}
}

// unexpected lists the gate conditions that are not True and the listeners
// that are conflicted, apart from the expected ones.
func unexpected(rep Report, expected map[string]want) []string {
	var out []string
	check := func(at string, cs []Condition) {
		for _, c := range cs {
			bad := (isGate(c.Type) && c.Status != True) || (c.Type == condConflicted && c.Status != False)
			if _, ok := expected[at+" "+c.Type]; bad && !ok {
				out = append(out, fmt.Sprintf("unexpected: %s %s %s %s: %s", at, c.Type, c.Status, c.Reason, c.Message))
			}
		}
	}
	for _, g := range rep.Gateways {
		check("gateway "+g.Namespace+"/"+g.Name, g.Conditions)
		for _, l := range g.Listeners {
			check("listener "+g.Namespace+"/"+g.Name+"/"+l.Name, l.Conditions)
		}
	}
	for _, ls := range rep.ListenerSets {
		check("listenerset "+ls.Namespace+"/"+ls.Name, ls.Conditions)
		for _, l := range ls.Listeners {
			check("lslistener "+ls.Namespace+"/"+ls.Name+"/"+l.Name, l.Conditions)
		}
	}
	for _, r := range rep.Routes {
		for i, p := range r.Parents {
			check(fmt.Sprintf("parent %s %s/%s %d", r.Kind, r.Namespace, r.Name, i), p.Conditions)
		}
	}
	sort.Strings(out)
	return out
}

// The base Gateway with four HTTPS listeners on one port has overlapping
// hostnames, which GEP-3567 requires controllers to report; it is the only
// condition the base manifests raise.
func TestConformanceBaseOverlappingTLS(t *testing.T) {
	objs, err := load.ReadPaths([]string{filepath.Join(conformanceDir, "base", "manifests.yaml")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	d, err := ReadDeclared(filepath.Join(conformanceDir, "declared.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	rep := Run(objs, d)
	for _, name := range []string{"https", "https-with-hostname", "https-with-wildcard-hostname", "https-with-hostname-matching-wildcard"} {
		at := l("same-namespace-with-https-listener", name)
		if c, err := conditionAt(rep, at, condOverlapping); err != nil || c.Status != True {
			t.Errorf("%s: %v %+v", at, err, c)
		}
	}
	if u := unexpected(rep, nil); len(u) > 0 || rep.Summary.Failed+rep.Summary.Unknown > 0 || len(rep.Warnings) > 0 {
		t.Errorf("base manifests: %v %+v %v", u, rep.Summary, rep.Warnings)
	}
}
