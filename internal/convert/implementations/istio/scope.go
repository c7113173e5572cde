package istio

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/routeshift/routeshift/internal/convert/implementations"
	"github.com/routeshift/routeshift/internal/convert/implementations/internal/policy"
	"github.com/routeshift/routeshift/internal/convert/implementations/internal/value"
	"github.com/routeshift/routeshift/internal/finding"
)

// gateway is a Gateway the Ingress's routes attach to, with those routes.
// Listeners are merged: an AuthorizationPolicy targets a whole Gateway
// (its targetRefs have no sectionName), and the host scope keeps it to the
// Ingress's hosts.
type gateway struct {
	Namespace, Name string
	routes          []implementations.Route
}

// gateways groups routes by the Gateways they attach to, sorted by
// namespace and name. A route with a parent that cannot be targeted (a
// name that is not a Kubernetes name) or with no parent at all is named in
// unattached: no policy protects it there.
func gateways(routes []implementations.Route) (gws []*gateway, unattached []string) {
	byKey := map[[2]string]*gateway{}
	for _, r := range routes {
		if len(r.Parents) == 0 {
			unattached = append(unattached, routeName(r.Name))
		}
		seen := map[[2]string]bool{}
		for _, p := range r.Parents {
			if p.Namespace != "" && len(validation.IsDNS1123Label(p.Namespace)) > 0 || len(validation.IsDNS1123Subdomain(p.Name)) > 0 {
				unattached = append(unattached, routeName(r.Name))
				continue
			}
			k := [2]string{p.Namespace, p.Name}
			if seen[k] {
				continue // two listeners of one Gateway
			}
			seen[k] = true
			g := byKey[k]
			if g == nil {
				g = &gateway{Namespace: p.Namespace, Name: p.Name}
				byKey[k] = g
				gws = append(gws, g)
			}
			g.routes = append(g.routes, r)
		}
	}
	sort.Slice(gws, func(i, j int) bool {
		if gws[i].Namespace != gws[j].Namespace {
			return gws[i].Namespace < gws[j].Namespace
		}
		return gws[i].Name < gws[j].Name
	})
	sort.Strings(unattached)
	return gws, slices.Compact(unattached)
}

// scoper turns routes into AuthorizationPolicy operations and remembers
// where the scope had to be wider than the routes, for findings: warnings,
// because denying more than nginx is the safe side, except where the
// policy would cover a whole Gateway, other Ingresses' routes included.
type scoper struct {
	notes map[string]finding.Severity
}

func (s *scoper) note(format string, args ...any) {
	s.noteAs(finding.Warning, format, args...)
}

func (s *scoper) noteAs(sev finding.Severity, format string, args ...any) {
	if s.notes == nil {
		s.notes = map[string]finding.Severity{}
	}
	s.notes[fmt.Sprintf(format, args...)] = sev
}

// note is a finding to report.
type note struct {
	sev     finding.Severity
	message string
}

// sortedNotes are the notes in a stable order.
func (s *scoper) sortedNotes() []note {
	out := make([]note, 0, len(s.notes))
	for m, sev := range s.notes {
		out = append(out, note{sev, m})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].message < out[j].message })
	return out
}

// to is the `to` list of a rule covering the gateway's routes: one
// operation per set of hosts, with the union of their paths. It is nil
// when some operation would match every request on the Gateway, which an
// empty operation cannot say (Istio refuses one): the rule then has no
// `to` and covers the whole Gateway. ok is false when no route there
// forwards anything (only redirects): no policy is needed.
func (s *scoper) to(g *gateway) (to []any, ok bool) {
	type acc struct {
		hosts  []string
		paths  map[string]bool
		whole  bool
		routes []string
	}
	byHosts := map[string]*acc{}
	var keys []string
	for _, r := range g.routes {
		paths, whole, forwards := s.paths(r)
		if !forwards {
			continue
		}
		hosts := s.hosts(r, g)
		k := strings.Join(hosts, ",")
		a := byHosts[k]
		if a == nil {
			a = &acc{hosts: hosts, paths: map[string]bool{}}
			byHosts[k] = a
			keys = append(keys, k)
		}
		a.routes = append(a.routes, routeName(r.Name))
		a.whole = a.whole || whole
		for _, p := range paths {
			a.paths[p] = true
		}
	}
	if len(keys) == 0 {
		return nil, false
	}
	sort.Strings(keys)
	var ops []any
	for _, k := range keys {
		a := byHosts[k]
		op := map[string]any{}
		if len(a.hosts) > 0 {
			op["hosts"] = policy.List(a.hosts)
		}
		if !a.whole && len(a.paths) > 0 {
			paths := make([]string, 0, len(a.paths))
			for p := range a.paths {
				paths = append(paths, p)
			}
			sort.Strings(paths)
			op["paths"] = policy.List(paths)
		}
		if len(op) == 0 {
			s.noteAs(finding.Error, "route(s) %s match every path of every host, so the policy covers every request on Gateway %s, the routes of other Ingresses included: review it before applying it, or give the Ingress a host", strings.Join(a.routes, ", "), ref(g.Namespace, g.Name))
			return nil, true
		}
		ops = append(ops, map[string]any{"operation": op})
	}
	return ops, true
}

