package nginx

import (
	"sort"
	"strings"

	"github.com/routeshift/routeshift/internal/proof/routing"
)

// Points returns the decisions the configuration makes: every location's
// path on its host, the canary conditions of every location whose upstream
// has a canary, and the app-root of a server.
func (m *Model) Points() []routing.Point { return m.points }

func (m *Model) collectPoints() {
	for _, s := range m.servers() {
		host := s.host
		if host == "_" {
			host = ""
		}
		if s.redirectTo != "" {
			m.points = append(m.points, routing.Point{Host: host, Path: "/"})
			continue
		}
		seen := map[string]bool{}
		for _, l := range s.locations {
			p := LiteralPrefix(l.ingressPath)
			if bare := strings.TrimSuffix(p, "/"); p != l.ingressPath && bare != p && bare != "" && !seen[bare] {
				// A regex path whose literal part ends in '/' ("/foo/(.+)"):
				// the prefix without it is where a prefix translation and
				// nginx part ways, so it is probed too.
				seen[bare] = true
				m.points = append(m.points, routing.Point{Host: host, Path: bare, GRPC: l.ing != nil && l.ing.set.grpc})
			}
			if !seen[p] {
				seen[p] = true
				grpc := l.ing != nil && l.ing.set.grpc
				pt := routing.Point{Host: host, Path: p, GRPC: grpc}
				if s.regex {
					pt.PathRegex = "(?i)^" + l.path
				}
				m.points = append(m.points, pt)
				if grpc && s.tls {
					// Plain HTTP on a TLS host is redirected whatever the
					// backend speaks: curl, browsers and health checks
					// see it, so the path is probed without gRPC too.
					pt.GRPC = false
					m.points = append(m.points, pt)
				}
			}
			if !l.hasBackend {
				continue
			}
			c, ok := m.canaries[upstream(l.backend)]
			if !ok {
				continue
			}
			set := &c.ing.set
			if set.canaryHeader != "" {
				values := []string{"always", "never"}
				if set.canaryHeaderValue != "" {
					values = append(values, set.canaryHeaderValue)
				}
				for _, v := range values {
					m.points = append(m.points, routing.Point{Host: host, Path: p,
						Headers: []routing.KV{{Name: strings.ToLower(set.canaryHeader), Value: v}}})
				}
			}
			if set.canaryCookie != "" {
				for _, v := range []string{"always", "never"} {
					m.points = append(m.points, routing.Point{Host: host, Path: p,
						Cookies: []routing.KV{{Name: set.canaryCookie, Value: v}}})
				}
			}
		}
	}
	sort.SliceStable(m.points, func(i, j int) bool { return m.points[i].Host < m.points[j].Host })
}

// LiteralPrefix is the part of a path before its first regular-expression
// metacharacter: a request path that a regex location written as a path
// certainly matches ("/api(/|$)(.*)" gives "/api").
func LiteralPrefix(p string) string {
	if i := strings.IndexAny(p, `()[]{}*+?|\^$`); i >= 0 {
		p = p[:i]
		if p == "" {
			p = "/"
		}
	}
	return p
}
