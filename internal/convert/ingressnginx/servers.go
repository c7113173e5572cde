package ingressnginx

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	netv1 "k8s.io/api/networking/v1"
)

// addCatchAll makes a rule-less Ingress with spec.defaultBackend the
// backend for unknown hosts; the oldest such Ingress wins.
func (b *builder) addCatchAll(ing *Ingress) {
	spec := ing.Spec.Spec
	if ing.Canary || len(spec.Rules) > 0 || spec.DefaultBackend == nil {
		return
	}
	if b.model.CatchAll != nil {
		b.conflict(ing, b.model.CatchAllIngress, "spec.defaultBackend", "the catch-all default backend")
		return
	}
	be, ok := b.backend(ing, *spec.DefaultBackend, "spec.defaultBackend")
	if ok && be != nil {
		b.model.CatchAll, b.model.CatchAllIngress = be, ing
	}
}

// conflict reports that loser's definition of what is ignored because
// winner came first in the controller's order.
func (b *builder) conflict(loser, winner *Ingress, field, what string) {
	if b.undated {
		b.findings.Warnf(loser.Object, field,
			"%s is also defined by Ingress %s; ingress-nginx serves the older Ingress, and without creationTimestamps the winner depends on creation order in the cluster (assumed: %s)",
			what, winner.qualified(), winner.qualified())
		return
	}
	b.findings.Warnf(loser.Object, field, "%s is also defined by the older Ingress %s, which ingress-nginx serves; this definition is ignored",
		what, winner.qualified())
}

func (b *builder) server(host string, ing *Ingress) *Server {
	s := b.servers[host]
	if s == nil {
		s = &Server{Host: host, Creator: ing}
		b.servers[host] = s
	}
	return s
}

func (b *builder) addRules(ing *Ingress) {
	if ing.Canary {
		return
	}
	for i, r := range ing.Spec.Spec.Rules {
		s := b.server(r.Host, ing)
		if r.HTTP == nil {
			continue
		}
		for j, p := range r.HTTP.Paths {
			field := fmt.Sprintf("spec.rules[%d].http.paths[%d]", i, j)
			be, ok := b.backend(ing, p.Backend, field+".backend")
			if !ok {
				continue
			}
			loc := &Location{Path: p.Path, PathType: effectiveType(p.PathType), Backend: be, Ingress: ing, Field: field}
			if loc.Path == "" {
				loc.Path = "/"
			}
			if old := s.Find(loc.Path, loc.PathType); old != nil {
				b.conflict(ing, old.Ingress, field, fmt.Sprintf("path %s (%s) on host %q", loc.Path, loc.PathType, r.Host))
				continue
			}
			s.Locations = append(s.Locations, loc)
		}
	}
}

func effectiveType(t *netv1.PathType) PathType {
	if t != nil && *t == netv1.PathTypeExact {
		return Exact
	}
	return Prefix
}

// Find returns the location with path and type, or nil.
func (s *Server) Find(path string, t PathType) *Location {
	for _, l := range s.Locations {
		if l.Path == path && l.PathType == t {
			return l
		}
	}
	return nil
}

// backend resolves a Service backend to a port number. ok is false when
// the Ingress cannot be converted; a nil backend with ok true is a
// resource backend, which ingress-nginx skips.
func (b *builder) backend(ing *Ingress, be netv1.IngressBackend, field string) (*Backend, bool) {
	if be.Resource != nil {
		b.findings.Warnf(ing.Object, field+".resource",
			"resource backend %s %q: ingress-nginx ignores resource backends, so requests fall to the default backend; nothing is generated for it",
			be.Resource.Kind, clip(be.Resource.Name))
		return nil, true
	}
	svc := be.Service
	out := &Backend{Namespace: ing.Namespace, Service: svc.Name, Port: svc.Port.Number}
	if svc.Port.Name == "" {
		return out, true
	}
	key := ing.Namespace + "/" + svc.Name
	obj := b.services[key]
	if obj == nil {
		b.findings.Errorf(ing.Object, field+".service.port.name",
			"port name %q of Service %s cannot be resolved: the Service is not in the input; add it or use port.number", clip(svc.Port.Name), key)
		return nil, false
	}
	d := b.decoded[obj]
	ports, err := d.ports, d.err
	if err != nil {
		b.findings.Errorf(ing.Object, field+".service.port.name", "port name %q: Service %s cannot be read: %v", clip(svc.Port.Name), key, err)
		return nil, false
	}
	for _, p := range ports {
		if p.Name == svc.Port.Name {
			out.Port = p.Port
			return out, true
		}
	}
	b.findings.Errorf(ing.Object, field+".service.port.name", "Service %s has no port named %q", key, clip(svc.Port.Name))
	return nil, false
}

