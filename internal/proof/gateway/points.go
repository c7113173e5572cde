package gateway

import (
	"sort"
	"strings"

	"github.com/routeshift/routeshift/internal/proof/routing"
)

// Points returns the decisions of every attached route: each match's path
// (and for gRPC its method path) under each hostname the route serves, with
// the method, headers and query parameters it tests.
func (m *Model) Points() []routing.Point { return m.points }

func (m *Model) collectPoints(routes []*route) {
	attached := map[*route][]string{}
	for _, l := range m.listeners {
		for _, r := range l.routes {
			hs := r.hostnames
			if len(hs) == 0 {
				hs = []string{l.hostname}
			}
			attached[r] = append(attached[r], hs...)
		}
	}
	for _, r := range routes {
		hosts, ok := attached[r]
		if !ok {
			continue
		}
		hosts = dedupe(hosts)
		for _, h := range hosts {
			for _, ru := range r.rules {
				for _, mt := range ru.matches {
					p := routing.Point{Host: h, Path: mt.path, Method: mt.method, GRPC: r.kind == "GRPCRoute"}
					if mt.pathType == "RegularExpression" {
						p.Path, p.PathRegex = literalPrefix(mt.path), mt.path
					}
					for _, hm := range mt.headers {
						if !hm.regex {
							p.Headers = append(p.Headers, routing.KV{Name: hm.name, Value: hm.value})
						}
					}
					for _, q := range mt.query {
						if !q.regex {
							p.Query = append(p.Query, routing.KV{Name: q.name, Value: q.value})
						}
					}
					m.points = append(m.points, p)
				}
			}
		}
	}
	sort.SliceStable(m.points, func(i, j int) bool { return m.points[i].Host < m.points[j].Host })
}

func dedupe(s []string) []string {
	sort.Strings(s)
	out := s[:0]
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
}

// literalPrefix is the literal start of a path regex: "(?i)^/api.*" gives
// "/api", a path every such rule is tested against.
func literalPrefix(p string) string {
	if strings.HasPrefix(p, "(?") {
		if i := strings.IndexByte(p, ')'); i > 0 {
			p = p[i+1:]
		}
	}
	p = strings.TrimPrefix(p, "^")
	if i := strings.IndexAny(p, `()[]{}*+?|\^$.`); i >= 0 {
		p = p[:i]
	}
	if !strings.HasPrefix(p, "/") {
		return "/"
	}
	return p
}
