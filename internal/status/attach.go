package status

import (
	"fmt"
	"strings"

	gwv1 "sigs.k8s.io/gateway-api/apis/v1"
)

// attach decides a route parent's Accepted condition, following
// ParentReference and RouteConditionAccepted:
//
//   - sectionName and port select listeners ("When both Port and
//     SectionName are specified, the name and port of the selected
//     listener must match both"); none selected is NoMatchingParent ("a
//     Route ParentRef specifies a Port and/or SectionName that does not
//     match any Listeners in the Gateway").
//   - a selected listener admits the route when its allowedRoutes allow the
//     route's kind and namespace; none admitting it is NotAllowedByListeners
//     ("the Gateway has no Listener whose allowedRoutes criteria permit the
//     route").
//   - an admitting listener must share a hostname with the route
//     (HTTPRouteSpec.Hostnames); none sharing one is
//     NoMatchingListenerHostname.
//   - "If 1 of 2 Gateway listeners accept attachment from the referencing
//     Route, the Route MUST be considered successfully attached."
//
// Listener conditions do not matter here: "Listener or Route status does
// not impact successful attachment" (ListenerStatus.AttachedRoutes).
// A route kind the listener's protocol cannot serve is NotAllowedByListeners
// too: TLSRouteSpec's doc mentions UnsupportedValue for a TLSRoute on a
// non-TLS listener, but conformance test TLSRouteInvalidNoMatchingListener
// asserts NotAllowedByListeners, and so does HTTPRouteDisallowedKind.
// The reason reported for a rejection is that of the listener that got
// furthest, since that is the one the author most likely meant.
func (w *world) attach(r *route, ref gwv1.ParentReference) (ParentResult, []*listener) {
	p := ParentResult{Group: gatewayGroup, Kind: kindGateway, Namespace: r.key.ns, Name: string(ref.Name), Listeners: []string{}}
	if ref.Group != nil {
		p.Group = string(*ref.Group)
	}
	if ref.Kind != nil {
		p.Kind = string(*ref.Kind)
	}
	if ref.Namespace != nil && *ref.Namespace != "" {
		p.Namespace = string(*ref.Namespace)
	}
	if ref.SectionName != nil {
		p.SectionName = string(*ref.SectionName)
	}
	if ref.Port != nil {
		p.Port = *ref.Port
	}
	accepted, attached := w.accept(r, p)
	for _, l := range attached {
		p.Listeners = append(p.Listeners, l.name())
	}
	p.Conditions = []Condition{accepted}
	return p, attached
}

func (w *world) accept(r *route, p ParentResult) (Condition, []*listener) {
	if p.Group != gatewayGroup || (p.Kind != kindGateway && p.Kind != kindListenerSet) {
		return unknown(condAccepted, fmt.Sprintf("parent %s is not a Gateway or ListenerSet; only those parents are checked", groupKind(p.Group, p.Kind))), nil
	}
	if !w.features.supportsKind(r.kind) {
		return unknown(condAccepted, fmt.Sprintf("the declared features do not include %s: no controller would set this route's status", r.kind)), nil
	}
	key := nsName{p.Namespace, p.Name}
	var set *listenerSet
	if p.Kind == kindListenerSet {
		set = w.listenerSets[key]
		switch {
		case set == nil:
			return unknown(condAccepted, fmt.Sprintf("ListenerSet %s is not in the manifests", key)), nil
		case set.accepted.Status == False:
			return cond(condAccepted, False, string(gwv1.RouteReasonNoMatchingParent), fmt.Sprintf("ListenerSet %s is not accepted by its Gateway: %s", key, set.accepted.Message)), nil
		case set.gateway == nil || set.accepted.Status != True:
			return unknown(condAccepted, fmt.Sprintf("ListenerSet %s: %s", key, set.accepted.Message)), nil
		}
		key = set.gateway.key
	}
	g, ok := w.gateways[key]
	if !ok {
		return unknown(condAccepted, fmt.Sprintf("Gateway %s is neither in the manifests nor declared", key)), nil
	}
	if !w.classKnown(g) {
		// No controller would reconcile the Gateway, so none would write
		// the route's status either.
		return unknown(condAccepted, fmt.Sprintf("the GatewayClass %q of Gateway %s is neither in the manifests nor declared", g.class, key)), nil
	}

	var selected []*listener
	for _, l := range g.listeners {
		if l.set != set {
			continue // a parentRef selects its own object's listeners only
		}
		if (p.SectionName == "" || l.name() == p.SectionName) && (p.Port == 0 || l.spec.Port == p.Port) {
			selected = append(selected, l)
		}
	}
	if len(selected) == 0 {
		return cond(condAccepted, False, string(gwv1.RouteReasonNoMatchingParent), noMatchingParent(g, set, p)), nil
	}

	var attached []*listener
	var maybeNS, hostMiss, notAllowed []string
	for _, l := range selected {
		if !containsStr(l.kinds, r.kind) {
			notAllowed = append(notAllowed, fmt.Sprintf("listener %s does not allow %s (kinds: %s)", l.name(), r.kind, orNone(l.kinds)))
			continue
		}
		nsOK, why := w.namespaceAllowed(g, l, r.key.ns)
		if nsOK == no {
			notAllowed = append(notAllowed, fmt.Sprintf("listener %s: %s", l.name(), why))
			continue
		}
		if !hostnamesMatch(l, r) {
			hostMiss = append(hostMiss, fmt.Sprintf("listener %s has %s", l.name(), describeHost(hostnameOf(l.spec.Hostname))))
			continue
		}
		if nsOK == maybe {
			maybeNS = append(maybeNS, fmt.Sprintf("listener %s: %s", l.name(), why))
			continue
		}
		attached = append(attached, l)
	}
	switch {
	case len(attached) > 0:
		return cond(condAccepted, True, string(gwv1.RouteReasonAccepted), ""), attached
	case len(maybeNS) > 0:
		return unknown(condAccepted, strings.Join(maybeNS, "; ")), nil
	case len(hostMiss) > 0:
		return cond(condAccepted, False, string(gwv1.RouteReasonNoMatchingListenerHostname),
			fmt.Sprintf("no listener hostname intersects the route's hostnames %s: %s", joinHosts(r.spec.Hostnames), strings.Join(hostMiss, "; "))), nil
	}
	return cond(condAccepted, False, string(gwv1.RouteReasonNotAllowedByListeners), strings.Join(notAllowed, "; ")), nil
}

