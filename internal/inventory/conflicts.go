package inventory

import (
	"fmt"
	"sort"
	"strings"

	netv1 "k8s.io/api/networking/v1"

	"github.com/routeshift/routeshift/internal/convert/ingressnginx"
	"github.com/routeshift/routeshift/internal/finding"
)

// conflictSet is every conflict, and the reason each gives the Ingress
// whose definition ingress-nginx ignores.
type conflictSet struct {
	list    []Conflict
	reasons map[*ingressnginx.Ingress][]Reason
}

// conflicts finds the definitions ingress-nginx ignores. The model already
// decided every winner (oldest first); this only asks it, for each
// definition, whether it is the one served, so the report cannot name a
// different winner than the conversion.
func (b *builder) conflicts() conflictSet {
	cs := conflictSet{list: []Conflict{}, reasons: map[*ingressnginx.Ingress][]Reason{}}
	undated := false
	for _, e := range b.entries {
		if e.m.Served && e.m.Created.IsZero() {
			undated = true
		}
	}
	seen := map[string]bool{}
	add := func(c Conflict, loser *ingressnginx.Ingress) {
		key := c.Kind + "\x00" + c.Host + "\x00" + c.Path + "\x00" + c.PathType + "\x00" + c.Ingress
		if seen[key] {
			return
		}
		seen[key] = true
		c.ByCreationOrder = undated && c.Winner != ""
		c.Message = conflictMessage(c)
		cs.list = append(cs.list, c)
		code := CodeConflict
		if c.Kind == ConflictCanaryPrimary {
			code = CodeCanaryNoPrimary
		}
		cs.reasons[loser] = append(cs.reasons[loser], Reason{Class: Medium, Code: code, Message: c.Message})
	}
	for _, e := range b.entries {
		ing := e.m
		if !ing.Served || ing.Spec == nil {
			continue
		}
		spec := ing.Spec.Spec
		if ing.Canary {
			b.canaryConflicts(e, add)
			continue
		}
		for i, r := range spec.Rules {
			s := b.servers[r.Host]
			if r.HTTP == nil || s == nil {
				continue
			}
			for j, p := range r.HTTP.Paths {
				// A path whose backend failed never competed for its
				// location; its error is the reason, not a conflict.
				if b.failed(ing, fmt.Sprintf("spec.rules[%d].http.paths[%d].", i, j)) {
					continue
				}
				path, pt := locationKey(p)
				if l := s.Find(path, pt); l != nil && !l.Implicit && l.Ingress != ing {
					add(Conflict{Kind: ConflictPath, Host: r.Host, Path: path, PathType: string(pt), Ingress: e.out.Ref(), Winner: ref(l.Ingress)}, ing)
				}
			}
		}
		for _, t := range spec.TLS {
			for _, h := range t.Hosts {
				s := b.servers[h]
				if t.SecretName == "" || s == nil || s.TLS == nil || s.TLS.Ingress == ing {
					continue
				}
				if s.TLS.SecretName != t.SecretName || s.TLS.Namespace != ing.Namespace {
					add(Conflict{Kind: ConflictCertificate, Host: h, Ingress: e.out.Ref(), Winner: ref(s.TLS.Ingress)}, ing)
				}
			}
		}
		if len(spec.Rules) == 0 && spec.DefaultBackend != nil && b.model.CatchAllIngress != nil && b.model.CatchAllIngress != ing {
			add(Conflict{Kind: ConflictCatchAll, Ingress: e.out.Ref(), Winner: ref(b.model.CatchAllIngress)}, ing)
		}
	}
	sort.SliceStable(cs.list, func(i, j int) bool {
		a, c := cs.list[i], cs.list[j]
		if a.Host != c.Host {
			return a.Host < c.Host
		}
		if a.Path != c.Path {
			return a.Path < c.Path
		}
		if a.Kind != c.Kind {
			return a.Kind < c.Kind
		}
		return a.Ingress < c.Ingress
	})
	return cs
}

// canaryConflicts reports the paths of a canary Ingress that match no
// primary location: ingress-nginx ignores them, as the model does.
func (b *builder) canaryConflicts(e *entry, add func(Conflict, *ingressnginx.Ingress)) {
	if e.m.Settings.Canary == nil {
		return
	}
	for _, r := range e.m.Spec.Spec.Rules {
		if r.HTTP == nil {
			continue
		}
		for _, p := range r.HTTP.Paths {
			path, pt := locationKey(p)
			var primary *ingressnginx.Location
			if s := b.servers[r.Host]; s != nil {
				primary = s.Find(path, pt)
			}
			if primary == nil || primary.Implicit || primary.Backend == nil {
				add(Conflict{Kind: ConflictCanaryPrimary, Host: r.Host, Path: path, PathType: string(pt), Ingress: e.out.Ref()}, e.m)
			}
		}
	}
}

// failed: the model reported an error for a field under prefix.
func (b *builder) failed(ing *ingressnginx.Ingress, prefix string) bool {
	for _, f := range b.findings[ing.Object] {
		if f.Severity == finding.Error && strings.HasPrefix(f.Field, prefix) {
			return true
		}
	}
	return false
}

// locationKey is a path as ingress-nginx keys its locations: an empty path
// is "/", and ImplementationSpecific (or no pathType) is Prefix.
func locationKey(p netv1.HTTPIngressPath) (string, ingressnginx.PathType) {
	path := p.Path
	if path == "" {
		path = "/"
	}
	if p.PathType != nil && *p.PathType == netv1.PathTypeExact {
		return path, ingressnginx.Exact
	}
	return path, ingressnginx.Prefix
}

func ref(ing *ingressnginx.Ingress) string {
	if ing.Namespace == "" {
		return ing.Name
	}
	return ing.Namespace + "/" + ing.Name
}

func conflictMessage(c Conflict) string {
	var what string
	switch c.Kind {
	case ConflictPath:
		what = fmt.Sprintf("path %s (%s) on host %s", c.Path, c.PathType, hostName(c.Host))
	case ConflictCertificate:
		what = fmt.Sprintf("the certificate for host %s", hostName(c.Host))
	case ConflictCatchAll:
		what = "the catch-all default backend"
	case ConflictCanaryPrimary:
		return fmt.Sprintf("canary path %s (%s) on host %s has no primary Ingress with the same host, path and pathType; ingress-nginx ignores it",
			c.Path, c.PathType, hostName(c.Host))
	}
	if c.ByCreationOrder {
		return fmt.Sprintf("%s is also defined by %s; ingress-nginx serves the older one and, without creationTimestamps, that is the one created first (assumed: %s)",
			what, c.Winner, c.Winner)
	}
	return fmt.Sprintf("%s is also defined by the older Ingress %s, which ingress-nginx serves; this definition is ignored", what, c.Winner)
}

// hostName quotes a host for messages, naming the catch-all.
func hostName(h string) string {
	if h == "" {
		return "(catch-all)"
	}
	return fmt.Sprintf("%q", h)
}
