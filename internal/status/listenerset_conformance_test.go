package status

// listenerSetConformanceCases are the suite's ListenerSet tests
// (conformance/tests/listenerset-*.yaml of sigs.k8s.io/gateway-api/conformance
// v1.6.3), checked by TestConformanceManifests; the expectations are what
// each test's Go file (listenerset-*.go beside the YAML) asserts.
var listenerSetConformanceCases = []conformanceCase{
	{
		file:   "listenerset-allowed-namespace-none.yaml",
		sets:   map[string]int{"gateway-does-not-allow-listenerset": 0},
		expect: []want{{lset(infra, "listenerset-not-allowed"), "Accepted", False, "NotAllowed"}},
	},
	{
		file:   "listenerset-default-not-allowed.yaml",
		sets:   map[string]int{"gateway-default-does-not-allow-listenerset": 0},
		expect: []want{{lset(infra, "listenerset-default-not-allowed"), "Accepted", False, "NotAllowed"}},
	},
	{
		file:   "listenerset-allowed-namespace-same.yaml",
		sets:   map[string]int{"gateway-allows-listenerset-in-same-namespace": 1},
		expect: []want{{lset("gateway-api-listenerset-not-allowed-ns", "listenerset-in-different-namespace"), "Accepted", False, "NotAllowed"}},
	},
	{
		file:   "listenerset-allowed-namespace-selector.yaml",
		sets:   map[string]int{"gateway-allows-listenerset-in-selected-namespace": 1},
		expect: []want{{lset("gateway-api-listenerset-selector-not-allowed-ns", "listenerset-not-in-selected-namespace"), "Accepted", False, "NotAllowed"}},
	},
	{
		file:   "listenerset-allowed-routes-namespaces.yaml",
		sets:   map[string]int{"gateway-with-listener-sets-test-allowed-routes": 2},
		expect: []want{{hr(infra, "route-in-gateway-namespace"), "Accepted", False, "NotAllowedByListeners"}},
		attached: map[string]int{
			lsl(infra, "listenerset-test-allowed-routes-namespaces", "listener-set-listener-allowed-routes-all"):                             3,
			lsl(infra, "listenerset-test-allowed-routes-namespaces", "listener-set-listener-allowed-routes-same"):                            1,
			lsl(infra, "listenerset-test-allowed-routes-namespaces", "listener-set-listener-allowed-routes-selector"):                        1,
			lsl("gateway-api-ls-cross-ns", "listenerset-test-allowed-routes-cross-ns", "listener-set-listener-allowed-routes-cross-ns-same"): 1,
		},
	},
	{
		file: "listenerset-allowed-routes-supported-kinds.yaml",
		expect: []want{{"lslistener " + infra + "/listenerset-test-allowed-routes-supported-kinds/listener-set-listener-allowed-routes-tls-only",
			"ResolvedRefs", False, "InvalidRouteKinds"}},
	},
	{
		file:     "listenerset-dual-parentref-independence.yaml",
		sets:     map[string]int{"gateway-dual-parentref": 1},
		expect:   []want{{hr(infra, "route-dual-parentref-one"), "Accepted", False, "NoMatchingParent"}},
		attached: map[string]int{lsl(infra, "ls-dual-parentref", "ls-dual-parentref-listener"): 2},
	},
	{
		file:   "listenerset-gateway-parent-section-name-not-found.yaml",
		sets:   map[string]int{"gateway-section-name": 1},
		expect: []want{{hr(infra, "route-via-gateway"), "Accepted", False, "NoMatchingParent"}},
	},
	{file: "listenerset-http-routing.yaml", sets: map[string]int{"gateway-with-listener-sets-http-routing": 2}},
	{
		file:     "listenerset-route-status-scoped-to-parentref.yaml",
		sets:     map[string]int{"gateway-parentref": 1},
		attached: map[string]int{lsl(infra, "listenerset-parentref", "listenerset-parentref-listener"): 1},
	},
	{
		file: "listenerset-reference-grant.yaml",
		expect: []want{
			{lset("gateway-api-listener-sets-test-reference-grant-ns", "listenerset-without-reference-grant"), "Accepted", False, "ListenersNotValid"},
			{"lslistener gateway-api-listener-sets-test-reference-grant-ns/listenerset-without-reference-grant/listenerset-without-reference-grant-listener",
				"ResolvedRefs", False, "RefNotPermitted"},
		},
	},
	{
		file: "listenerset-hostname-conflict.yaml",
		sets: map[string]int{"gateway-with-listenerset-hostname-conflict": 2},
		expect: append(conflicted("HostnameConflict",
			"listenerset-with-hostname-conflict-with-gateway-1/hostname-conflict-with-gateway-listener",
			"listenerset-with-hostname-conflict-with-gateway-2/hostname-conflict-with-gateway-listener",
			"listenerset-with-hostname-conflict-with-listener-set-1/hostname-conflict-with-listener-set-listener",
			"listenerset-with-hostname-conflict-with-listener-set-2/hostname-conflict-with-listener-set-listener"),
			want{lset(infra, "listenerset-with-hostname-conflict-with-gateway-2"), "Accepted", False, "ListenersNotValid"},
			want{lset(infra, "listenerset-with-hostname-conflict-with-listener-set-2"), "Accepted", False, "ListenersNotValid"}),
	},
	{
		file: "listenerset-protocol-conflict.yaml",
		sets: map[string]int{"gateway-with-listenerset-protocol-conflict": 2},
		expect: append(conflicted("ProtocolConflict",
			"listenerset-with-protocol-conflict-with-gateway-1/protocol-conflict-with-gateway-listener",
			"listenerset-with-protocol-conflict-with-gateway-2/protocol-conflict-with-gateway-listener",
			"listenerset-with-protocol-conflict-with-listener-set-1/protocol-conflict-with-listener-set-listener",
			"listenerset-with-protocol-conflict-with-listener-set-2/protocol-conflict-with-listener-set-listener"),
			want{lset(infra, "listenerset-with-protocol-conflict-with-gateway-2"), "Accepted", False, "ListenersNotValid"},
			want{lset(infra, "listenerset-with-protocol-conflict-with-listener-set-2"), "Accepted", False, "ListenersNotValid"}),
	},
}

func lset(ns, name string) string { return "listenerset " + ns + "/" + name }

// lsl names a ListenerSet listener for the attached map (listenerAt).
func lsl(ns, set, listener string) string { return "listener ls:" + ns + "/" + set + "/" + listener }

// conflicted: each listener (set/listener in infra) is Accepted False and
// Conflicted True with reason; the listeners before it keep precedence.
func conflicted(reason string, listeners ...string) []want {
	var out []want
	for _, l := range listeners {
		at := "lslistener " + infra + "/" + l
		out = append(out, want{at, "Accepted", False, reason}, want{at, "Conflicted", True, reason})
	}
	return out
}
