package gatewayapi

import (
	"sort"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	gwv1 "sigs.k8s.io/gateway-api/apis/v1"

	"github.com/routeshift/routeshift/internal/convert/ingressnginx"
)

// ListenerSetsPerNamespace puts a created Gateway's HTTPS and TLS
// listeners into one ListenerSet per namespace (Gateway API v1.5+
// standard, gateway.networking.k8s.io/v1 ListenerSet; sigs.k8s.io/gateway-api
// v1.6.3 apis/v1/listenerset_types.go). Each namespace then owns its
// listeners and certificates: the Secret is in the ListenerSet's own
// namespace, so no ReferenceGrant is needed, and the Gateway keeps one
// listener, so it is never split into several Gateways (addresses).
const ListenerSetsPerNamespace = "perNamespace"

// maxSetListeners is the ListenerSet CRD's spec.listeners maxItems.
const maxSetListeners = 64

// layoutListenerSets plans target t's Gateway with only its HTTP listener
// and, per namespace owning a TLS host, ListenerSets of up to
// maxSetListeners listeners. A terminated host belongs to its
// certificate's namespace; a passthrough host to its creating Ingress's.
func (e *emitter) layoutListenerSets(l *layout, t *Target, source *ingressnginx.Ingress, hosts []string,
	tlsHosts map[string]*ingressnginx.TLS, passHosts map[string]bool, order map[*ingressnginx.Ingress]int) {
	gp := &gatewayPlan{name: t.Name, target: t, source: source, namespace: t.Namespace}
	gp.listeners = []*listenerPlan{{gateway: gp, name: "http", namespaces: map[string]*ingressnginx.Ingress{}}}
	l.byTarget[t] = []*gatewayPlan{gp}
	l.gateways = append(l.gateways, gp)

	// Each host's owning namespace and the first Ingress (input order)
	// that gives it, the source annotation of its ListenerSet.
	owner := map[string]*ingressnginx.Ingress{}
	for _, g := range e.groups {
		if g.target != t || e.failed[g.ing] || !g.routes() {
			continue
		}
		h := g.server.Host
		var ing *ingressnginx.Ingress
		switch {
		case passHosts[h] && g.server.Passthrough && g.server.Creator != nil:
			ing = g.server.Creator
		case tlsHosts[h] != nil && !passHosts[h]:
			ing = tlsHosts[h].Ingress
		default:
			continue
		}
		if owner[h] == nil || order[ing] < order[owner[h]] {
			owner[h] = ing
		}
	}
	byNS := map[string][]string{}
	sources := map[string]*ingressnginx.Ingress{}
	for _, h := range hosts {
		ing := owner[h]
		if ing == nil {
			continue
		}
		ns := ing.Namespace
		if tls := tlsHosts[h]; tls != nil && !passHosts[h] {
			ns = tls.Namespace
		}
		byNS[ns] = append(byNS[ns], h)
		if sources[ns] == nil || order[ing] < order[sources[ns]] {
			sources[ns] = ing
		}
	}
	nss := make([]string, 0, len(byNS))
	for ns := range byNS {
		nss = append(nss, ns)
	}
	sort.Strings(nss)
	for _, ns := range nss {
		hs := byNS[ns] // sorted: hosts is
		for i := 0; i < len(hs); i += maxSetListeners {
			sp := &gatewayPlan{name: e.names.take(ns+"/ListenerSet", t.Name), target: t, source: sources[ns], set: true, namespace: ns}
			for _, h := range hs[i:min(i+maxSetListeners, len(hs))] {
				lp := &listenerPlan{gateway: sp, name: fit("https-" + slug(h)), host: h, tls: tlsHosts[h], namespaces: map[string]*ingressnginx.Ingress{}}
				if passHosts[h] {
					lp.name, lp.passthrough = fit("tls-"+slug(h)), true
				}
				sp.listeners = append(sp.listeners, lp)
				l.https[t][h] = lp
			}
			gp.sets = append(gp.sets, sp)
		}
	}
}

