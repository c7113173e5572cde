package gatewayapi

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	gwv1 "sigs.k8s.io/gateway-api/apis/v1"
	gwv1beta1 "sigs.k8s.io/gateway-api/apis/v1beta1"

	"github.com/routeshift/routeshift/internal/convert/ingressnginx"
	"github.com/routeshift/routeshift/internal/load"
)

// Limits of the Gateway and ReferenceGrant CRDs: listeners per Gateway
// (one is the HTTP listener) and targets per grant.
const (
	maxListeners = 64
	maxGrantTo   = 16
)

// layout is where every created Gateway's listeners are, decided before
// routes are generated because routes name the Gateway and listener.
type layout struct {
	gateways []*gatewayPlan
	// byTarget lists each create target's Gateways; the first carries the
	// routes of hosts without TLS.
	byTarget map[*Target][]*gatewayPlan
	// https maps target and host to the Gateway and listener for it.
	https map[*Target]map[string]*listenerPlan
}

type gatewayPlan struct {
	name      string
	target    *Target
	source    *ingressnginx.Ingress
	listeners []*listenerPlan
	// set: this plan is a ListenerSet in namespace (attached to the
	// target's first Gateway), not a Gateway.
	set       bool
	namespace string
	// sets are the ListenerSets attached to this Gateway, in output order.
	sets []*gatewayPlan
}

type listenerPlan struct {
	gateway    *gatewayPlan
	name, host string
	tls        *ingressnginx.TLS
	// passthrough: a TLS listener handing the stream to a TLSRoute.
	passthrough bool
	// namespaces admitted, each with the first Ingress that attaches from it.
	namespaces map[string]*ingressnginx.Ingress
}

func (e *emitter) inputOrder() map[*ingressnginx.Ingress]int {
	order := map[*ingressnginx.Ingress]int{}
	for i, ing := range e.model.Ingresses {
		order[ing] = i
	}
	return order
}

func (e *emitter) layoutGateways() *layout {
	l := &layout{byTarget: map[*Target][]*gatewayPlan{}, https: map[*Target]map[string]*listenerPlan{}}
	order := e.inputOrder()
	for _, t := range e.targets {
		if !t.Create {
			continue
		}
		var source *ingressnginx.Ingress
		tlsHosts := map[string]*ingressnginx.TLS{}
		passHosts := map[string]bool{}
		for _, g := range e.groups {
			if g.target != t || e.failed[g.ing] || !g.routes() {
				continue
			}
			if source == nil || order[g.ing] < order[source] {
				source = g.ing
			}
			if g.server.Passthrough {
				passHosts[g.server.Host] = true
			} else if g.server.TLS != nil {
				tlsHosts[g.server.Host] = g.server.TLS
			}
		}
		if source == nil {
			continue // no route needs this Gateway
		}
		hosts := make([]string, 0, len(tlsHosts)+len(passHosts))
		for h := range tlsHosts {
			hosts = append(hosts, h)
		}
		for h := range passHosts {
			hosts = append(hosts, h)
		}
		sort.Strings(hosts)
		l.https[t] = map[string]*listenerPlan{}
		if t.ListenerSets == ListenerSetsPerNamespace {
			e.layoutListenerSets(l, t, source, hosts, tlsHosts, passHosts, order)
			continue
		}
		for i := 0; i == 0 || i < len(hosts); i += maxListeners - 1 {
			gp := &gatewayPlan{name: t.Name, target: t, source: source, namespace: t.Namespace}
			if i > 0 {
				gp.name = fit(fmt.Sprintf("%s-%d", t.Name, i/(maxListeners-1)+1))
				e.findings.Warnf(source.Object, "", "Gateway %s needs more than %d listeners; split into %s and more, each with its own address", t.ref(), maxListeners, gp.name)
			}
			gp.listeners = []*listenerPlan{{gateway: gp, name: "http", namespaces: map[string]*ingressnginx.Ingress{}}}
			for _, h := range hosts[i:min(i+maxListeners-1, len(hosts))] {
				lp := &listenerPlan{gateway: gp, name: fit("https-" + slug(h)), host: h, tls: tlsHosts[h], namespaces: map[string]*ingressnginx.Ingress{}}
				if passHosts[h] {
					lp.name, lp.passthrough = fit("tls-"+slug(h)), true
				}
				gp.listeners = append(gp.listeners, lp)
				l.https[t][h] = lp
			}
			l.byTarget[t] = append(l.byTarget[t], gp)
			l.gateways = append(l.gateways, gp)
		}
	}
	return l
}