func noMatchingParent(g *gateway, set *listenerSet, p ParentResult) string {
	var have []string
	for _, l := range g.listeners {
		if l.set != set {
			continue
		}
		have = append(have, fmt.Sprintf("%s (port %d)", l.name(), l.spec.Port))
	}
	var want []string
	if p.SectionName != "" {
		want = append(want, "sectionName "+p.SectionName)
	}
	if p.Port != 0 {
		want = append(want, fmt.Sprintf("port %d", p.Port))
	}
	owner := "Gateway " + g.key.String()
	if set != nil {
		owner = "ListenerSet " + set.key.String()
	}
	return fmt.Sprintf("%s has no listener with %s; its listeners: %s", owner, strings.Join(want, " and "), strings.Join(have, ", "))
}

// namespaceAllowed follows RouteNamespaces.From: Same (the default: "Only
// Routes in the same namespace may be used by this Gateway"), All, or
// Selector evaluated against the route namespace's labels.
func (w *world) namespaceAllowed(g *gateway, l *listener, ns string) (tri, string) {
	from := gwv1.NamespacesFromSame
	var ar *gwv1.RouteNamespaces
	if l.spec.AllowedRoutes != nil && l.spec.AllowedRoutes.Namespaces != nil {
		ar = l.spec.AllowedRoutes.Namespaces
		if ar.From != nil {
			from = *ar.From
		}
	}
	switch from {
	case gwv1.NamespacesFromAll:
		return yes, ""
	case gwv1.NamespacesFromSame:
		own, _ := l.owner(g)
		if ns == own {
			return yes, ""
		}
		return no, fmt.Sprintf("allows routes from namespace %s only (from: Same), not %s", own, ns)
	case gwv1.NamespacesFromSelector:
		t, why := selects(ar.Selector, w.namespace(ns))
		if t == yes {
			return yes, ""
		}
		return t, "from: Selector: " + why
	}
	return no, fmt.Sprintf("allowedRoutes.namespaces.from %q admits no routes", from)
}

// hostnamesMatch applies hostname intersection where the protocol and the
// route kind have hostnames (HTTP, HTTPS, TLS; HTTPRoute, GRPCRoute,
// TLSRoute): "This field is ignored for protocols that don't require
// hostname based matching" (Listener.Hostname).
func hostnamesMatch(l *listener, r *route) bool {
	switch r.kind {
	case kindHTTPRoute, kindGRPCRoute, kindTLSRoute:
	default:
		return true
	}
	switch l.spec.Protocol {
	case gwv1.HTTPProtocolType, gwv1.HTTPSProtocolType, gwv1.TLSProtocolType:
	default:
		return true
	}
	hosts := make([]string, len(r.spec.Hostnames))
	for i, h := range r.spec.Hostnames {
		hosts[i] = string(h)
	}
	return hostnamesIntersect(hostnameOf(l.spec.Hostname), hosts)
}

func joinHosts(hs []gwv1.Hostname) string {
	s := make([]string, len(hs))
	for i, h := range hs {
		s[i] = string(h)
	}
	return "[" + strings.Join(s, ", ") + "]"
}

func containsStr(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func orNone(list []string) string {
	if len(list) == 0 {
		return "none"
	}
	return strings.Join(list, ", ")
}
