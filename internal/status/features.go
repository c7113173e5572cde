package status

import "sort"

// Optional features change what a conformant controller does, so the check
// reads them from the declaration instead of assuming an implementation.
// The names are those of sigs.k8s.io/gateway-api/pkg/features, which the
// conformance suite's tests are gated on.
const (
	featGRPCRoute      = "GRPCRoute"
	featTLSRoute       = "TLSRoute"
	featTCPRoute       = "TCPRoute"
	featUDPRoute       = "UDPRoute"
	featTLSTerminate   = "TLSRouteModeTerminate"
	featTLSModeMixed   = "TLSRouteModeMixed"
	featHTTPRoute      = "HTTPRoute"
	featGateway        = "Gateway"
	featReferenceGrant = "ReferenceGrant"
)

var knownFeatures = map[string]bool{
	featGRPCRoute: true, featTLSRoute: true, featTCPRoute: true, featUDPRoute: true,
	featTLSTerminate: true, featTLSModeMixed: true,
	// Core features may be listed (a conformance report lists them); they
	// change nothing.
	featHTTPRoute: true, featGateway: true, featReferenceGrant: true,
}

func featureNames() []string {
	var names []string
	for n := range knownFeatures {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// featureSet answers "does the implementation support f": yes, no, or
// unknown when no features were declared.
type featureSet struct {
	declared bool
	has      map[string]bool
}

func newFeatureSet(list []string) featureSet {
	fs := featureSet{declared: list != nil, has: map[string]bool{}}
	for _, f := range list {
		fs.has[f] = true
	}
	return fs
}

func (fs featureSet) supports(f string) tri {
	switch {
	case !fs.declared:
		return maybe
	case fs.has[f]:
		return yes
	}
	return no
}

// kindFeature is the feature a route kind needs; HTTPRoute is Core.
var kindFeature = map[string]string{
	kindGRPCRoute: featGRPCRoute,
	kindTLSRoute:  featTLSRoute,
	kindTCPRoute:  featTCPRoute,
	kindUDPRoute:  featUDPRoute,
}

// supportsKind reports whether the implementation serves a route kind.
// An undeclared feature set is taken to support every kind: a route kind is
// in the tree because its author means to use it, and the spec's rules for
// it are the same whichever implementation serves it. Features matter only
// where conformant implementations differ in outcome (TLS modes).
func (fs featureSet) supportsKind(kind string) bool {
	f, ok := kindFeature[kind]
	return !ok || fs.supports(f) != no
}