// parents returns the parentRefs for a group's HTTP and HTTPS sides (https
// is nil when the host has no HTTPS listener to attach to), and records
// the group's namespace on created listeners for their allowedRoutes.
func (l *layout) parents(g *group) (http, https *gwv1.ParentReference) {
	t := g.target
	ref := func(gateway, section string) *gwv1.ParentReference {
		p := &gwv1.ParentReference{Name: gwv1.ObjectName(gateway)}
		if t.Namespace != "" && t.Namespace != g.ing.Namespace {
			p.Namespace = ptr.To(gwv1.Namespace(t.Namespace))
		}
		if section != "" {
			p.SectionName = ptr.To(gwv1.SectionName(section))
		}
		return p
	}
	if !t.Create {
		http = ref(t.Name, t.SectionNames.HTTP)
		if g.server.TLS != nil && !g.server.Passthrough {
			https = ref(t.Name, t.SectionNames.HTTPS)
		}
		return http, https
	}
	gp := l.byTarget[t][0]
	if lp := l.https[t][g.server.Host]; lp != nil && g.server.TLS != nil && !lp.passthrough {
		if lp.gateway.set {
			https = lp.setRef(g.ing.Namespace)
		} else {
			gp = lp.gateway
			https = ref(gp.name, lp.name)
		}
		lp.admit(g.ing)
	}
	gp.listeners[0].admit(g.ing)
	return ref(gp.name, "http"), https
}

// gateways generates the created Gateways and the ReferenceGrants that let
// them read certificates from the Ingresses' namespaces.
func (e *emitter) gateways(l *layout) []*Object {
	var out []*Object
	for _, gp := range l.gateways {
		t := gp.target
		gw := &gwv1.Gateway{
			TypeMeta:   metav1.TypeMeta{APIVersion: gwv1.GroupVersion.String(), Kind: "Gateway"},
			ObjectMeta: e.meta(gp.name, t.Namespace, gp.source),
		}
		gw.Annotations = nil
		gw.Spec.GatewayClassName = gwv1.ObjectName(t.GatewayClassName)
		grants := map[string]map[string]bool{}
		for _, lp := range gp.listeners {
			gw.Spec.Listeners = append(gw.Spec.Listeners, e.listener(gp, lp, grants))
		}
		if len(gp.sets) > 0 {
			gw.Spec.AllowedListeners = e.allowedListeners(gp)
		}
		out = append(out, &Object{Kind: "Gateway", Namespace: t.Namespace, Name: gp.name, Source: gp.source, Value: gw})
		out = append(out, e.grants(gp, grants)...)
		out = append(out, e.listenerSets(gp)...)
	}
	return out
}

// listener is the listener for lp on the Gateway or ListenerSet gp; a
// certificate in another namespace than gp's is recorded in grants.
func (e *emitter) listener(gp *gatewayPlan, lp *listenerPlan, grants map[string]map[string]bool) gwv1.Listener {
	t := gp.target
	ln := gwv1.Listener{Name: gwv1.SectionName(lp.name), Port: 80, Protocol: gwv1.HTTPProtocolType}
	if lp.passthrough {
		ln.Port, ln.Protocol = 443, gwv1.TLSProtocolType
		ln.Hostname = ptr.To(gwv1.Hostname(lp.host))
		ln.TLS = &gwv1.ListenerTLSConfig{Mode: ptr.To(gwv1.TLSModePassthrough)}
	} else if lp.tls != nil {
		ln.Port, ln.Protocol = 443, gwv1.HTTPSProtocolType
		ln.Hostname = ptr.To(gwv1.Hostname(lp.host))
		cert := gwv1.SecretObjectReference{Name: gwv1.ObjectName(lp.tls.SecretName)}
		if lp.tls.Namespace == "" && gp.namespace != "" {
			e.findings.Warnf(lp.tls.Ingress.Object, "spec.tls", "the TLS Secret %q belongs to an Ingress without namespace, so Gateway %s refers to it in its own namespace; copy the Secret there or give the Ingress a namespace", lp.tls.SecretName, t.ref())
		}
		if lp.tls.Namespace != gp.namespace && lp.tls.Namespace != "" {
			cert.Namespace = ptr.To(gwv1.Namespace(lp.tls.Namespace))
			if grants[lp.tls.Namespace] == nil {
				grants[lp.tls.Namespace] = map[string]bool{}
			}
			grants[lp.tls.Namespace][lp.tls.SecretName] = true
		}
		ln.TLS = &gwv1.ListenerTLSConfig{Mode: ptr.To(gwv1.TLSModeTerminate), CertificateRefs: []gwv1.SecretObjectReference{cert}}
	}
	ln.AllowedRoutes = e.allowedRoutes(gp, lp)
	return ln
}

