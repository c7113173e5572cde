package gateway

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"

	"github.com/routeshift/routeshift/internal/proof/internal/kube"
	"github.com/routeshift/routeshift/internal/proof/routing"
)

const group = "gateway.networking.k8s.io"

// Options chooses the Gateways and ports a request reaches.
type Options struct {
	// Gateways are "name" or "namespace/name"; empty means every Gateway.
	Gateways []string
	// HTTPPort and HTTPSPort are where plain and TLS requests arrive; 0
	// means 80 and 443.
	HTTPPort, HTTPSPort int
	// RequireServices makes a backendRef to a Service that is not among the
	// objects invalid (a 500), as in a cluster. Off by default because
	// rendered manifests often leave Services to another pipeline.
	RequireServices bool
	// Implementation evaluates the routes as that implementation does
	// where the specification leaves the choice open; empty is the
	// specification, whose open choices are unverifiable.
	Implementation Implementation
}

// listener is one Listener of a selected Gateway with the routes attached
// to it.
type listener struct {
	gw   string // namespace/name of the Gateway whose address serves it
	gwNS string // namespace of its owner (Gateway or ListenerSet), for from: Same
	// set is the namespace/name of the ListenerSet it comes from, "" for
	// the Gateway's own; rank orders the merged list (see listenersets.go).
	set      string
	rank     int
	name     string
	port     int
	protocol string
	hostname string
	from     string
	selector labels.Selector
	kinds    map[string]bool
	routes   []*route
	// assumed listeners stand for a Gateway the routes name but the
	// objects do not hold (see assume).
	assumed bool
	byHost  map[string][]*route // exact route hostname
	byWild  map[string][]*route // "*.suffix" route hostname, keyed by suffix
	noHost  []*route
}

// route is an HTTPRoute or GRPCRoute.
type route struct {
	kind      string
	ns, name  string
	created   time.Time
	dated     bool
	hostnames []string
	parents   []gatewayv1.ParentReference
	rules     []*rule
	// rank is the route's place among all routes: dated before undated,
	// oldest first, then namespace/name, the tie-break of the
	// specification and of every modelled implementation.
	rank int64
}

func (r *route) ref() string { return r.ns + "/" + r.name }

// Model is the Gateway API evaluator built from a set of objects.
type Model struct {
	// mu guards the indexes built on first use.
	mu        sync.Mutex
	opts      Options
	listeners []*listener
	// byPort indexes listeners by port and protocol, then hostname, so that
	// a request does not scan every listener of a large Gateway.
	byPort    map[portKey]*listenerIndex
	byGateway map[string][]*listener
	bySection map[string]*listener
	grants    []grant
	services  map[string]bool
	nsLabels  map[string]map[string]string
	points    []routing.Point
	notes     []string
	// egFilters are Envoy Gateway HTTPRouteFilters by namespace/name
	// (egfilter.go), read only for --implementation envoy-gateway.
	egFilters map[string]*egRewrite
}

type grant struct {
	ns   string
	from []gatewayv1.ReferenceGrantFrom
	to   []gatewayv1.ReferenceGrantTo
}

