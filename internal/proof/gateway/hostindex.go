package gateway

// The listener index: a request's port and host find its listener set in
// one lookup, and each set groups its routes by hostname once (Build calls
// index, then mergeSets once routes are attached).

import (
	"strings"
)

type listenerIndex struct {
	exact  map[string]*listenerSet
	wild   map[string]*listenerSet // keyed by the suffix after "*."
	noHost *listenerSet
}

// listenerSet is the listeners a request may be matched against (those of
// one port and hostname), with their routes grouped by hostname once:
// asking every listener in turn made a probe's cost grow with the number
// of Gateways, which grows with the input (split Gateways each have a
// plain HTTP listener).
type listenerSet struct {
	ls []*listener
	// The specification's groups: routes by exact hostname, by wildcard
	// suffix, and those without hostnames.
	specExact map[string]*routeGroup
	specWild  map[string]*routeGroup
	specNone  *routeGroup
	// An implementation's virtual hosts: the route hostnames as they
	// intersect the listener's, exact, wildcard (by suffix) or "*".
	vExact map[string]*routeGroup
	vWild  map[string]*routeGroup
	vAny   *routeGroup
}

func (s *listenerSet) merge() {
	s.specExact, s.specWild = map[string]*routeGroup{}, map[string]*routeGroup{}
	s.vExact, s.vWild = map[string]*routeGroup{}, map[string]*routeGroup{}
	s.specNone, s.vAny = &routeGroup{}, &routeGroup{}
	add := func(m map[string]*routeGroup, k string, r *route) {
		g := m[k]
		if g == nil {
			g = &routeGroup{}
			m[k] = g
		}
		g.add(r)
	}
	for _, l := range s.ls {
		lh := l.hostname
		lsuffix, lwild := strings.CutPrefix(lh, "*.")
		for _, r := range l.routes {
			if len(r.hostnames) == 0 {
				s.specNone.add(r)
			}
			for _, h := range r.hostnames {
				if suffix, ok := strings.CutPrefix(h, "*."); ok {
					add(s.specWild, suffix, r)
				} else {
					add(s.specExact, h, r)
				}
			}
			// Virtual hosts (Envoy Gateway computeHosts, Istio and kgateway
			// alike): a route's hostnames narrowed to the listener's.
			switch {
			case lh != "" && !lwild:
				add(s.vExact, lh, r)
			case len(r.hostnames) == 0:
				if lwild {
					add(s.vWild, lsuffix, r)
				} else {
					s.vAny.add(r)
				}
			default:
				for _, h := range r.hostnames {
					suffix, wild := strings.CutPrefix(h, "*.")
					switch {
					case !wild:
						if !lwild || strings.HasSuffix(h, "."+lsuffix) {
							add(s.vExact, h, r)
						}
					case !lwild || suffix == lsuffix || strings.HasSuffix(suffix, "."+lsuffix):
						add(s.vWild, suffix, r)
					case strings.HasSuffix(lsuffix, "."+suffix):
						add(s.vWild, lsuffix, r)
					}
				}
			}
		}
	}
	for _, m := range []map[string]*routeGroup{s.specExact, s.specWild, s.vExact, s.vWild} {
		for _, g := range m {
			g.finish()
		}
	}
	s.specNone.finish()
	s.vAny.finish()
}

// eachSpecGroup calls f with the groups a host selects, most specific
// first, until f returns false.
func (s *listenerSet) eachSpecGroup(host string, f func(*routeGroup) bool) {
	if g := s.specExact[host]; g != nil && !f(g) {
		return
	}
	for h := host; strings.Contains(h, "."); {
		h = h[strings.IndexByte(h, '.')+1:]
		if g := s.specWild[h]; g != nil && !f(g) {
			return
		}
	}
	if len(s.specNone.routes) > 0 {
		f(s.specNone)
	}
}

// vhost is the virtual host a request reaches: the exact hostname, else
// the wildcard with the longest suffix (any number of labels, as Envoy's
// and nginx's wildcard server names), else "*"; nil for none.
func (s *listenerSet) vhost(host string) *routeGroup {
	if g := s.vExact[host]; g != nil {
		return g
	}
	for h := host; strings.Contains(h, "."); {
		h = h[strings.IndexByte(h, '.')+1:]
		if g := s.vWild[h]; g != nil {
			return g
		}
	}
	if len(s.vAny.routes) > 0 {
		return s.vAny
	}
	return nil
}

// mergeSets merges every listener set's routes once they are attached.
func (m *Model) mergeSets() {
	for _, ix := range m.byPort {
		if ix.noHost != nil {
			ix.noHost.merge()
		}
		for _, s := range ix.exact {
			s.merge()
		}
		for _, s := range ix.wild {
			s.merge()
		}
	}
}

func (m *Model) index() {
	m.byPort = map[portKey]*listenerIndex{}
	m.byGateway = map[string][]*listener{}
	m.bySection = map[string]*listener{}
	for _, l := range m.listeners {
		// A parentRef selects its own object's listeners: a Gateway's, or
		// a ListenerSet's (GEP-1713).
		owner := l.gw
		if l.set != "" {
			owner = setKey(l.set)
		}
		m.byGateway[owner] = append(m.byGateway[owner], l)
		if _, dup := m.bySection[owner+"/"+l.name]; !dup {
			m.bySection[owner+"/"+l.name] = l
		}
		k := portKey{l.port, l.protocol}
		ix := m.byPort[k]
		if ix == nil {
			ix = &listenerIndex{exact: map[string]*listenerSet{}, wild: map[string]*listenerSet{}}
			m.byPort[k] = ix
		}
		add := func(s **listenerSet) {
			if *s == nil {
				*s = &listenerSet{}
			}
			(*s).ls = append((*s).ls, l)
		}
		switch suffix, ok := strings.CutPrefix(l.hostname, "*."); {
		case l.hostname == "":
			add(&ix.noHost)
		case ok:
			s := ix.wild[suffix]
			add(&s)
			ix.wild[suffix] = s
		default:
			s := ix.exact[l.hostname]
			add(&s)
			ix.exact[l.hostname] = s
		}
	}
}