func (e *emitter) allowedRoutes(gp *gatewayPlan, lp *listenerPlan) *gwv1.AllowedRoutes {
	var nss []string
	for ns := range lp.namespaces {
		if ns != gp.namespace {
			nss = append(nss, ns)
		}
	}
	sort.Strings(nss)
	if len(nss) == 0 {
		return &gwv1.AllowedRoutes{Namespaces: &gwv1.RouteNamespaces{From: ptr.To(gwv1.NamespacesFromSame)}}
	}
	if lp.namespaces[gp.namespace] != nil {
		nss = append(nss, gp.namespace)
		sort.Strings(nss)
	}
	if nss[0] == "" {
		// The route's namespace is only known once applied; admitting
		// none would leave it unattached, so the listener admits all.
		if !e.warnedUnnamespaced[gp] {
			e.warnedUnnamespaced[gp] = true
			e.findings.Warnf(lp.namespaces[""].Object, "metadata.namespace",
				"an Ingress without namespace attaches to Gateway %s; its namespace is only known once applied, so the listeners admit routes from all namespaces (set a namespace to narrow allowedRoutes)", gp.target.ref())
		}
		return &gwv1.AllowedRoutes{Namespaces: &gwv1.RouteNamespaces{From: ptr.To(gwv1.NamespacesFromAll)}}
	}
	return &gwv1.AllowedRoutes{Namespaces: &gwv1.RouteNamespaces{
		From: ptr.To(gwv1.NamespacesFromSelector),
		Selector: &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{{
			Key: "kubernetes.io/metadata.name", Operator: metav1.LabelSelectorOpIn, Values: nss,
		}}},
	}}
}

func (e *emitter) grants(gp *gatewayPlan, bySpace map[string]map[string]bool) []*Object {
	nss := make([]string, 0, len(bySpace))
	secrets := map[string][]string{}
	for ns, set := range bySpace {
		nss = append(nss, ns)
		for s := range set {
			secrets[ns] = append(secrets[ns], s)
		}
		sort.Strings(secrets[ns])
	}
	sort.Strings(nss)
	var out []*Object
	for _, ns := range nss {
		// A grant names at most maxGrantTo Secrets (CRD maxItems).
		for start := 0; start < len(secrets[ns]); start += maxGrantTo {
			name := e.names.take(ns, fit(gp.name+"-"+gp.target.Namespace+"-certificates"))
			rg := &gwv1beta1.ReferenceGrant{
				TypeMeta:   metav1.TypeMeta{APIVersion: gwv1beta1.GroupVersion.String(), Kind: "ReferenceGrant"},
				ObjectMeta: e.meta(name, ns, gp.source),
			}
			rg.Annotations = nil
			rg.Spec.From = []gwv1beta1.ReferenceGrantFrom{{Group: gwv1.GroupName, Kind: "Gateway", Namespace: gwv1.Namespace(gp.target.Namespace)}}
			for _, s := range secrets[ns][start:min(start+maxGrantTo, len(secrets[ns]))] {
				rg.Spec.To = append(rg.Spec.To, gwv1beta1.ReferenceGrantTo{Group: "", Kind: "Secret", Name: ptr.To(gwv1.ObjectName(s))})
			}
			out = append(out, &Object{Kind: "ReferenceGrant", Namespace: ns, Name: name, Source: gp.source, Value: rg})
		}
	}
	return out
}

// existingGateway is a Gateway of the input that routes may attach to.
type existingGateway struct {
	obj       *load.Object
	listeners map[string]gwv1.Listener
	err       error // why the Gateway could not be read
}

func readGateways(objs []*load.Object) map[string]*existingGateway {
	out := map[string]*existingGateway{}
	for _, o := range objs {
		if o.Kind() != "Gateway" || !strings.HasPrefix(o.APIVersion(), gwv1.GroupName+"/") {
			continue
		}
		// A Gateway that cannot be read still exists: a created Gateway
		// must not shadow it, and routes cannot be checked against it.
		eg := &existingGateway{obj: o, listeners: map[string]gwv1.Listener{}}
		out[o.Namespace()+"/"+o.Name()] = eg
		var gw gwv1.Gateway
		data, err := load.JSON(o.Node)
		if err == nil {
			err = json.Unmarshal(data, &gw)
		}
		if err != nil {
			eg.err = err
			continue
		}
		for _, l := range gw.Spec.Listeners {
			eg.listeners[string(l.Name)] = l
		}
	}
	return out
}

