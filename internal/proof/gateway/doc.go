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
// method, headers) before HTTPRoutes (not in Envoy Gateway: see below).
// Then filters: RequestRedirect (scheme, hostname, path, port rules and
// the 302 default), URLRewrite (hostname,
// ReplaceFullPath, ReplacePrefixMatch with its trailing-slash table),
// request and response header modifiers; then backendRefs: weights as
// proportions, cross-namespace refs only with a ReferenceGrant, invalid refs
// answering 500 for their share, a rule without backendRefs 500, no match
// 404.
//
// Unverifiable: a RegularExpression match a request satisfies among the
// routes of its hostname or a more specific one (dialect and precedence are
// implementation-specific; the reason then says what each implementation
// below answers), ExtensionRef and ExternalAuth filters, and weighted splits
// whose backends carry different filters.
//
// # Implementations
//
// Options.Implementation (diff --implementation) evaluates what the
// specification leaves open the way one implementation does. All four put a
// hostname's routes into one virtual host (Envoy) or server (nginx) and
// choose it first: the exact hostname, else the wildcard with the longest
// suffix (any number of labels), else the routes without hostnames; a
// request its virtual host does not match gets 404, with no fall-through to
// wildcard or host-less routes (Envoy Gateway
// internal/xds/translator/translator.go, one VirtualHost per
// ir.HTTPRoute.Hostname, v1.9.0; hostnames narrowed to the listener's by
// internal/gatewayapi/helpers.go computeHosts). Within it, ties everywhere
// fall to the oldest route, then namespace/name, then rule and match order.
//
//   - envoy-gateway (v1.8.0, v1.9.0 and v1.9.1, internal/gatewayapi/sort.go,
//     identical but for a comment): Exact > RegularExpression > PathPrefix,
//     then the length of the path value as written ("/" counts 0), then the
//     number of header matches (a method is a ":method" header match,
//     route.go), then of exact ones, then of query matches and exact ones;
//     the first match in that order wins. RE2, matching the whole path
//     (Envoy safe_regex), header and query values whole. An ExtensionRef
//     to an Envoy Gateway HTTPRouteFilter that only rewrites the path by
//     regex (ReplaceRegexMatch, the converter's capture-group rewrites) is
//     applied as Envoy's regex_rewrite (egfilter.go); other vendor filters
//     stay unverifiable.
//     ReplacePrefixMatch is Envoy's prefix_rewrite of the prefix Envoy
//     matched, not the specification's table where they differ: under
//     PathPrefix "/", "/app" makes "/x" "/appx"; a redirect keeps the
//     replacement's trailing "/"; "" and "/" are a regex rewrite of the
//     prefix as written (egReplacePrefix; internal/xds/translator/route.go
//     buildXdsURLRewriteAction, v1.8.0 and v1.9.1).
//     GRPCRoute matches join the same list as path matches (a service
//     alone is the path-separated prefix "/<service>", a method alone a
//     ":path" suffix header match; route.go processGRPCRouteMethodExact),
//     for any request, after the HTTPRoutes' where the sort ties
//     (translator.go translates HTTPRoutes first); no content-type match.
//     This model is checked against Envoy Gateway's own translator:
//     TestEnvoyGatewayTranslator (egctl_test.go) runs `egctl x translate`
//     of v1.8.0 and v1.9.1 (built by `make egctl`) over the output of every
//     standard and envoy-gateway golden case with a cluster's stubs,
//     requires every object Accepted (or a refusal its table lists, which
//     must still happen), and compares each virtual host egctl prints with
//     the model: the order of the routes, and the route (or 404) that
//     requests derived from each route, and one no route takes, get.
//     (egctl's reader drops creation timestamps, so route age is not
//     checked there; namespace/name is.)
//   - istio (1.29.6, pilot/pkg/config/kube/gateway/conversion.go
//     sortHTTPRoutes, getURIRank, getURILength; per-host VirtualServices in
//     route_collections.go): Exact > PathPrefix > RegularExpression, then
//     length (a PathPrefix without its trailing "/"), a method, header
//     count, query count. RE2 over the whole value, as Envoy.
//   - kgateway (kgateway-dev/kgateway at 06ff8b9,
//     internal/kgateway/translator/routeutils/sortable_route.go): Exact >
//     RegularExpression > PathPrefix, Exact and PathPrefix by length as
//     written, regexes not by length, then a method, header count, query
//     count. RE2 over the whole value.
//   - nginx-gateway-fabric (v2.6.7, internal/controller/nginx/config
//     servers.go createPath and initializeExternalLocations,
//     state/dataplane/sort.go, modules/src/httpmatches.js): one nginx
//     location per path and type ("= P"; "P/" plus "= P" for a PathPrefix
//     without trailing slash, unless a rule writes either; "~ ^R" in order of
//     length, then text). nginx takes "= P", else the first regex that
//     matches (it wins over any prefix), else the longest prefix; then the
//     matches of that location in order (method, header count, query count,
//     route age) decide, and none matching is 404. Regexes are PCRE anchored
//     at the start only: Go's regexp decides where the pattern and path are
//     ASCII and avoid the escapes that differ (pcreSafe), else unverifiable;
//     header and query regexes (tested in njs) and "/P" under a PathPrefix
//     "P/" (nginx may redirect) are unverifiable.
//
// Matches are indexed by exact path, prefix and the literal beginning of a
// regex (matchIndex, ngfIndex), so that a request costs the matches its path
// can satisfy, not every match of its host.
// Not modelled: CORS responses, mirrors (their responses are ignored
// anyway), timeouts, retries, session persistence, TLS details such as
// certificate references and SNI/Host mismatches (421).
//
// ListenerSets attach to their Gateway as listenersets.go says: their
// listeners join the Gateway's address after its own, and routes reach
// them through parentRefs of kind ListenerSet.
package gateway
