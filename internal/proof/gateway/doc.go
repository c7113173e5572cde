// Package gateway is the Gateway API half of routeshift's semantic check: a
// model of what a conformant implementation does with a request, written
// from the specification (the Go doc comments of sigs.k8s.io/gateway-api
// v1.6; docs/semantics.md §2) and checked against the
// conformance suite's own expectations (conformance_test.go, 182 cases).
//
// Build takes Gateways (all, or the named ones), HTTPRoutes, GRPCRoutes,
// ReferenceGrants, Services and Namespaces. Routes attach through parentRefs
// (Gateway, sectionName, port) to listeners that admit their namespace
// (Same, All, or a Selector matched against the Namespace's labels plus
// kubernetes.io/metadata.name) and kind, when hostnames intersect. A Gateway
// that routes name but the manifests do not hold is assumed (see assume),
// so that a pull request editing only HTTPRoutes can be checked; a note in
// the report says so.
//
// Evaluate picks the most specific listener for the port and Host (exact,
// longest wildcard, none), then, across every rule of every attached route,
// the best match: the route's most specific matching hostname, an Exact
// path, the longest PathPrefix (element-wise), a method, the most headers,
// the most query parameters, the oldest route, namespace/name, rule order.
// gRPC requests (content-type application/grpc) go to GRPCRoutes (service,
// method, headers) before HTTPRoutes. Then filters: RequestRedirect (scheme,
// hostname, path, port rules and the 302 default), URLRewrite (hostname,
// ReplaceFullPath, ReplacePrefixMatch with its trailing-slash table),
// request and response header modifiers; then backendRefs: weights as
// proportions, cross-namespace refs only with a ReferenceGrant, invalid refs
// answering 500 for their share, a rule without backendRefs 500, no match
// 404.
//
// Unverifiable: any RegularExpression match a request satisfies (dialect
// and precedence are implementation-specific), ExtensionRef and ExternalAuth
// filters, and weighted splits whose backends carry different filters.
// Not modelled: CORS responses, mirrors (their responses are ignored
// anyway), timeouts, retries, session persistence, TLS details such as
// certificate references and SNI/Host mismatches (421).
//
// ListenerSets attach to their Gateway as listenersets.go says: their
// listeners join the Gateway's address after its own, and routes reach
// them through parentRefs of kind ListenerSet.
package gateway
