package gateway

import (
	"sort"
	"strings"

	"github.com/routeshift/routeshift/internal/proof/routing"
)

// entry is one match of one rule of one route, as an implementation tries
// it. order is the tie-break every implementation shares: the oldest route
// first (then namespace/name), then rule and match order.
type entry struct {
	route *route
	rule  *rule
	match *match
	order int64
	// regex: the match tests a regular expression somewhere.
	regex bool
}

// matchIndex holds the matches of a routeGroup of routes in the order an
// implementation tries them, indexed so that a request looks only at the
// matches its path can satisfy: asking every match of a host made diff
// quadratic in the paths of a host.
type matchIndex struct {
	impl    Implementation
	entries []entry
	// exact and prefix list entry positions by path; a PathPrefix is keyed
	// without its trailing "/" ("" for "/"), as element-wise matching
	// compares it.
	exact  map[string][]int32
	prefix map[string][]int32
	// regex lists regex path matches by the lower-cased literal text every
	// path they accept starts with; anyRegex lists all of them, for paths
	// whose case folding is not plain ASCII.
	regex    map[string][]int32
	anyRegex []int32
	ngf      *ngfIndex
}

// routeGroup is the routes one hostname key selects, with their indexes built
// on first use (per implementation, gRPC and HTTP apart).
type routeGroup struct {
	routes []*route
	idx    map[indexKey]*matchIndex
}

type indexKey struct {
	impl Implementation
	grpc bool
}

func (g *routeGroup) add(r *route) { g.routes = append(g.routes, r) }

// finish orders the routeGroup's routes and drops duplicates (a route attached
// to several listeners of a set is one route).
func (g *routeGroup) finish() {
	sort.Slice(g.routes, func(i, j int) bool { return g.routes[i].rank < g.routes[j].rank })
	out := g.routes[:0]
	for i, r := range g.routes {
		if i == 0 || r != g.routes[i-1] {
			out = append(out, r)
		}
	}
	g.routes = out
}

func (m *Model) groupIndex(g *routeGroup, impl Implementation, grpc bool) *matchIndex {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := indexKey{impl, grpc}
	if ix, ok := g.idx[k]; ok {
		return ix
	}
	if g.idx == nil {
		g.idx = map[indexKey]*matchIndex{}
	}
	ix := buildIndex(g.routes, impl, grpc)
	g.idx[k] = ix
	return ix
}

func buildIndex(routes []*route, impl Implementation, grpc bool) *matchIndex {
	ix := &matchIndex{impl: impl, exact: map[string][]int32{}, prefix: map[string][]int32{}, regex: map[string][]int32{}}
	for _, rt := range routes {
		// Envoy Gateway puts both kinds in one table (see Model.pick),
		// the HTTPRoutes first where its sort ties.
		var kind int64
		if rt.kind == "GRPCRoute" {
			kind = 1 << 61
		}
		if impl != EnvoyGateway && (rt.kind == "GRPCRoute") != grpc {
			continue
		}
		for _, ru := range rt.rules {
			for mi, mt := range ru.matches {
				ix.entries = append(ix.entries, entry{route: rt, rule: ru, match: mt,
					order: kind | rt.rank<<40 | int64(ru.idx)<<20 | int64(mi), regex: mt.hasRegex()})
			}
		}
	}
	if impl == Spec {
		sort.SliceStable(ix.entries, func(i, j int) bool { return specLess(&ix.entries[i], &ix.entries[j]) })
	} else {
		sort.SliceStable(ix.entries, func(i, j int) bool { return impl.less(&ix.entries[i], &ix.entries[j]) })
	}
	if impl == NginxGatewayFabric {
		ix.ngf = buildNGF(ix)
		return ix
	}
	d := impl.dialect()
	for i := range ix.entries {
		mt := ix.entries[i].match
		p := int32(i)
		switch mt.pathType {
		case "Exact":
			ix.exact[mt.path] = append(ix.exact[mt.path], p)
		case "PathPrefix":
			k := strings.TrimSuffix(mt.path, "/")
			ix.prefix[k] = append(ix.prefix[k], p)
		default:
			lit := ""
			if mt.reErr == nil {
				lit = routing.RegexPrefix(d.pathSource(mt.path))
			}
			ix.regex[lit] = append(ix.regex[lit], p)
			ix.anyRegex = append(ix.anyRegex, p)
		}
	}
	return ix
}

