package status

import (
	"strings"

	gwv1 "sigs.k8s.io/gateway-api/apis/v1"
)

// Hostname intersection follows HTTPRouteSpec.Hostnames (and the same text
// in GRPCRouteSpec and TLSRouteSpec): "If a hostname is specified by both
// the Listener and HTTPRoute, there must be at least one intersecting
// hostname for the HTTPRoute to be attached to the Listener", where a
// wildcard label "*." is a suffix match over any number of labels that
// never matches the bare suffix ("*.example.com" matches
// "foo.test.example.com" but not "example.com"), and a listener
// "test.example.com" accepts a route "*.example.com".

// hostnamesIntersect reports whether a route with these hostnames may
// attach to a listener with this hostname; an empty hostname on either
// side matches everything.
func hostnamesIntersect(listener string, route []string) bool {
	if listener == "" || len(route) == 0 {
		return true
	}
	for _, h := range route {
		if hostIntersect(listener, h) {
			return true
		}
	}
	return false
}

// hostIntersect reports whether two hostnames, either of which may be a
// wildcard, have a host in common.
func hostIntersect(a, b string) bool {
	a, b = strings.ToLower(a), strings.ToLower(b)
	aw, as := wildcard(a)
	bw, bs := wildcard(b)
	switch {
	case !aw && !bw:
		return a == b
	case aw && !bw:
		return strings.HasSuffix(b, "."+as)
	case !aw && bw:
		return strings.HasSuffix(a, "."+bs)
	}
	// Two wildcards share hosts when one suffix contains the other.
	return as == bs || strings.HasSuffix(as, "."+bs) || strings.HasSuffix(bs, "."+as)
}

// wildcard splits "*.example.com" into (true, "example.com").
func wildcard(h string) (bool, string) {
	if rest, ok := strings.CutPrefix(h, "*."); ok {
		return true, rest
	}
	return false, h
}

// hostnameOf returns a listener's hostname, "" when unset.
func hostnameOf(h *gwv1.Hostname) string {
	if h == nil {
		return ""
	}
	return string(*h)
}