// checkExisting checks targets against Gateways in the input: a created
// Gateway must not replace one the user wrote, and attached routes must
// name listeners that exist.
func (e *emitter) checkExisting() {
	for _, g := range e.groups {
		if g.target == nil || e.failed[g.ing] {
			continue
		}
		t := g.target
		eg := e.existing[t.Namespace+"/"+t.Name]
		if t.Create {
			if eg != nil && eg.obj.Node != nil && eg.obj.Label(ManagedByLabel) != ManagedByValue {
				e.fail(g.ing, "", "target Gateway %s has create: true but the input already holds that Gateway (%s); set create: false to attach to it", t.ref(), eg.obj.Source)
			}
			continue
		}
		e.plainOnHTTPS(g, eg)
		if eg == nil {
			if g.server.TLS != nil {
				e.findings.Infof(g.ing.Object, "spec.tls", "host %q uses certificate Secret %s/%s in ingress-nginx; Gateway %s is not in the input, so check that its HTTPS listener serves that certificate",
					g.server.Host, g.server.TLS.Namespace, g.server.TLS.SecretName, t.ref())
			}
			continue
		}
		if eg.err != nil {
			e.fail(g.ing, "", "target Gateway %s (%s) cannot be read, so the routes cannot be checked against its listeners: %v", t.ref(), eg.obj.Source, eg.err)
			continue
		}
		for _, s := range []struct{ field, name string }{{"http", t.SectionNames.HTTP}, {"https", t.SectionNames.HTTPS}} {
			if s.name == "" || (s.field == "https" && g.server.TLS == nil) {
				continue
			}
			l, ok := eg.listeners[s.name]
			if !ok {
				e.fail(g.ing, "", "Gateway %s (%s) has no listener %q named by sectionNames.%s", t.ref(), eg.obj.Source, s.name, s.field)
				continue
			}
			if s.field == "https" && l.Hostname != nil && !hostCovers(string(*l.Hostname), g.server.Host) {
				e.findings.Warnf(g.ing.Object, "spec.tls", "Gateway %s listener %q has hostname %q, which does not cover host %q; the HTTPS routes will not attach for it",
					t.ref(), s.name, *l.Hostname, g.server.Host)
			}
		}
	}
}

// plainOnHTTPS warns where a host without TLS in its Ingresses attaches
// to an existing Gateway without sectionNames.http: its route has no
// sectionName, so it attaches to every listener of the Gateway whose
// hostname admits it, HTTPS ones included (Gateway API ParentReference:
// "When unspecified (empty string), this will reference the entire
// resource"), and HTTPS requests for the host are served, where
// ingress-nginx has no certificate for it and answers with its default
// one. Quiet when the Gateway is in the input and has no such listener.
func (e *emitter) plainOnHTTPS(g *group, eg *existingGateway) {
	t := g.target
	if g.server.TLS != nil || t.SectionNames.HTTP != "" || e.failed[g.ing] || !g.routes() {
		return
	}
	if eg != nil && eg.err == nil {
		https := false
		for _, l := range eg.listeners {
			if l.Protocol == gwv1.HTTPSProtocolType && (l.Hostname == nil || hostCovers(string(*l.Hostname), g.server.Host)) {
				https = true
			}
		}
		if !https {
			return
		}
	}
	e.findings.Warnf(g.ing.Object, "spec.rules", "approximated: host %q has no TLS in its Ingresses, and its routes attach to Gateway %s without a sectionName, so every HTTPS listener of that Gateway admitting the host serves it too, where ingress-nginx has no certificate for it; set sectionNames.http to keep it plain HTTP only",
		g.server.Host, t.ref())
}

// hostCovers reports whether a listener hostname admits a route host.
func hostCovers(listener, host string) bool {
	if listener == host {
		return true
	}
	if strings.HasPrefix(listener, "*.") {
		return strings.HasSuffix(host, listener[1:])
	}
	return false
}

// fallThrough warns where a host-less route changes what unmatched
// requests of a known host get: ingress-nginx answers them 404 from the
// host's own server, Gateway API falls back to routes without hostnames.
func (e *emitter) fallThrough() {
	var catchAll *group
	for _, g := range e.groups {
		if g.server.Host == "" && !e.failed[g.ing] && len(g.entries(false)) > 0 {
			catchAll = g
			break
		}
	}
	if catchAll == nil {
		return
	}
	for _, s := range e.model.Servers {
		if s.Host == "" {
			continue
		}
		for _, l := range s.Locations {
			if l.Implicit && l.Backend == nil && !e.failed[l.Ingress] {
				e.findings.Warnf(l.Ingress.Object, "spec.rules",
					"requests for host %q that match no path get 404 from ingress-nginx, but on the Gateway they reach the host-less route of Ingress %s; add a \"/\" path to the host to keep the 404",
					s.Host, qualified(catchAll.ing.Namespace, catchAll.ing.Name))
			}
		}
	}
}

// admit records that ing's routes attach to the listener.
func (lp *listenerPlan) admit(ing *ingressnginx.Ingress) {
	if lp.namespaces[ing.Namespace] == nil {
		lp.namespaces[ing.Namespace] = ing
	}
}
