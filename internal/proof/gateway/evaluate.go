package gateway

import (
	"sort"
	"strconv"
	"strings"

	"github.com/routeshift/routeshift/internal/proof/routing"
)

// Evaluate answers a request as a conformant Gateway API implementation
// would.
func (m *Model) Evaluate(r routing.Request) routing.Outcome {
	port := r.Port
	proto := "HTTP"
	if r.Scheme == "https" {
		proto = "HTTPS"
		if port == 0 {
			port = m.opts.HTTPSPort
		}
	} else if port == 0 {
		port = m.opts.HTTPPort
	}
	host := r.Hostname()
	set, any := m.selectListeners(port, proto, host)
	if set == nil || len(set.ls) == 0 {
		if !any {
			return routing.Outcome{Kind: routing.Refused, Reason: "no " + proto + " listener on port " + strconv.Itoa(port)}
		}
		if proto == "HTTPS" {
			return routing.Outcome{Kind: routing.Refused, Reason: "no HTTPS listener for " + host}
		}
		return routing.StatusOutcome(404, "no listener for "+host)
	}
	if proto == "HTTPS" && assumedWithoutHost(set.ls, host) {
		return routing.Outcome{Kind: routing.Refused, Reason: "no route of the assumed Gateway names " + host + ", so no certificate for it is known"}
	}
	grpc := isGRPC(&r)
	best := m.bestMatch(set, host, &r, grpc)
	if best.rule == nil && grpc {
		best = m.bestMatch(set, host, &r, false)
	}
	if best.unverifiable != "" {
		return routing.UnverifiableOutcome(best.unverifiable)
	}
	if best.rule == nil {
		return routing.StatusOutcome(404, "no route matches")
	}
	return m.apply(best, &r, set.ls[0])
}

func isGRPC(r *routing.Request) bool {
	ct, _ := r.Header("content-type")
	return strings.HasPrefix(ct, "application/grpc")
}

// selectListeners returns the listeners on the port whose hostname matches
// most specifically (exact, then the wildcard with the longest suffix, then
// none). A request reaches one listener of a Gateway; the selected Gateways
// are taken as one front door, so equally specific listeners of different
// Gateways serve together. any reports whether the port has a listener of
// that protocol at all.
func (m *Model) selectListeners(port int, proto, host string) (*listenerSet, bool) {
	ix := m.byPort[portKey{port, proto}]
	if ix == nil {
		return nil, false
	}
	if s := ix.exact[host]; s != nil && len(s.ls) > 0 {
		return s, true
	}
	// The wildcard with the longest suffix is the most specific.
	for h := host; strings.Contains(h, "."); {
		h = h[strings.IndexByte(h, '.')+1:]
		if s := ix.wild[h]; s != nil && len(s.ls) > 0 {
			return s, true
		}
	}
	return ix.noHost, true
}

// candidate is a route rule match that a request satisfies, with the keys
// that rank it.
type candidate struct {
	route        *route
	rule         *rule
	match        *match
	exactHost    int
	anyHost      int
	unverifiable string
}

// bestMatch applies the precedence of HTTPRouteRule.Matches across every
// rule of every route attached to the listeners: the route's most specific
// matching hostname (non-wildcard characters, then characters), then an
// Exact path, the longest prefix, a method, the most header matches, the
// most query matches, then the oldest route, then namespace/name, then rule
// and match order. A RegularExpression match that the request satisfies
// makes it unverifiable: its dialect and its place in that order are
// implementation-specific.
func (m *Model) bestMatch(set *listenerSet, host string, r *routing.Request, grpc bool) candidate {
	var best candidate
	seen := map[*route]bool{}
	consider := func(rt *route) {
		if seen[rt] || (rt.kind == "GRPCRoute") != grpc {
			return
		}
		seen[rt] = true
		exact, anyLen := hostRank(rt, host)
		for _, ru := range rt.rules {
			for _, mt := range ru.matches {
				ok, regex := mt.test(r)
				if !ok {
					continue
				}
				if regex != "" {
					if best.unverifiable == "" {
						best.unverifiable = regex + " in " + rt.kind + " " + rt.ref()
					}
					continue
				}
				c := candidate{route: rt, rule: ru, match: mt, exactHost: exact, anyHost: anyLen}
				if best.rule == nil || c.beats(&best) {
					c.unverifiable = best.unverifiable
					best = c
				}
			}
		}
	}
	// Routes are visited listener by listener, and within a listener by
	// exact hostname, then wildcards from the longest suffix, then routes
	// without hostnames: the order decides which unverifiable match a
	// report names first.
	type visit struct {
		pos, phase, depth int
		routes            []*route
	}
	var visits []visit
	for _, h := range set.byHost[host] {
		visits = append(visits, visit{h.pos, 0, 0, h.routes})
	}
	for h, depth := host, 0; ; depth++ {
		i := strings.IndexByte(h, '.')
		if i < 0 {
			break
		}
		h = h[i+1:]
		for _, w := range set.byWild[h] {
			visits = append(visits, visit{w.pos, 1, depth, w.routes})
		}
	}
	for _, n := range set.noHost {
		visits = append(visits, visit{n.pos, 2, 0, n.routes})
	}
	sort.Slice(visits, func(i, j int) bool {
		a, b := visits[i], visits[j]
		if a.pos != b.pos {
			return a.pos < b.pos
		}
		if a.phase != b.phase {
			return a.phase < b.phase
		}
		return a.depth < b.depth
	})
	for _, v := range visits {
		for _, rt := range v.routes {
			consider(rt)
		}
	}
	return best
}

