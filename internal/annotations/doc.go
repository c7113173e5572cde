// Package annotations is routeshift's catalogue of every annotation
// ingress-nginx reads, and the classifier that decides what an annotation key
// on an Ingress is.
//
// An Ingress says little by itself; with ingress-nginx most of its behaviour
// lives in annotations: redirects, rewrites, canaries, authentication, CORS,
// timeouts, raw nginx snippets. A converter that translates the annotations it
// knows and skips the rest produces Gateway API resources that look right and
// route differently, and nobody finds out until traffic moves. So routeshift
// accounts for every key: each one is either translated, reported as needing
// an implementation policy or a Gateway feature, or reported as dropped, and a
// key that is not in the catalogue is itself a finding (a typo, or a
// controller version the catalogue does not describe). For that the catalogue
// has to be complete, which is why it holds all 138 names, including
// deprecated aliases, and why a test keeps it in step with the reference
// table.
//
// An entry's Tag is what converting it costs the user:
//
//   - Core: translated into standard fields every conformant implementation
//     supports; the route behaves the same anywhere.
//   - Extended: translated, but the target implementation must support the
//     named Extended feature, so the conversion is only as portable as that.
//   - Experimental: only experimental-channel CRDs can carry it; the user has
//     to opt into that channel or accept a warning.
//   - Policy: no portable field; the converter can at most point at the
//     implementation-specific policy that would express it.
//   - None: nothing can express it; it is dropped with a warning and the
//     converted route behaves differently.
//   - Unsafe: raw nginx or a known injection vector; it is never translated
//     and the route's behaviour cannot be verified.
//   - NotApplicable: proxy tuning or observability that changes no routing
//     decision; it is dropped quietly.
//
// Some annotations are mixed (CORE+EXT, EXT/POLICY, ...) because different
// values land at different support levels: a 301 redirect code is Core, a 308
// is Extended. Tag holds the common case and Tags all of them.
//
// Keys are read under a configurable prefix (the controller flag
// --annotations-prefix), so Split and Classify take the prefix as an argument
// instead of assuming DefaultPrefix.
package annotations
