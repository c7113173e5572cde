package status

import (
	"fmt"
	"strings"

	gwv1 "sigs.k8s.io/gateway-api/apis/v1"
)

// conflicts applies GatewaySpec.Listeners "Distinct Listeners": listeners
// sharing a protocol must differ in port or hostname (HTTP, HTTPS, TLS) or
// in port (TCP, UDP); "all the Listeners that share a port with the TCP
// Listener are not distinct and so MUST NOT be accepted"; indistinct
// listeners are Conflicted and "ALL indistinct Listeners must not be
// accepted", no winner is picked. Which different protocols may share a
// port is left to implementations ("compatible" listeners); the check
// takes the common ground: HTTP cannot share a port with HTTPS or TLS,
// HTTPS and TLS can (the SNI decides) unless they claim the same hostname,
// UDP shares with anything, and TLS Terminate beside TLS Passthrough is
// the Extended feature TLSRouteModeMixed (conformance test
// TLSRouteListenerMixedTerminationNotSupported: ProtocolConflict without
// it).
func (w *world) conflicts(g *gateway) {
	type mark struct {
		status Status
		reason string
		msgs   []string
	}
	marks := make([]mark, len(g.listeners))
	flag := func(i int, st Status, reason, msg string) {
		m := &marks[i]
		// True beats Unknown; the first reason stays.
		if m.status == "" || (m.status == Unknown && st == True) {
			m.status, m.reason = st, reason
		}
		m.msgs = append(m.msgs, msg)
	}
	byPort := map[int32][]int{}
	var ports []int32
	for i, l := range g.listeners {
		if l.accepted.Status == False && l.accepted.Reason == string(gwv1.ListenerReasonUnsupportedProtocol) {
			continue // serves nothing, conflicts with nothing
		}
		if _, ok := byPort[l.spec.Port]; !ok {
			ports = append(ports, l.spec.Port)
		}
		byPort[l.spec.Port] = append(byPort[l.spec.Port], i)
	}
	protocolConflict := string(gwv1.ListenerReasonProtocolConflict)
	hostnameConflict := string(gwv1.ListenerReasonHostnameConflict)
	for _, port := range ports {
		idx := byPort[port]
		// b before a: a ListenerSet listener's fate depends on those
		// before it, which are decided by then.
		for b := 1; b < len(idx); b++ {
			for a := 0; a < b; a++ {
				la, lb := g.listeners[idx[a]], g.listeners[idx[b]]
				if lb.set != nil && marks[idx[a]].status == True {
					// A conflicted listener takes no precedence (conformance
					// test ListenerSetProtocolConflict: the HTTP listener after
					// a rejected TCP one is accepted).
					continue
				}
				pa, pb := la.spec.Protocol, lb.spec.Protocol
				both := func(st Status, reason, why string) {
					// A ListenerSet's listener yields to every listener
					// before it in the merged list (ListenerSetSpec.Listeners
					// precedence); within a Gateway no winner is picked.
					if lb.set != nil {
						flag(idx[b], st, reason, fmt.Sprintf("%s with listener %s, which takes precedence: %s", reason, la.name(), why))
						return
					}
					flag(idx[a], st, reason, fmt.Sprintf("%s with listener %s: %s", reason, lb.name(), why))
					flag(idx[b], st, reason, fmt.Sprintf("%s with listener %s: %s", reason, la.name(), why))
				}
				ha, hb := hostnameOf(la.spec.Hostname), hostnameOf(lb.spec.Hostname)
				switch {
				case pa == pb && (pa == gwv1.TCPProtocolType || pa == gwv1.UDPProtocolType):
					both(True, protocolConflict, fmt.Sprintf("two %s listeners on port %d", pa, port))
				case pa == pb && ha == hb:
					both(True, hostnameConflict, fmt.Sprintf("same port %d, protocol %s and hostname %q (the API server rejects this Gateway)", port, pa, ha))
				case pa == gwv1.UDPProtocolType || pb == gwv1.UDPProtocolType:
				case pa == gwv1.TCPProtocolType || pb == gwv1.TCPProtocolType:
					both(True, protocolConflict, fmt.Sprintf("a TCP listener shares port %d with a %s listener", port, other(pa, pb, gwv1.TCPProtocolType)))
				case pa != pb && (pa == gwv1.HTTPProtocolType || pb == gwv1.HTTPProtocolType):
					both(True, protocolConflict, fmt.Sprintf("cleartext HTTP and %s share port %d", other(pa, pb, gwv1.HTTPProtocolType), port))
				case pa != pb && ha == hb:
					both(True, hostnameConflict, fmt.Sprintf("HTTPS and TLS listeners on port %d claim the same hostname %q", port, ha))
				case pa == gwv1.TLSProtocolType && pb == gwv1.TLSProtocolType && la.tlsMode() != lb.tlsMode():
					switch w.features.supports(featTLSModeMixed) {
					case no:
						both(True, protocolConflict, fmt.Sprintf("TLS Terminate and Passthrough on port %d need the feature TLSRouteModeMixed, which the declared features do not include", port))
					case maybe:
						both(Unknown, protocolConflict, fmt.Sprintf("TLS Terminate and Passthrough on port %d is the Extended feature TLSRouteModeMixed; declare the implementation's features to decide", port))
					}
				}
			}
		}
	}
	for i, l := range g.listeners {
		m := marks[i]
		switch m.status {
		case "":
			l.conflicted = cond(condConflicted, False, string(gwv1.ListenerReasonNoConflicts), "")
		case True:
			msg := strings.Join(m.msgs, "; ")
			l.conflicted = cond(condConflicted, True, m.reason, msg)
			if l.accepted.Status != False {
				l.accepted = cond(condAccepted, False, m.reason, msg)
			}
		case Unknown:
			msg := strings.Join(m.msgs, "; ")
			l.conflicted = unknown(condConflicted, msg)
			if l.accepted.Status == True {
				l.accepted = unknown(condAccepted, msg)
			}
		}
	}
}