// specLess is the specification's precedence within one hostname: an
// Exact path, the longest PathPrefix, a method, the most header matches,
// the most query matches, then the oldest route, namespace/name, rule and
// match order. gRPC matches rank by service, then method length.
func specLess(x, y *entry) bool {
	a, b := x.match, y.match
	if x.route.kind == "GRPCRoute" {
		if a.grpcService != b.grpcService {
			return a.grpcService > b.grpcService
		}
		if a.grpcMethod != b.grpcMethod {
			return a.grpcMethod > b.grpcMethod
		}
	} else {
		if (a.pathType == "Exact") != (b.pathType == "Exact") {
			return a.pathType == "Exact"
		}
		if la, lb := prefixLen(a), prefixLen(b); la != lb {
			return la > lb
		}
		if (a.method != "") != (b.method != "") {
			return a.method != ""
		}
	}
	if len(a.headers) != len(b.headers) {
		return len(a.headers) > len(b.headers)
	}
	if len(a.query) != len(b.query) {
		return len(a.query) > len(b.query)
	}
	return x.order < y.order
}

// candidates calls f with each list of entry positions whose path the
// request's path may satisfy; each list is in the implementation's order.
func (ix *matchIndex) candidates(path string, f func([]int32)) {
	if l := ix.exact[path]; l != nil {
		f(l)
	}
	if len(ix.prefix) > 0 {
		for i := 0; i < len(path); i++ {
			if path[i] == '/' {
				if l := ix.prefix[path[:i]]; l != nil {
					f(l)
				}
			}
		}
		if path != "" && path[len(path)-1] != '/' {
			if l := ix.prefix[path]; l != nil {
				f(l)
			}
		}
	}
	if len(ix.anyRegex) == 0 {
		return
	}
	lower, ok := routing.ASCIILower(path)
	if !ok {
		f(ix.anyRegex)
		return
	}
	for i := 0; i <= len(lower); i++ {
		if l := ix.regex[lower[:i]]; l != nil {
			f(l)
		}
	}
}

// first returns the position of the first entry the request satisfies in
// the implementation's order, or -1; unverifiable is set instead when an
// entry tried before any satisfied one cannot be decided.
func (ix *matchIndex) first(r *routing.Request) (best int32, unverifiable string) {
	best = -1
	unv := int32(-1)
	d := ix.impl.dialect()
	ix.candidates(r.Path, func(l []int32) {
		for _, p := range l {
			if (best >= 0 && p >= best) || (unv >= 0 && p >= unv) {
				return
			}
			ok, why := ix.entries[p].match.test(r, d, true)
			if why != "" {
				unv, unverifiable = p, why
				return
			}
			if ok {
				best = p
				return
			}
		}
	})
	if unv >= 0 && (best < 0 || unv < best) {
		return -1, unverifiable
	}
	return best, ""
}

// specFirst is first for the specification: the first verifiable match,
// and whether some regular expression match accepts the request too (its
// place in the order is implementation-specific).
func (ix *matchIndex) specFirst(r *routing.Request) (best int32, regex string) {
	best = -1
	ix.candidates(r.Path, func(l []int32) {
		for _, p := range l {
			e := &ix.entries[p]
			if !e.regex && best >= 0 && p >= best {
				if regex != "" {
					return
				}
				continue
			}
			if e.regex && regex != "" {
				continue
			}
			ok, why := e.match.test(r, dialectSpec, true)
			if !ok {
				continue
			}
			if why != "" {
				regex = why + " in " + e.route.kind + " " + e.route.ref()
				continue
			}
			if best < 0 || p < best {
				best = p
			}
		}
	})
	return best, regex
}
