// Package gatewayapi turns the model of what ingress-nginx serves
// (package ingressnginx) into Gateway API objects aimed at configured
// Gateway targets.
//
// The shape of the output follows from routing, not from the Ingress text:
//
//   - One HTTPRoute per Ingress and host, in the Ingress's namespace, so
//     backends need no ReferenceGrant and every route names one source.
//   - A host with a certificate gets its routes on an HTTPS listener. Its
//     plain-HTTP side answers with 308 to https wherever ingress-nginx would
//     (ssl-redirect, force-ssl-redirect, the acme-challenge exemption); when
//     the two sides differ they are two routes, one per listener.
//   - Rules group the paths that share an action; Exact and PathPrefix
//     matches keep ingress-nginx's non-regex precedence (exact first, then
//     the longest prefix) because Gateway API orders matches the same way.
//   - Rewrites: a capture group taking the whole remainder after a literal
//     prefix is a PathPrefix with ReplacePrefixMatch, its differences from
//     nginx warned per path (rewrite.go); with an implementation's regex
//     rewrite (Options.RegexRewrite: Envoy Gateway's HTTPRouteFilter) every
//     rewrite is exact (extfilter.go).
//   - Conflicts were resolved in the model, oldest Ingress first, so no
//     generated route relies on Gateway API's creation-time tie-break.
//   - API limits are respected by splitting deterministically: 16 rules,
//     64 matches per rule and 128 per route; 64 listeners per Gateway.
//
// Targets either create a Gateway (with exactly the listeners and
// allowedRoutes its routes need, and ReferenceGrants for certificates in
// other namespaces) or attach to an existing one through configured section
// names. A listener the existing Gateway lacks is reported, not invented.
// A created target with ListenerSets: perNamespace keeps only the HTTP
// listener on its Gateway and gives each namespace owning TLS hosts a
// ListenerSet with their listeners and certificates (listenersets.go).
package gatewayapi