// setRef is the parentRef of a route in routeNS to lp, a listener of a
// ListenerSet: kind ListenerSet, with the listener as sectionName.
func (lp *listenerPlan) setRef(routeNS string) *gwv1.ParentReference {
	sp := lp.gateway
	p := &gwv1.ParentReference{
		Group:       ptr.To(gwv1.Group(gwv1.GroupName)),
		Kind:        ptr.To(gwv1.Kind("ListenerSet")),
		Name:        gwv1.ObjectName(sp.name),
		SectionName: ptr.To(gwv1.SectionName(lp.name)),
	}
	if sp.namespace != "" && sp.namespace != routeNS {
		p.Namespace = ptr.To(gwv1.Namespace(sp.namespace))
	}
	return p
}

// allowedListeners admits the namespaces of gp's ListenerSets (the
// default, None, would leave them all unattached).
func (e *emitter) allowedListeners(gp *gatewayPlan) *gwv1.AllowedListeners {
	seen := map[string]bool{}
	var nss []string
	for _, sp := range gp.sets {
		if sp.namespace == "" {
			// Its namespace is only known once applied.
			e.findings.Warnf(sp.source.Object, "metadata.namespace",
				"an Ingress without namespace owns TLS hosts, so its ListenerSet has no namespace either; Gateway %s admits ListenerSets from all namespaces (set a namespace to narrow allowedListeners)", gp.target.ref())
			return &gwv1.AllowedListeners{Namespaces: &gwv1.ListenerNamespaces{From: ptr.To(gwv1.NamespacesFromAll)}}
		}
		if !seen[sp.namespace] {
			seen[sp.namespace] = true
			nss = append(nss, sp.namespace)
		}
	}
	sort.Strings(nss)
	if len(nss) == 1 && nss[0] == gp.namespace {
		return &gwv1.AllowedListeners{Namespaces: &gwv1.ListenerNamespaces{From: ptr.To(gwv1.NamespacesFromSame)}}
	}
	return &gwv1.AllowedListeners{Namespaces: &gwv1.ListenerNamespaces{
		From: ptr.To(gwv1.NamespacesFromSelector),
		Selector: &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{{
			Key: "kubernetes.io/metadata.name", Operator: metav1.LabelSelectorOpIn, Values: nss,
		}}},
	}}
}

// listenerSets generates gp's ListenerSets. Their certificates are in their
// own namespace by construction, so they need no ReferenceGrant.
func (e *emitter) listenerSets(gp *gatewayPlan) []*Object {
	var out []*Object
	for _, sp := range gp.sets {
		ls := &gwv1.ListenerSet{
			TypeMeta:   metav1.TypeMeta{APIVersion: gwv1.GroupVersion.String(), Kind: "ListenerSet"},
			ObjectMeta: e.meta(sp.name, sp.namespace, sp.source),
		}
		ls.Annotations = nil
		ls.Spec.ParentRef = gwv1.ParentGatewayReference{Group: ptr.To(gwv1.Group(gwv1.GroupName)), Kind: ptr.To(gwv1.Kind("Gateway")), Name: gwv1.ObjectName(gp.name)}
		if gp.namespace != "" && gp.namespace != sp.namespace {
			ls.Spec.ParentRef.Namespace = ptr.To(gwv1.Namespace(gp.namespace))
		}
		for _, lp := range sp.listeners {
			ln := e.listener(sp, lp, map[string]map[string]bool{})
			ls.Spec.Listeners = append(ls.Spec.Listeners, gwv1.ListenerEntry{
				Name: ln.Name, Hostname: ln.Hostname, Port: ln.Port, Protocol: ln.Protocol, TLS: ln.TLS, AllowedRoutes: ln.AllowedRoutes,
			})
		}
		out = append(out, &Object{Kind: "ListenerSet", Namespace: sp.namespace, Name: sp.name, Source: sp.source, Value: ls})
	}
	return out
}