// addTLS gives each host the certificate of the first Ingress (in the
// controller's order) that lists it.
func (b *builder) addTLS(ing *Ingress) {
	if ing.Canary {
		return
	}
	for i, t := range ing.Spec.Spec.TLS {
		field := fmt.Sprintf("spec.tls[%d]", i)
		hosts := t.Hosts
		if len(hosts) == 0 {
			// The controller matches a host-less TLS entry against the
			// certificate's names, which manifests do not show.
			for _, r := range ing.Spec.Spec.Rules {
				if r.Host != "" && !slices.Contains(hosts, r.Host) {
					hosts = append(hosts, r.Host)
				}
			}
			b.findings.Warnf(ing.Object, field+".hosts",
				"TLS entry without hosts: ingress-nginx uses it for the hosts its certificate covers; assumed to cover the Ingress's hosts %v", hosts)
		}
		if t.SecretName == "" {
			b.findings.Warnf(ing.Object, field+".secretName", "TLS entry without secretName: ingress-nginx serves its default certificate; no HTTPS listener is generated for it")
			continue
		}
		for _, h := range hosts {
			s := b.servers[h]
			if s == nil {
				b.findings.Infof(ing.Object, field, "TLS host %q has no rule in any converted Ingress; ingress-nginx serves no server for it", h)
				continue
			}
			if s.TLS == nil {
				s.TLS = &TLS{SecretName: t.SecretName, Namespace: ing.Namespace, Ingress: ing}
			} else if s.TLS.SecretName != t.SecretName || s.TLS.Namespace != ing.Namespace {
				b.conflict(ing, s.TLS.Ingress, field, fmt.Sprintf("the certificate for host %q", h))
			}
		}
	}
}

// finish adds the implicit "/" locations, decides the HTTPS redirects,
// sorts everything and accounts for annotations.
func (b *builder) finish(served []*Ingress) {
	// Unknown hosts land on the catch-all server; make sure it exists when
	// a rule-less Ingress gave it a backend, attributed to that Ingress.
	if b.model.CatchAll != nil && b.servers[""] == nil {
		b.servers[""] = &Server{Creator: b.model.CatchAllIngress}
	}
	hosts := make([]string, 0, len(b.servers))
	for h := range b.servers {
		hosts = append(hosts, h)
	}
	sort.Strings(hosts)
	for _, h := range hosts {
		s := b.servers[h]
		if s.Find("/", Prefix) == nil {
			root := &Location{Path: "/", PathType: Prefix, Ingress: s.Creator, Implicit: true, Field: "spec.defaultBackend"}
			if h == "" && b.model.CatchAll != nil {
				root.Backend, root.Ingress = b.model.CatchAll, b.model.CatchAllIngress
			} else if db := s.Creator.Spec.Spec.DefaultBackend; db != nil {
				root.Backend, _ = b.backend(s.Creator, *db, "spec.defaultBackend")
			}
			s.Locations = append(s.Locations, root)
		}
		for _, l := range s.Locations {
			l.RedirectToHTTPS = !strings.HasPrefix(l.Path, acmePrefix) &&
				(l.Ingress.ForceSSLRedirect || s.TLS != nil && l.Ingress.SSLRedirect)
		}
		sort.SliceStable(s.Locations, func(i, j int) bool {
			a, c := s.Locations[i], s.Locations[j]
			if a.Path != c.Path {
				return a.Path < c.Path
			}
			return a.PathType == Exact && c.PathType != Exact
		})
		b.model.Servers = append(b.model.Servers, s)
	}
	creators := map[*Ingress]bool{}
	for _, s := range b.servers {
		creators[s.Creator] = true
	}
	for _, ing := range served {
		if db := ing.Spec.Spec.DefaultBackend; db != nil && len(ing.Spec.Spec.Rules) > 0 && !ing.Canary && !creators[ing] {
			b.findings.Warnf(ing.Object, "spec.defaultBackend",
				"ignored by ingress-nginx: only the Ingress that first defines a host supplies its default backend, and every host of this Ingress was defined by an older one")
		}
	}
	b.regexMode()
	b.appRoot()
	b.wwwTwins()
	for _, s := range b.model.Servers {
		// Server-level: the Ingress that created the host decides.
		s.Passthrough = s.Host != "" && s.Creator.Settings.SSLPassthrough
	}
	b.canaries(served)
}

// regexMode marks hosts where one Ingress's use-regex or rewrite-target
// turns every path of the host, from every Ingress, into a regular
// expression (ingress-nginx's enforceRegexModifier).
func (b *builder) regexMode() {
	for _, s := range b.model.Servers {
		for _, l := range s.Locations {
			if l.Implicit {
				continue
			}
			if st := l.Ingress.Settings; st.UseRegex || st.HasRewrite {
				s.RegexMode, s.RegexBy = true, l.Ingress
				break
			}
		}
	}
}

// wwwTwins gives hosts with from-to-www-redirect (on the Ingress owning
// "/") their twin: www.<host> for a bare host, the bare host for www.<...>.
// ingress-nginx adds the redirecting server only when no Ingress defines
// the twin itself.
func (b *builder) wwwTwins() {
	for _, s := range b.model.Servers {
		root := s.Find("/", Prefix)
		if s.Host == "" || strings.HasPrefix(s.Host, "*.") || root == nil || !root.Ingress.Settings.FromToWWW {
			continue
		}
		twin := "www." + s.Host
		if rest, ok := strings.CutPrefix(s.Host, "www."); ok {
			twin = rest
		}
		if b.servers[twin] != nil {
			root.Ingress.Note("from-to-www-redirect", Ignored, "the twin host %q is defined by an Ingress, so ingress-nginx adds no redirect for it", twin)
			continue
		}
		s.WWWTwin, s.WWWTwinBy = twin, root.Ingress
	}
}

// appRoot takes app-root from the Ingress that owns the host's "/"
// location: nginx renders it in the server block, before any location.
func (b *builder) appRoot() {
	for _, s := range b.model.Servers {
		if root := s.Find("/", Prefix); root != nil && root.Ingress.Settings.AppRoot != "" {
			s.AppRoot, s.AppRootBy = root.Ingress.Settings.AppRoot, root.Ingress
		}
	}
}
