// Package istio translates ingress-nginx annotations into Istio resources
// (security.istio.io/v1 AuthorizationPolicy and networking.istio.io/v1
// DestinationRule, checked against the istio.io/api v1.31.1 CRDs) for
// Istio's Gateway API support.
//
// Istio has no policy that attaches to an HTTPRoute, so unlike the other
// implementations nothing here targets the Ingress's routes:
//
//   - Source ranges become one AuthorizationPolicy per Gateway the routes
//     attach to, in the Gateway's namespace (Istio refuses cross-namespace
//     targetRefs), named "<ingress namespace>.<ingress>.<gateway>" so that
//     Ingresses of several namespaces sharing a Gateway never collide. Seen
//     from a Gateway, a policy covers every route on it, so each rule is
//     scoped to the Ingress's hosts and paths (Route.Hostnames and
//     Route.Paths), and the action is always DENY: one ALLOW policy on a
//     shared Gateway would deny every request it does not name, on every
//     other route. The allowlist is a rule denying the addresses outside it
//     (notRemoteIpBlocks), the denylist one denying its addresses.
//   - Load balancing and cookie affinity become one DestinationRule per
//     Service the routes forward to (Route.Backends), named after the
//     Service and in its namespace. ingress-nginx keeps these settings per
//     upstream, a Service port shared by every Ingress using it, so a
//     Service-wide object is the faithful scope at the gateway; but a
//     DestinationRule also applies to every sidecar calling the Service,
//     which the Notes say. Its Object.Shared lists the annotations it
//     carries, so that the converter emits one per Service and reports two
//     Ingresses asking different settings instead of picking one.
//
// Where the scope cannot be as narrow as nginx's location it is wider,
// never narrower, and a finding says where: a route matching regular
// expressions is covered on its whole host, a catch-all route on every host
// of its Gateway, a wildcard hostname with a port in the Host header on
// ports 80 and 443 only. Access control fails closed: an allowlist or
// denylist that does not parse denies every client in the Ingress's scope,
// as ingress-nginx denies the location, with an error finding.
//
// Values go through the strict parsers of internal/value, as for the other
// vendors; what Istio cannot carry without an EnvoyFilter or a Wasm plugin
// (body size, rate limits, basic authentication) or without mesh
// configuration (external authorization) is explained by Unsupported().
package istio