// Build models the selected Gateways with the routes attached to them.
// A Gateway named in Options that is not among objs is an error, so that a
// typo does not pass as "no routes, all 404".
func Build(objs []*kube.Object, opts Options) (*Model, error) {
	if opts.HTTPPort == 0 {
		opts.HTTPPort = 80
	}
	if opts.HTTPSPort == 0 {
		opts.HTTPSPort = 443
	}
	m := &Model{opts: opts, services: map[string]bool{}, nsLabels: map[string]map[string]string{}}
	var routes []*route
	var sets []*listenerSetObj
	allowed := map[string]*gatewayv1.AllowedListeners{}
	found := map[string]bool{}
	for _, o := range objs {
		g := kube.Group(o.APIVersion())
		switch {
		case o.Kind() == "Service" && o.APIVersion() == "v1":
			// Only a Service's existence matters to a backendRef.
			m.services[kube.Namespace(o)+"/"+o.Name()] = true
		case o.Kind() == "Namespace" && o.APIVersion() == "v1":
			labels, err := o.Labels()
			if err != nil {
				return nil, err
			}
			m.nsLabels[o.Name()] = labels
		case o.Kind() == "HTTPRouteFilter" && g == "gateway.envoyproxy.io" && opts.Implementation == EnvoyGateway:
			if err := m.readEGFilter(o); err != nil {
				return nil, err
			}
		case g != group:
		case o.Kind() == "Gateway":
			var gw gatewayv1.Gateway
			if err := kube.Decode(o, &gw); err != nil {
				return nil, err
			}
			ns := kube.Namespace(o)
			if !selected(opts.Gateways, ns, gw.Name, found) {
				continue
			}
			ls, notes := listeners(gw.Spec.Listeners, ns+"/"+gw.Name, ns)
			for _, n := range notes {
				m.notes = append(m.notes, o.Ref()+": "+n)
			}
			m.listeners = append(m.listeners, ls...)
			allowed[ns+"/"+gw.Name] = gw.Spec.AllowedListeners
		case o.Kind() == "ListenerSet":
			s, err := readListenerSet(o)
			if err != nil {
				return nil, err
			}
			sets = append(sets, s)
		case o.Kind() == "HTTPRoute":
			r, err := httpRoute(o)
			if err != nil {
				return nil, err
			}
			routes = append(routes, r)
		case o.Kind() == "GRPCRoute":
			r, err := grpcRoute(o)
			if err != nil {
				return nil, err
			}
			routes = append(routes, r)
		case o.Kind() == "ReferenceGrant":
			var rg gatewayv1.ReferenceGrant
			if err := kube.Decode(o, &rg); err != nil {
				return nil, err
			}
			m.grants = append(m.grants, grant{ns: kube.Namespace(o), from: rg.Spec.From, to: rg.Spec.To})
		}
	}
	m.attachListenerSets(sets, allowed)
	rankRoutes(routes)
	m.assume(routes, found)
	for _, want := range opts.Gateways {
		if !found[want] {
			return nil, fmt.Errorf("gateway %q is neither among the objects nor named by a route", want)
		}
	}
	sort.SliceStable(m.listeners, func(i, j int) bool {
		a, b := m.listeners[i], m.listeners[j]
		if a.gw != b.gw {
			return a.gw < b.gw
		}
		if a.rank != b.rank {
			return a.rank < b.rank
		}
		return a.name < b.name
	})
	m.index()
	for _, r := range routes {
		m.attach(r)
	}
	m.mergeSets()
	m.collectPoints(routes)
	return m, nil
}

func rankRoutes(routes []*route) {
	sorted := append([]*route(nil), routes...)
	sort.SliceStable(sorted, func(i, j int) bool {
		a, b := sorted[i], sorted[j]
		if a.dated != b.dated {
			return a.dated
		}
		if !a.created.Equal(b.created) {
			return a.created.Before(b.created)
		}
		return a.ref() < b.ref()
	})
	for i, r := range sorted {
		r.rank = int64(i)
	}
}

func selected(want []string, ns, name string, found map[string]bool) bool {
	if len(want) == 0 {
		return true
	}
	ok := false
	for _, w := range want {
		if w == name || w == ns+"/"+name {
			found[w] = true
			ok = true
		}
	}
	return ok
}

