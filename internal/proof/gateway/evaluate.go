package gateway

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/routeshift/routeshift/internal/proof/routing"
)

// Evaluate answers a request as the configured implementation would, or
// as any conformant one must (Options.Implementation empty).
func (m *Model) Evaluate(r routing.Request) routing.Outcome {
	return m.evaluate(m.opts.Implementation, &r)
}

func (m *Model) evaluate(impl Implementation, r *routing.Request) routing.Outcome {
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
	best, why := m.pick(impl, set, host, r)
	if why != "" {
		if impl == Spec {
			why += m.explain(r)
		}
		return routing.UnverifiableOutcome(why)
	}
	if best.rule == nil {
		return routing.StatusOutcome(404, "no route matches")
	}
	return m.apply(impl, best, r, set.ls[0])
}

// pick finds the rule that answers the request: for a gRPC request
// (content-type application/grpc) among the GRPCRoutes first, then the
// HTTPRoutes. Envoy Gateway has one route table for both, in which a
// GRPCRoute's match is a path match like any other, whatever the content
// type (internal/gatewayapi/route.go processGRPCRouteRule, translator.go
// processes HTTPRoutes then GRPCRoutes into one list, sorted by sort.go;
// v1.8.0 and v1.9.1).
func (m *Model) pick(impl Implementation, set *listenerSet, host string, r *routing.Request) (candidate, string) {
	grpc := isGRPC(r) && impl != EnvoyGateway
	best, why := m.best(impl, set, host, r, grpc)
	if best.rule == nil && why == "" && grpc {
		best, why = m.best(impl, set, host, r, false)
	}
	return best, why
}

// best finds the rule that answers the request. For the specification it
// takes the routes of the most specific hostname that has a match (exact,
// then the longest wildcard, then routes without hostnames), as
// HTTPRouteRule's precedence puts hostnames first; a regular expression
// that accepts the request there or in a more specific hostname makes the
// answer unverifiable. An implementation looks only at its virtual host:
// the routes of the most specific hostname the request matches at all.
func (m *Model) best(impl Implementation, set *listenerSet, host string, r *routing.Request, grpc bool) (candidate, string) {
	if impl == Spec {
		var found candidate
		regex := ""
		set.eachSpecGroup(host, func(g *routeGroup) bool {
			ix := m.groupIndex(g, Spec, grpc)
			p, re := ix.specFirst(r)
			if re != "" && regex == "" {
				regex = re
			}
			if p < 0 {
				return true
			}
			found = ix.candidate(p)
			return false
		})
		if regex != "" {
			return candidate{}, regex
		}
		return found, ""
	}
	g := set.vhost(host)
	if g == nil {
		return candidate{}, ""
	}
	ix := m.groupIndex(g, impl, grpc)
	var p int32
	var why string
	if ix.ngf != nil {
		p, why = ix.ngf.find(ix, r)
	} else {
		p, why = ix.first(r)
	}
	if why != "" || p < 0 {
		return candidate{}, why
	}
	return ix.candidate(p), ""
}

func (ix *matchIndex) candidate(p int32) candidate {
	e := &ix.entries[p]
	return candidate{route: e.route, rule: e.rule, match: e.match}
}

// explain says how each implementation answers a request the
// specification leaves open.
func (m *Model) explain(r *routing.Request) string {
	var keys []string
	by := map[string][]string{}
	for _, impl := range Implementations() {
		o := m.evaluate(impl, r)
		k := o.String()
		if o.Kind == routing.Unverifiable {
			k = "unverifiable"
		}
		if _, ok := by[k]; !ok {
			keys = append(keys, k)
		}
		by[k] = append(by[k], string(impl))
	}
	var b strings.Builder
	b.WriteString("; implementations decide (choose one with --implementation): ")
	for i, k := range keys {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(strings.Join(by[k], ", "))
		b.WriteString(": ")
		b.WriteString(k)
	}
	return b.String()
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

// candidate is the route rule match that answers a request.
type candidate struct {
	route *route
	rule  *rule
	match *match
}

func prefixLen(m *match) int {
	if m.pathType != "PathPrefix" {
		return len(m.path)
	}
	return len(strings.TrimSuffix(m.path, "/"))
}

// test reports whether the match accepts the request (its path too, unless
// withPath is false: nginx-gateway-fabric chose the location by path
// already). why is non-empty when the answer is not certain: for the
// specification, a regular expression accepted the request (its dialect
// and precedence are implementation-specific); for an implementation, an
// expression whose reading in that dialect Go cannot reproduce.
func (m *match) test(r *routing.Request, d dialect, withPath bool) (ok bool, why string) {
	if m.reErr != nil {
		// We cannot tell whether it matches; say so only where it might.
		return true, m.reErr.Error()
	}
	var c *compiled
	if m.regex != nil {
		c = m.compiled(d)
		if c.err != nil {
			return true, c.err.Error()
		}
	}
	usedRegex := false
	if withPath {
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
			if d == dialectPCRE && !pcreSafe(m.path, r.Path) {
				return true, "nginx-gateway-fabric: path regex " + m.path + " is matched by PCRE, which may read it otherwise than Go's RE2"
			}
			if !c.path.MatchString(r.Path) {
				return false, ""
			}
			usedRegex = true
		}
	}
	if m.method != "" && r.Method != m.method {
		return false, ""
	}
	i := 0
	for _, vs := range [2][]valueMatch{m.headers, m.query} {
		for _, h := range vs {
			var v string
			var ok bool
			if i < len(m.headers) {
				v, ok = r.Header(h.name)
			} else {
				v, ok = r.QueryParam(h.name)
			}
			re := (*regexp.Regexp)(nil)
			if c != nil {
				re = c.values[i]
			}
			i++
			if !ok {
				return false, ""
			}
			if !h.regex {
				if v != h.value {
					return false, ""
				}
				continue
			}
			if d == dialectPCRE {
				return true, "nginx-gateway-fabric: header and query regular expressions are tested in njs (JavaScript), which is not modelled"
			}
			if !re.MatchString(v) {
				return false, ""
			}
			usedRegex = true
		}
	}
	if usedRegex && d == dialectSpec {
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
