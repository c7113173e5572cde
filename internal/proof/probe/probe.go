package probe

import (
	"sort"
	"strings"

	"github.com/routeshift/routeshift/internal/proof/routing"
)

// UnknownHost is the Host of probes for names no configuration serves.
const UnknownHost = "unknown.routeshift.invalid"

// Generate returns the probes for the points of any number of
// configurations, deduplicated and sorted by host, path and then the rest.
func Generate(sets ...[]routing.Point) []routing.Request {
	g := generator{seen: map[string]bool{}}
	hostsSeen := map[string]bool{}
	for _, points := range sets {
		for _, p := range points {
			if !hostsSeen[p.Host] {
				hostsSeen[p.Host] = true
				g.point(routing.Point{Host: p.Host, Path: "/"})
			}
			g.point(p)
		}
	}
	if !hostsSeen[""] {
		g.point(routing.Point{Path: "/"})
	}
	sort.Slice(g.out, func(i, j int) bool {
		a, b := &g.out[i], &g.out[j]
		if a.Host != b.Host {
			return a.Host < b.Host
		}
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		return a.Key() < b.Key()
	})
	return g.out
}

type generator struct {
	seen map[string]bool
	out  []routing.Request
}

func (g *generator) add(r routing.Request) {
	r = r.Normalize()
	k := r.Key()
	if g.seen[k] {
		return
	}
	g.seen[k] = true
	g.out = append(g.out, r)
}

func (g *generator) point(p routing.Point) {
	conds := conditions(p)
	paths := Paths(p.Path)
	if p.PathRegex != "" {
		if s, ok := Sample(p.PathRegex); ok && strings.HasPrefix(s, "/") && s != p.Path {
			paths = append(paths, Paths(s)...)
		}
	}
	for _, host := range Hosts(p.Host) {
		for _, path := range paths {
			for _, c := range conds {
				for _, scheme := range []string{"http", "https"} {
					r := c
					r.Scheme, r.Host, r.Path = scheme, host, path
					g.add(r)
				}
			}
		}
	}
}

// conditions returns request templates: none of the point's conditions,
// all of them, and all but one changed, for each one.
func conditions(p routing.Point) []routing.Request {
	base := routing.Request{Method: "GET"}
	if p.GRPC {
		base.Method = "POST"
		base.Headers = []routing.KV{{Name: "content-type", Value: "application/grpc"}}
	}
	all := base
	if p.Method != "" {
		all.Method = p.Method
	}
	all.Headers = append(append([]routing.KV(nil), base.Headers...), p.Headers...)
	all.Query = p.Query
	all.Cookies = p.Cookies
	out := []routing.Request{base, all}
	if p.Method != "" {
		r := all
		r.Method = otherMethod(p.Method)
		out = append(out, r)
	}
	for i := range p.Headers {
		r := all
		r.Headers = append([]routing.KV(nil), all.Headers...)
		r.Headers[len(base.Headers)+i].Value = other(p.Headers[i].Value)
		out = append(out, r)
	}
	for i := range p.Query {
		r := all
		r.Query = append([]routing.KV(nil), p.Query...)
		r.Query[i].Value = other(p.Query[i].Value)
		out = append(out, r)
	}
	for i := range p.Cookies {
		r := all
		r.Cookies = append([]routing.KV(nil), p.Cookies...)
		r.Cookies[i].Value = other(p.Cookies[i].Value)
		out = append(out, r)
	}
	return out
}

func other(v string) string { return v + "-other" }

func otherMethod(m string) string {
	if m == "GET" {
		return "POST"
	}
	return "GET"
}

// Hosts returns the host names probed for a server name or route hostname.
func Hosts(h string) []string {
	if h == "" {
		return []string{UnknownHost}
	}
	if suffix, ok := strings.CutPrefix(h, "*."); ok {
		return []string{"one." + suffix, "two.labels." + suffix, suffix}
	}
	return []string{h}
}

// Paths returns the path variants probed around a path.
func Paths(p string) []string {
	if p == "" || p[0] != '/' {
		p = "/" + p
	}
	out := []string{p}
	if p == "/" {
		return append(out, "/probe", "/PROBE/")
	}
	trimmed := strings.TrimSuffix(p, "/")
	if strings.HasSuffix(p, "/") {
		out = append(out, trimmed)
	} else {
		out = append(out, p+"/")
	}
	out = append(out, trimmed+"/probe", trimmed+"probe")
	if up := strings.ToUpper(p); up != p {
		out = append(out, up)
	}
	if i := strings.LastIndexByte(trimmed, '/'); i > 0 {
		out = append(out, trimmed[:i])
	}
	return out
}
