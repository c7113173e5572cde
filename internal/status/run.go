package status

import (
	"fmt"
	"sort"
	"strings"

	gwv1 "sigs.k8s.io/gateway-api/apis/v1"

	"github.com/routeshift/routeshift/internal/load"
)

// Run computes, for every Gateway, listener and route parent of the tree,
// the conditions a conformant controller would set, reading what the tree
// refers to but does not hold from declared. Objects of other kinds are
// ignored; objects that cannot be read are named in Report.Errors and left
// out. Run never modifies objs and never panics on their content.
func Run(objs []*load.Object, declared Declared) Report {
	w := index(objs, declared)
	w.attachListenerSets()

	gws := make([]*gateway, 0, len(w.gateways))
	for _, g := range w.gateways {
		gws = append(gws, g)
	}
	sort.Slice(gws, func(i, j int) bool { return lessKey(gws[i].key, gws[j].key) })
	for _, g := range gws {
		w.computeListeners(g)
	}
	w.listenerSetsValid()

	sort.SliceStable(w.routes, func(i, j int) bool {
		a, b := w.routes[i], w.routes[j]
		if a.kind != b.kind {
			return a.kind < b.kind
		}
		return lessKey(a.key, b.key)
	})
	rep := Report{Gateways: []GatewayResult{}, Routes: []RouteResult{}}
	for _, r := range w.routes {
		rep.Routes = append(rep.Routes, w.routeResult(r))
	}

	for _, g := range gws {
		for _, l := range g.listeners {
			w.mixedRouteWarnings(g, l, l.routes)
		}
		if g.obj == nil {
			continue // declared: its status is its owner's
		}
		gr := GatewayResult{Namespace: g.key.ns, Name: g.key.name, Source: g.obj.Source.String(),
			Conditions: w.gatewayConditions(g), Listeners: []ListenerResult{}, AttachedListenerSets: w.attachedListenerSets(g)}
		for _, l := range g.listeners {
			if l.set == nil { // a ListenerSet's listeners are in its own status
				gr.Listeners = append(gr.Listeners, w.listenerResult(g, l))
			}
		}
		rep.Gateways = append(rep.Gateways, gr)
	}
	rep.ListenerSets = w.listenerSetResults()
	rep.Warnings = append([]Warning{}, w.warnings...)
	rep.Errors = append([]string{}, w.errors...)
	rep.summarize()
	return rep
}

// routeResult decides every parent of a route and counts the route on the
// listeners it attaches to: once per listener, however many of its
// parentRefs select it, since AttachedRoutes counts Routes.
func (w *world) routeResult(r *route) RouteResult {
	rr := RouteResult{Kind: r.kind, Namespace: r.key.ns, Name: r.key.name, Source: r.obj.Source.String(), Parents: []ParentResult{}}
	resolved := w.resolveRefs(r)
	w.weightWarnings(r)
	if len(r.spec.ParentRefs) == 0 {
		w.warnings = append(w.warnings, warnAt(r.obj, "spec.parentRefs", "the route has no parentRefs: it attaches to no Gateway"))
	}
	for _, ref := range r.spec.ParentRefs {
		p, attached := w.attach(r, ref)
		p.Conditions = append(p.Conditions, resolved)
		for _, l := range attached {
			if l.routeSet[r] {
				continue
			}
			if l.routeSet == nil {
				l.routeSet = map[*route]bool{}
			}
			l.routeSet[r] = true
			l.routes = append(l.routes, r)
			if r.kind == kindGRPCRoute && l.spec.Protocol == gwv1.HTTPProtocolType {
				w.warnings = append(w.warnings, warnAt(r.obj, "", fmt.Sprintf(
					"attached to cleartext listener %s of Gateway %s/%s: gRPC clients must use HTTP/2 with prior knowledge (h2c), which the spec requires of every implementation that supports GRPCRoute on HTTP listeners",
					l.name(), p.Namespace, p.Name)))
			}
		}
		rr.Parents = append(rr.Parents, p)
	}
	return rr
}

func lessKey(a, b nsName) bool {
	if a.ns != b.ns {
		return a.ns < b.ns
	}
	return a.name < b.name
}

// mixedRouteWarnings follows GRPCRouteSpec.Hostnames: when an HTTPRoute and
// a GRPCRoute on one listener share a hostname, "the implementation MUST
// accept exactly one of these two routes", the older (then the first by
// namespace/name). The spec names no reason for the rejection, so the
// check warns instead of inventing one; without creationTimestamps the
// winner depends on the order the routes are created in.
func (w *world) mixedRouteWarnings(g *gateway, l *listener, routes []*route) {
	for _, gr := range routes {
		if gr.kind != kindGRPCRoute {
			continue
		}
		for _, hr := range routes {
			if hr.kind != kindHTTPRoute || !routeHostsIntersect(l, hr, gr) {
				continue
			}
			w.warnings = append(w.warnings, warnAt(gr.obj, "spec.hostnames", fmt.Sprintf(
				"shares a hostname with HTTPRoute %s on listener %s of Gateway %s: a controller accepts only the older of the two (%s)",
				hr.key, l.name(), g.key, olderOf(hr, gr))))
		}
	}
}

// routeHostsIntersect reports whether two routes attached to a listener
// serve a common hostname there.
func routeHostsIntersect(l *listener, a, b *route) bool {
	eff := func(r *route) []string {
		lh := hostnameOf(l.spec.Hostname)
		if len(r.spec.Hostnames) == 0 {
			if lh == "" {
				return []string{"*"}
			}
			return []string{lh}
		}
		var out []string
		for _, h := range r.spec.Hostnames {
			if lh == "" || hostIntersect(lh, string(h)) {
				out = append(out, string(h))
			}
		}
		return out
	}
	for _, ha := range eff(a) {
		for _, hb := range eff(b) {
			if ha == "*" || hb == "*" || hostIntersect(ha, hb) {
				return true
			}
		}
	}
	return false
}

func olderOf(a, b *route) string {
	ta, tb := a.created, b.created
	if ta.IsZero() || tb.IsZero() {
		return "without creationTimestamps in the manifests, whichever is created first"
	}
	first := a
	if tb.Before(&ta) || (tb.Equal(&ta) && b.key.String() < a.key.String()) {
		first = b
	}
	return fmt.Sprintf("%s %s by creationTimestamp", first.kind, first.key)
}

// describe names a route parent for messages: "Gateway infra/shared
// (section https, port 443)".
func (p ParentResult) describe() string {
	s := fmt.Sprintf("%s %s/%s", p.Kind, p.Namespace, p.Name)
	var extra []string
	if p.SectionName != "" {
		extra = append(extra, "section "+p.SectionName)
	}
	if p.Port != 0 {
		extra = append(extra, fmt.Sprintf("port %d", p.Port))
	}
	if len(extra) > 0 {
		s += " (" + strings.Join(extra, ", ") + ")"
	}
	return s
}