func hostRank(rt *route, host string) (exact, any int) {
	for _, h := range rt.hostnames {
		if !hostMatches(h, host) {
			continue
		}
		if !strings.HasPrefix(h, "*.") {
			exact = max(exact, len(h))
		}
		any = max(any, len(h))
	}
	return exact, any
}

func (c *candidate) beats(o *candidate) bool {
	if c.exactHost != o.exactHost {
		return c.exactHost > o.exactHost
	}
	if c.anyHost != o.anyHost {
		return c.anyHost > o.anyHost
	}
	a, b := c.match, o.match
	if c.route.kind == "GRPCRoute" {
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
	ra, rb := c.route, o.route
	if ra != rb {
		if ra.dated != rb.dated {
			return ra.dated
		}
		if !ra.created.Equal(rb.created) {
			return ra.created.Before(rb.created)
		}
		return ra.ref() < rb.ref()
	}
	return false // same route: the earlier rule and match, seen first, stay
}

func prefixLen(m *match) int {
	if m.pathType != "PathPrefix" {
		return len(m.path)
	}
	return len(strings.TrimSuffix(m.path, "/"))
}

// test reports whether the match accepts the request; regex is non-empty
// when it does so through an implementation-specific regular expression.
func (m *match) test(r *routing.Request) (ok bool, regex string) {
	if m.reErr != nil {
		// We cannot tell whether it matches; say so only where it might.
		return true, m.reErr.Error()
	}
	usedRegex := false
	switch m.pathType {
	case "Exact":
		if r.Path != m.path {
			return false, ""
		}
	case "PathPrefix":
		if !prefixMatch(m.path, r.Path) {
			return false, ""
		}
	case "RegularExpression":
		if !m.regexps[0].MatchString(r.Path) {
			return false, ""
		}
		usedRegex = true
	}
	if m.method != "" && r.Method != m.method {
		return false, ""
	}
	for _, h := range m.headers {
		v, ok := r.Header(h.name)
		if !ok {
			return false, ""
		}
		if h.re != nil {
			if !h.re.MatchString(v) {
				return false, ""
			}
			usedRegex = true
		} else if v != h.value {
			return false, ""
		}
	}
	for _, q := range m.query {
		v, ok := r.QueryParam(q.name)
		if !ok {
			return false, ""
		}
		if q.re != nil {
			if !q.re.MatchString(v) {
				return false, ""
			}
			usedRegex = true
		} else if v != q.value {
			return false, ""
		}
	}
	if usedRegex {
		return true, "a RegularExpression match (implementation-specific dialect and precedence)"
	}
	return true, ""
}

// prefixMatch is PathPrefix: element-wise, case-sensitive, a trailing "/"
// of the prefix ignored.
func prefixMatch(prefix, path string) bool {
	p := strings.TrimSuffix(prefix, "/")
	if p == "" {
		return true
	}
	if !strings.HasPrefix(path, p) {
		return false
	}
	return len(path) == len(p) || path[len(p)] == '/'
}

// assumedWithoutHost: an assumed Gateway's HTTPS listener has a
// certificate only for the hostnames its routes name (as far as anyone can
// tell from the manifests).
func assumedWithoutHost(ls []*listener, host string) bool {
	for _, l := range ls {
		if !l.assumed {
			return false
		}
		if len(l.byHost[host]) > 0 {
			return false
		}
		for h := host; strings.Contains(h, "."); {
			h = h[strings.IndexByte(h, '.')+1:]
			if len(l.byWild[h]) > 0 {
				return false
			}
		}
	}
	return true
}
