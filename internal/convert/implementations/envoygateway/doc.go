// Package envoygateway translates ingress-nginx annotations into Envoy
// Gateway (gateway.envoyproxy.io/v1alpha1, checked against v1.9.1) policies.
//
// Envoy Gateway applies at most one policy of each kind to a route, so an
// Ingress gets at most one BackendTrafficPolicy (body size, timeouts, rate
// limits, retries, load balancing and cookie affinity) and one
// SecurityPolicy (source ranges, basic and external authentication), both
// named after the Ingress and attached with targetRefs to its HTTPRoutes.
// Two helper objects appear when a policy needs them: a Secret
// "<ingress>-htpasswd" holding the basic-auth users in the one format Envoy
// Gateway reads, and a ReferenceGrant next to an auth Service in another
// namespace.
//
// The translation is conservative where it matters:
//
//   - Access control fails closed. An allowlist that does not parse denies
//     every client, and basic authentication that cannot be carried still
//     references its Secret, so Envoy Gateway answers 500 until a person
//     fixes it; both are error findings. ingress-nginx denies such
//     locations too. External authentication that cannot be carried (an
//     auth-url that is not an in-cluster Service) is an error finding.
//   - Body limits above 64Mi are not translated, because Envoy enforces
//     them by buffering requests in memory; neither are limits on gRPC
//     backends, whose streams buffering would break.
//   - Nothing from an annotation reaches an object unparsed: sizes,
//     durations, CIDRs, header and cookie names and Service URLs go through
//     the strict parsers of internal/value.
//
// Every difference from ingress-nginx that a user could observe, defaults
// included, is stated in the Note of Supports()[annotation]; what cannot be
// carried at all is explained by Unsupported().
//
// Implementation targets the newest release with data (v1.9); ForRelease
// gives an older one (spec.implementationVersion, package features), whose
// Supports, Unsupported and Translate leave out or approximate the fields
// its CRDs lack (release.go: v1.7 has no streamIdleTimeout and no
// pathOverride), each with a finding naming the release. The tests run
// every release against its own CRDs (testdata/implementations/releases).
package envoygateway