// hosts are the Host header values a route answers: each hostname alone
// and with a port (Istio's gateway routes "host:port" too, and its
// AuthorizationPolicy compares Host exactly, case aside). nil means any
// host: a catch-all route, or a hostname that cannot be written safely.
func (s *scoper) hosts(r implementations.Route, g *gateway) []string {
	where := "Gateway " + ref(g.Namespace, g.Name)
	if len(r.Hostnames) == 0 {
		s.note("route %s has no hostname, so the policy covers its paths on every host of %s, not only the requests no other route takes; clients it denies there are denied on the other routes' matching paths too", routeName(r.Name), where)
		return nil
	}
	var out []string
	for _, h := range r.Hostnames {
		h = strings.ToLower(h)
		base, wildcard := strings.CutPrefix(h, "*.")
		if len(h) > 253 || len(validation.IsDNS1123Subdomain(base)) > 0 {
			s.note("route %s has hostname %s, which is not a DNS name, so the policy covers every host of %s", routeName(r.Name), value.Quote(h), where)
			return nil
		}
		if !wildcard {
			// A suffix "*" is a prefix match: "shop.example.com:" and any port.
			out = append(out, h, h+":*")
			continue
		}
		// A leading "*" is a suffix match, and Istio has no pattern with a
		// wildcard at both ends: the Host header's port is matched for the
		// listener ports routeshift creates (80, 443) only.
		s.note("route %s has the wildcard hostname %s: a Host header naming a port is matched for ports 80 and 443 only; on a listener of %s with another port, a client sending Host: <name>:<port> is not covered", routeName(r.Name), h, where)
		out = append(out, h, h+":80", h+":443")
	}
	sort.Strings(out)
	return slices.Compact(out)
}

// plainPath is what an AuthorizationPolicy path may hold as written: no
// "*" (Istio's wildcard), no "{" or "}" (its path templates), no query or
// fragment, no space or control character.
var plainPath = regexp.MustCompile(`^/[A-Za-z0-9._~!$&'()+,;=:@%/-]*$`)

// paths are the AuthorizationPolicy paths of a route's matches: Exact p is
// p, PathPrefix p is p and p/* (Gateway API prefixes match whole segments,
// and a trailing slash is the same prefix). whole means the route's every
// path: a prefix "/", a regular expression or a path that cannot be written
// (covered on its whole host: denying more, never less), or a route whose
// paths are not known. Redirect matches are left out: ingress-nginx
// answers its redirects (to https, permanent-redirect, app-root) before it
// checks the client address, and a redirect forwards nothing; forwards is
// false for a route of redirects only.
func (s *scoper) paths(r implementations.Route) (paths []string, whole, forwards bool) {
	if len(r.Paths) == 0 {
		return nil, true, true
	}
	for _, m := range r.Paths {
		if m.Redirect {
			continue
		}
		forwards = true
		if m.Type != "Exact" && m.Type != "PathPrefix" {
			s.note("route %s has a %s path match (%s), which an AuthorizationPolicy cannot express, so the policy covers every path of the route's hosts", routeName(r.Name), value.Quote(m.Type), value.Quote(m.Value))
			return nil, true, true
		}
		if len(m.Value) > 1024 || !plainPath.MatchString(m.Value) {
			s.note("route %s has the path %s, which an AuthorizationPolicy cannot hold as it is, so the policy covers every path of the route's hosts", routeName(r.Name), value.Quote(m.Value))
			return nil, true, true
		}
		if m.Type == "Exact" {
			paths = append(paths, m.Value)
			continue
		}
		p := strings.TrimRight(m.Value, "/")
		if p == "" {
			return nil, true, true // "/" is every path
		}
		paths = append(paths, p, p+"/*")
	}
	return paths, false, forwards
}

// routeName shows a route's name in a message: routeshift generates them,
// but a name that is not a Kubernetes name is quoted rather than trusted.
func routeName(name string) string {
	if len(validation.IsDNS1123Subdomain(name)) > 0 {
		return value.Quote(name)
	}
	return name
}

func ref(namespace, name string) string {
	if namespace == "" {
		return name
	}
	return namespace + "/" + name
}
