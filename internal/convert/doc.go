// Package convert is the converter half of routeshift: everything that turns
// ingress-nginx Ingresses into Gateway API objects lives below it, and
// nothing below it is used by the proof (internal/proof).
//
// Data flows one way, read → model → emit:
//
//   - ingressnginx models what the controller serves for a set of Ingresses
//     (servers, locations, canaries, redirects), from manifests read by
//     internal/load;
//   - gatewayapi turns that model into Gateways, HTTPRoutes, GRPCRoutes,
//     TLSRoutes, ReferenceGrants and BackendTLSPolicies aimed at the
//     configured targets;
//   - implementations carries what the standard API cannot, as one vendor's
//     policies (Envoy Gateway, kgateway, Istio, NGINX Gateway Fabric);
//   - features names the Gateway API features the emitted objects use and
//     knows, from conformance reports, which each release of an
//     implementation supports, adapting the objects to an older release.
//
// Package fn (the KRM function and `routeshift convert`) drives the three.
// The semantics they rely on are written down in docs/semantics.md, and
// the less obvious translations in docs/conversion.md.
package convert
