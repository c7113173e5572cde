// Package features names the Gateway API features that generated objects
// rely on beyond what every implementation must support, and knows, as
// data, which of them each release of an implementation accepts.
//
// Gateway API leaves much of HTTPRoute at the Extended support level
// (sigs.k8s.io/gateway-api/pkg/features): a 308 redirect, a URL rewrite, a
// response header filter, a request timeout. An implementation that does
// not support one may refuse the whole route (Envoy Gateway v1.7 sets
// Accepted=False on an HTTPRoute with a 308 redirect, so none of its rules
// is served). Used reads the features off generated objects, in one place,
// so no emitter has to remember to declare them.
//
// A Release is what one release of an implementation accepts: the
// supportedFeatures of its Gateway API conformance report (embedded under
// data/, byte for byte, see data/SOURCES.md) and the facts about its CRDs
// that the converter needs at run time (which TLSRoute version its bundled
// Gateway API CRDs serve). The CRDs themselves are test data
// (testdata/implementations/releases); the tests check these facts and the
// converter's output against them.
package features