// listeners returns the HTTP-serving listeners of a Gateway. A listener
// whose namespace selector is invalid admits no route, as an
// implementation that cannot evaluate the selector would; a note says so.
func listeners(spec []gatewayv1.Listener, gw, ns string) ([]*listener, []string) {
	var out []*listener
	var notes []string
	for _, l := range spec {
		x := &listener{gw: gw, gwNS: ns, name: string(l.Name), port: int(l.Port),
			protocol: string(l.Protocol), from: "Same", byHost: map[string][]*route{}, byWild: map[string][]*route{}}
		if l.Hostname != nil {
			x.hostname = strings.ToLower(string(*l.Hostname))
		}
		if l.TLS != nil && l.TLS.Mode != nil && *l.TLS.Mode == gatewayv1.TLSModePassthrough {
			continue // TLS passthrough serves no HTTP
		}
		if ar := l.AllowedRoutes; ar != nil {
			if ar.Namespaces != nil && ar.Namespaces.From != nil {
				x.from = string(*ar.Namespaces.From)
			}
			if x.from == "Selector" {
				sel := &metav1.LabelSelector{}
				if ar.Namespaces.Selector != nil {
					sel = ar.Namespaces.Selector
				}
				s, err := metav1.LabelSelectorAsSelector(sel)
				if err != nil {
					notes = append(notes, fmt.Sprintf("listener %s admits no route: its namespace selector is invalid: %v", l.Name, err))
					s = labels.Nothing()
				}
				x.selector = s
			}
			if len(ar.Kinds) > 0 {
				x.kinds = map[string]bool{}
				for _, k := range ar.Kinds {
					if k.Group == nil || string(*k.Group) == group {
						x.kinds[string(k.Kind)] = true
					}
				}
			}
		}
		out = append(out, x)
	}
	return out, notes
}

func dates(meta metav1.ObjectMeta) (time.Time, bool) {
	if meta.CreationTimestamp.IsZero() {
		return time.Time{}, false
	}
	return meta.CreationTimestamp.Time, true
}

// attach binds a route to every listener one of its parentRefs selects and
// admits: the Gateway, sectionName and port must match, the listener must
// allow the route's namespace and kind, and hostnames must intersect.
func (m *Model) attach(r *route) {
	done := map[*listener]bool{}
	for _, p := range r.parents {
		for _, l := range m.parentListeners(r, p) {
			if done[l] || !m.allows(l, r) || !intersects(l.hostname, r.hostnames) {
				continue
			}
			done[l] = true
			m.bind(l, r)
		}
	}
}

func (m *Model) bind(l *listener, r *route) {
	l.routes = append(l.routes, r)
	if len(r.hostnames) == 0 {
		l.noHost = append(l.noHost, r)
	}
	for _, h := range r.hostnames {
		if suffix, ok := strings.CutPrefix(h, "*."); ok {
			l.byWild[suffix] = appendOnce(l.byWild[suffix], r)
		} else {
			l.byHost[h] = appendOnce(l.byHost[h], r)
		}
	}
}

func appendOnce(rs []*route, r *route) []*route {
	if len(rs) > 0 && rs[len(rs)-1] == r {
		return rs
	}
	return append(rs, r)
}

// assume stands in for Gateways that routes name but the objects do not
// hold: a pull request in an application repository edits HTTPRoutes of a
// Gateway the platform team owns. Such a Gateway gets an HTTP listener on
// HTTPPort and an HTTPS one on HTTPSPort, without hostname, admitting every
// namespace. A parentRef's sectionName picks the HTTPS listener when it
// looks like one ("https", "tls", "secure" or "443" in it), else the HTTP
// one; without sectionName a route attaches to both. Notes say so.
func (m *Model) assume(routes []*route, found map[string]bool) {
	have := map[string]bool{}
	for _, l := range m.listeners {
		have[l.gw] = true
	}
	var names []string
	seen := map[string]bool{}
	for _, r := range routes {
		for _, p := range r.parents {
			if (p.Group != nil && string(*p.Group) != group) || (p.Kind != nil && string(*p.Kind) != "Gateway") {
				continue
			}
			ns := r.ns
			if p.Namespace != nil {
				ns = string(*p.Namespace)
			}
			gw := ns + "/" + string(p.Name)
			if have[gw] || seen[gw] || !selected(m.opts.Gateways, ns, string(p.Name), found) {
				continue
			}
			seen[gw] = true
			names = append(names, gw)
		}
	}
	sort.Strings(names)
	for _, gw := range names {
		ns, _, _ := strings.Cut(gw, "/")
		for _, proto := range []string{"HTTP", "HTTPS"} {
			port := m.opts.HTTPPort
			if proto == "HTTPS" {
				port = m.opts.HTTPSPort
			}
			m.listeners = append(m.listeners, &listener{gw: gw, gwNS: ns, name: "(assumed " + proto + ")",
				port: port, protocol: proto, from: "All", assumed: true,
				byHost: map[string][]*route{}, byWild: map[string][]*route{}})
		}
		m.notes = append(m.notes, "Gateway "+gw+" is not in the manifests: assumed to listen for HTTP on port "+
			strconv.Itoa(m.opts.HTTPPort)+" and HTTPS on port "+strconv.Itoa(m.opts.HTTPSPort)+" for every host and namespace")
	}
}

