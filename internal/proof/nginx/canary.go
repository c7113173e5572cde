package nginx

import (
	"regexp"
	"strconv"

	"github.com/routeshift/routeshift/internal/proof/routing"
)

// canary is an alternative backend of a primary upstream. The controller
// attaches it to the upstream (Service and port), not to the location it
// was written for, so every location of any host that proxies to the same
// upstream splits traffic the same way.
type canary struct {
	ing     *ingress
	backend routing.Backend
	re      *regexp.Regexp
	reErr   error
}

// mergeCanary is mergeAlternativeBackends: for each path of the canary
// Ingress, find locations of its host with the same path and pathType and
// make the canary the alternative of their upstream. The first canary of an
// upstream wins (balancer.lua reads alternativeBackends[1]); a canary whose
// Service is the primary's own is ignored.
func (m *Model) mergeCanary(ing *ingress, ports servicePortIndex) {
	for _, rule := range ing.spec.Rules {
		if rule.HTTP == nil {
			continue
		}
		s := m.server(rule.Host)
		if s == nil {
			continue
		}
		for _, p := range rule.HTTP.Paths {
			if p.Backend.Service == nil {
				continue
			}
			path := p.Path
			if path == "" {
				path = "/"
			}
			exact := p.PathType != nil && *p.PathType == "Exact"
			alt := ports.backend(ing.ns, p.Backend.Service)
			for _, l := range s.locations {
				if !l.hasBackend {
					continue
				}
				pri := upstream(l.backend)
				if pri == upstream(alt) {
					break
				}
				if l.ingressPath != path || l.exact != exact {
					continue
				}
				if _, taken := m.canaries[pri]; taken {
					continue
				}
				c := &canary{ing: ing, backend: alt}
				if pat := ing.set.canaryHeaderPattern; pat != "" && ing.set.canaryHeaderValue == "" {
					c.re, c.reErr = regexp.Compile(pat)
				}
				m.canaries[pri] = c
			}
		}
	}
}

// route is balancer.lua's route_to_alternative_balancer made
// deterministic: header, then cookie, then weight as a split.
func (c *canary) route(primary routing.Backend, r *routing.Request) ([]routing.Backend, string, bool) {
	set := &c.ing.set
	alt := c.backend
	if set.canaryHeader != "" {
		if v, ok := r.Header(set.canaryHeader); ok {
			switch {
			case set.canaryHeaderValue != "":
				if v == set.canaryHeaderValue {
					return one(alt), "canary header " + set.canaryHeader, true
				}
			case set.canaryHeaderPattern != "":
				if c.reErr != nil {
					return nil, "canary-by-header-pattern " + set.canaryHeaderPattern + " is not RE2; PCRE may accept it", false
				}
				if c.re.MatchString(v) {
					return one(alt), "canary header pattern " + set.canaryHeader, true
				}
			case v == "always":
				return one(alt), "canary header " + set.canaryHeader + ": always", true
			case v == "never":
				return one(primary), "canary header " + set.canaryHeader + ": never", true
			}
		}
	}
	if set.canaryCookie != "" {
		if v, ok := r.Cookie(set.canaryCookie); ok {
			switch v {
			case "always":
				return one(alt), "canary cookie " + set.canaryCookie + "=always", true
			case "never":
				return one(primary), "canary cookie " + set.canaryCookie + "=never", true
			}
		}
	}
	total := 100
	if set.canaryWeightTotal > 100 {
		total = set.canaryWeightTotal
	}
	w := min(max(set.canaryWeight, 0), total)
	switch w {
	case 0:
		return one(primary), "", true
	case total:
		return one(alt), "canary weight " + strconv.Itoa(w) + "/" + strconv.Itoa(total), true
	}
	p, a := primary, alt
	p.Weight, a.Weight = int64(total-w), int64(w)
	return []routing.Backend{p, a}, "canary weight " + strconv.Itoa(w) + "/" + strconv.Itoa(total), true
}

func one(b routing.Backend) []routing.Backend {
	b.Weight = 1
	return []routing.Backend{b}
}