func other(a, b, p gwv1.ProtocolType) gwv1.ProtocolType {
	if a == p {
		return b
	}
	return a
}

// overlaps sets OverlappingTLSConfig, which "Controllers MUST detect" for
// overlapping hostnames on listeners that terminate TLS on the same port
// ("Listener A matches *.example.com while Listener B matches
// foo.example.com"): a client that reuses a connection (HTTP/2
// coalescing) for another host can reach the other listener's routes. A
// listener without hostname matches every SNI, so it overlaps all. It is a
// negative-polarity condition, set only when True, and changes nothing
// else.
func overlaps(g *gateway) {
	for i, a := range g.listeners {
		if !a.terminates() || a.conflicted.Status == True {
			continue
		}
		var with []string
		for j, b := range g.listeners {
			if i == j || !b.terminates() || b.conflicted.Status == True || a.spec.Port != b.spec.Port {
				continue
			}
			ha, hb := hostnameOf(a.spec.Hostname), hostnameOf(b.spec.Hostname)
			if ha == "" || hb == "" || hostIntersect(ha, hb) {
				with = append(with, fmt.Sprintf("%s (%s)", b.name(), describeHost(hb)))
			}
		}
		if len(with) > 0 {
			c := cond(condOverlapping, True, string(gwv1.ListenerReasonOverlappingHostnames),
				fmt.Sprintf("%s overlaps listeners %s on port %d: a client reusing a connection for another host can reach the other listener's routes",
					describeHost(hostnameOf(a.spec.Hostname)), strings.Join(with, ", "), a.spec.Port))
			a.overlapping = &c
		}
	}
}

// describeHost names a listener hostname in messages.
func describeHost(h string) string {
	if h == "" {
		return "no hostname (all hosts)"
	}
	return "hostname " + h
}
