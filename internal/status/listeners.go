package status

import (
	"fmt"
	"slices"
	"strings"

	gwv1 "sigs.k8s.io/gateway-api/apis/v1"
)

// listener is one listener of a Gateway with the conditions computed for
// it. The order of work: Accepted from the protocol and TLS mode,
// ResolvedRefs from allowedRoutes.kinds and certificateRefs, then conflicts
// with the other listeners of the Gateway (which may turn Accepted False),
// then Programmed, which summarises the rest.
type listener struct {
	spec  gwv1.Listener
	set   *listenerSet // the ListenerSet it comes from, nil for the Gateway's own
	kinds []string     // ListenerStatus.SupportedKinds

	accepted    Condition
	resolved    Condition
	programmed  Condition
	conflicted  Condition
	overlapping *Condition // negative polarity: only set when True
	certFailed  bool       // ResolvedRefs is False because of a certificate
	certAbsent  bool       // a certificate Secret is neither in the tree nor declared
	routes      []*route   // the routes attached, each once
	routeSet    map[*route]bool
}

func (l *listener) name() string { return string(l.spec.Name) }

func (l *listener) conditions() []Condition {
	cs := []Condition{l.accepted, l.resolved, l.programmed, l.conflicted}
	if l.overlapping != nil {
		cs = append(cs, *l.overlapping)
	}
	return cs
}

// tlsMode returns the listener's TLS mode with the CRD default (Terminate)
// applied, or "" when it has no tls.
func (l *listener) tlsMode() gwv1.TLSModeType {
	if l.spec.TLS == nil {
		return ""
	}
	if l.spec.TLS.Mode == nil || *l.spec.TLS.Mode == "" {
		return gwv1.TLSModeTerminate
	}
	return *l.spec.TLS.Mode
}

// terminates reports whether the Gateway holds the listener's certificate.
func (l *listener) terminates() bool {
	switch l.spec.Protocol {
	case gwv1.HTTPSProtocolType:
		return true
	case gwv1.TLSProtocolType:
		return l.tlsMode() == gwv1.TLSModeTerminate
	}
	return false
}

// acceptProtocol decides Accepted before conflicts, following ProtocolType
// ("If an implementation does not support a specified protocol, it MUST set
// the Accepted condition to False for the affected Listener with a reason
// of UnsupportedProtocol"), the Gateway CRD's CEL rules on tls and
// hostname (a Gateway that breaks them is rejected by the API server; the
// listener is reported UnsupportedValue so the reason is visible), and
// TLSRouteSpec for TLS modes (Terminate is the Extended feature
// TLSRouteModeTerminate; conformance test TLSRouteListenerTerminateNotSupported
// expects UnsupportedValue without it).
func acceptProtocol(l *listener, fs featureSet) Condition {
	const rejected = " (the API server rejects this Gateway)"
	p := l.spec.Protocol
	switch p {
	case gwv1.HTTPProtocolType, gwv1.TCPProtocolType, gwv1.UDPProtocolType:
		if l.spec.TLS != nil {
			return cond(condAccepted, False, string(gwv1.ListenerReasonUnsupportedValue), fmt.Sprintf("tls must not be set for protocol %s%s", p, rejected))
		}
		if p != gwv1.HTTPProtocolType && hostnameOf(l.spec.Hostname) != "" {
			return cond(condAccepted, False, string(gwv1.ListenerReasonUnsupportedValue), fmt.Sprintf("hostname must not be set for protocol %s%s", p, rejected))
		}
		if f := map[gwv1.ProtocolType]string{gwv1.TCPProtocolType: featTCPRoute, gwv1.UDPProtocolType: featUDPRoute}[p]; f != "" && fs.supports(f) == no {
			return cond(condAccepted, False, string(gwv1.ListenerReasonUnsupportedProtocol), fmt.Sprintf("protocol %s needs the feature %s, which the declared features do not include", p, f))
		}
	case gwv1.HTTPSProtocolType:
		if l.tlsMode() == gwv1.TLSModePassthrough {
			return cond(condAccepted, False, string(gwv1.ListenerReasonUnsupportedValue), "tls mode must be Terminate for protocol HTTPS"+rejected)
		}
	case gwv1.TLSProtocolType:
		if l.spec.TLS == nil || l.spec.TLS.Mode == nil || *l.spec.TLS.Mode == "" {
			return cond(condAccepted, False, string(gwv1.ListenerReasonUnsupportedValue), "tls mode must be set for protocol TLS"+rejected)
		}
		if fs.supports(featTLSRoute) == no {
			return cond(condAccepted, False, string(gwv1.ListenerReasonUnsupportedProtocol), "protocol TLS needs the feature TLSRoute, which the declared features do not include")
		}
		if l.tlsMode() == gwv1.TLSModeTerminate {
			switch fs.supports(featTLSTerminate) {
			case no:
				return cond(condAccepted, False, string(gwv1.ListenerReasonUnsupportedValue), "TLS mode Terminate needs the feature TLSRouteModeTerminate, which the declared features do not include")
			case maybe:
				return unknown(condAccepted, "TLS mode Terminate is the Extended feature TLSRouteModeTerminate; declare the implementation's features to decide")
			}
		}
	default:
		if strings.Contains(string(p), "/") {
			return unknown(condAccepted, fmt.Sprintf("protocol %s is implementation-specific", p))
		}
		return cond(condAccepted, False, string(gwv1.ListenerReasonUnsupportedProtocol), fmt.Sprintf("protocol %s is not a Gateway API protocol (HTTP, HTTPS, TLS, TCP, UDP)", p))
	}
	return cond(condAccepted, True, string(gwv1.ListenerReasonAccepted), "")
}

