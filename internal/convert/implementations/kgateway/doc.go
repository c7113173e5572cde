// Package kgateway translates ingress-nginx annotations into kgateway
// (gateway.kgateway.dev/v1alpha1, checked against v2.2.0) policies.
//
// An Ingress gets at most one TrafficPolicy, named after it and attached
// with targetRefs to its HTTPRoutes: body size (buffer), timeouts, retries,
// basic authentication and external authentication. External
// authentication also needs a GatewayExtension "<ingress>-ext-auth" that
// names the auth Service (and a ReferenceGrant next to the Service when it
// is in another namespace); basic authentication references the
// ingress-nginx Secret itself when kgateway can read it, or a generated
// "<ingress>-htpasswd" copy in the one format Envoy reads.
//
// Less translates than for Envoy Gateway, for reasons kgateway's API sets:
// its local rate limit is one bucket for all clients (nginx counts per
// client), and connect timeouts and load balancing live in
// BackendConfigPolicy, which applies to a Service for every route using it.
// Unsupported() says so per annotation. Access control fails closed, as in
// package envoygateway: kgateway replaces a route whose policy fails with a
// 500 answer, so a basicAuth section that references a missing Secret denies
// rather than opens.
package kgateway