// Notes lists the assumptions the model made.
func (m *Model) Notes() []string { return m.notes }

func looksHTTPS(section string) bool {
	s := strings.ToLower(section)
	return strings.Contains(s, "https") || strings.Contains(s, "tls") || strings.Contains(s, "secure") || strings.Contains(s, "443")
}

// parentListeners returns the listeners a parentRef selects: those of the
// Gateway it names, narrowed by sectionName and port.
func (m *Model) parentListeners(r *route, p gatewayv1.ParentReference) []*listener {
	if p.Group != nil && string(*p.Group) != group {
		return nil
	}
	ns := r.ns
	if p.Namespace != nil {
		ns = string(*p.Namespace)
	}
	key := ns + "/" + string(p.Name)
	switch {
	case p.Kind == nil || string(*p.Kind) == "Gateway":
	case string(*p.Kind) == "ListenerSet":
		key = setKey(key)
	default:
		return nil
	}
	ls := m.byGateway[key]
	if len(ls) == 0 {
		return nil
	}
	if p.SectionName != nil && !ls[0].assumed {
		l, ok := m.bySection[key+"/"+string(*p.SectionName)]
		if !ok || (p.Port != nil && int(*p.Port) != l.port) {
			return nil
		}
		return []*listener{l}
	}
	var out []*listener
	for _, l := range ls {
		if l.assumed && p.SectionName != nil && looksHTTPS(string(*p.SectionName)) != (l.protocol == "HTTPS") {
			continue
		}
		if p.Port != nil && int(*p.Port) != l.port {
			continue
		}
		out = append(out, l)
	}
	return out
}

func (m *Model) allows(l *listener, r *route) bool {
	if l.kinds != nil && !l.kinds[r.kind] {
		return false
	}
	if l.kinds == nil && r.kind == "GRPCRoute" && l.protocol != "HTTP" && l.protocol != "HTTPS" {
		return false
	}
	switch l.from {
	case "All":
		return true
	case "Same":
		return r.ns == l.gwNS
	case "Selector":
		lbls := map[string]string{}
		for k, v := range m.nsLabels[r.ns] {
			lbls[k] = v
		}
		lbls["kubernetes.io/metadata.name"] = r.ns
		return l.selector.Matches(labels.Set(lbls))
	}
	return false
}

// intersects: a listener without hostname takes any route; a route without
// hostnames takes the listener's; otherwise one route hostname must match
// the listener's or be a wildcard that covers it.
func intersects(lh string, rhs []string) bool {
	if lh == "" || len(rhs) == 0 {
		return true
	}
	for _, h := range rhs {
		if hostMatches(lh, h) || hostMatches(h, lh) {
			return true
		}
	}
	return false
}

// hostMatches reports whether pattern (exact or "*.suffix", any number of
// labels) matches host, which may itself be a wildcard.
func hostMatches(pattern, host string) bool {
	if pattern == host {
		return true
	}
	suffix, ok := strings.CutPrefix(pattern, "*.")
	if !ok {
		return false
	}
	host = strings.TrimPrefix(host, "*.")
	return strings.HasSuffix(host, "."+suffix)
}

type portKey struct {
	port  int
	proto string
}