// protocolKinds are the route kinds each protocol serves. GRPCRoute is
// served by HTTP and HTTPS listeners: GRPCRoute's doc says implementations
// supporting it "with the HTTP ProtocolType MUST support HTTP/2 over
// cleartext TCP (h2c) ... with prior knowledge", and over HTTPS via ALPN.
// TLS listeners serve TLSRoute only (conformance test
// TLSRouteListenerPassthroughSupportedKinds rejects TCPRoute there).
var protocolKinds = map[gwv1.ProtocolType][]string{
	gwv1.HTTPProtocolType:  {kindHTTPRoute, kindGRPCRoute},
	gwv1.HTTPSProtocolType: {kindHTTPRoute, kindGRPCRoute},
	gwv1.TLSProtocolType:   {kindTLSRoute},
	gwv1.TCPProtocolType:   {kindTCPRoute},
	gwv1.UDPProtocolType:   {kindUDPRoute},
}

// supportedKinds follows AllowedRoutes.Kinds: "When unspecified or empty,
// the kinds of Routes selected are determined using the Listener protocol",
// and a kind the listener cannot serve makes ResolvedRefs False with
// InvalidRouteKinds while the valid ones stay in SupportedKinds
// (ListenerStatus.SupportedKinds).
func supportedKinds(l gwv1.Listener, fs featureSet) (kinds, invalid []string) {
	var serves []string
	for _, k := range protocolKinds[l.Protocol] {
		if fs.supportsKind(k) {
			serves = append(serves, k)
		}
	}
	if l.AllowedRoutes == nil || len(l.AllowedRoutes.Kinds) == 0 {
		return append([]string{}, serves...), nil
	}
	kinds = []string{}
	for _, k := range l.AllowedRoutes.Kinds {
		group := gatewayGroup
		if k.Group != nil {
			group = string(*k.Group)
		}
		name := string(k.Kind)
		switch {
		case group == gatewayGroup && slices.Contains(serves, name):
			if !slices.Contains(kinds, name) {
				kinds = append(kinds, name)
			}
		case group == gatewayGroup:
			invalid = append(invalid, name)
		default:
			invalid = append(invalid, group+"/"+name)
		}
	}
	return kinds, invalid
}

// computeListeners fills the conditions of every listener of a Gateway.
// For a declared Gateway only what attachment needs is computed: its
// certificates are its owner's concern; the listeners ListenerSets of the
// tree add to it are computed in full.
func (w *world) computeListeners(g *gateway) {
	for _, l := range g.listeners {
		l.accepted = acceptProtocol(l, w.features)
		var invalid []string
		l.kinds, invalid = supportedKinds(l.spec, w.features)
		if g.obj == nil && l.set == nil {
			continue
		}
		certs := cond(condResolvedRefs, True, string(gwv1.ListenerReasonResolvedRefs), "")
		if l.terminates() && l.accepted.Status != False {
			certs = w.certificateRefs(g, l)
		}
		l.resolved, l.certFailed = certs, certs.Status == False
		if len(invalid) > 0 {
			msg := fmt.Sprintf("allowedRoutes.kinds has kinds a %s listener cannot serve: %s", l.spec.Protocol, strings.Join(invalid, ", "))
			if l.resolved.Status == False {
				l.resolved.Message += "; " + msg
			} else {
				l.resolved = cond(condResolvedRefs, False, string(gwv1.ListenerReasonInvalidRouteKinds), msg)
			}
		}
	}
	if g.obj == nil && len(g.ownListeners()) == len(g.listeners) {
		return // no ListenerSet of the tree attached: nothing to report
	}
	w.conflicts(g)
	overlaps(g)
	for _, l := range g.listeners {
		l.programmed = programmed(l)
	}
}

// programmed is what can be known of Programmed: False when the listener
// cannot be configured (not accepted, conflicted — "its network port should
// not be configured" — or without a usable certificate, as conformance
// test GatewayWithAttachedRoutes expects), otherwise Unknown, since it
// depends on the data plane.
func programmed(l *listener) Condition {
	invalid := string(gwv1.ListenerReasonInvalid)
	switch {
	case l.accepted.Status == False:
		return cond(condProgrammed, False, invalid, "the listener is not accepted")
	case l.conflicted.Status == True:
		return cond(condProgrammed, False, invalid, "the listener is conflicted")
	case l.certFailed:
		return cond(condProgrammed, False, invalid, "the listener has no usable certificate")
	}
	return unknown(condProgrammed, "set by the controller once the data plane serves the listener")
}
