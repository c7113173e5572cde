package ingressnginx

import "fmt"

// canaries attaches each canary Ingress to its primary the way
// ingress-nginx does (controller.go mergeAlternativeBackends): a canary
// whose host, path and pathType equal an existing location becomes the
// alternative backend of that location's upstream (Service and port), so
// every location using the same upstream, on any host, gets the canary.
// One canary per upstream; later ones are ignored.
func (b *builder) canaries(served []*Ingress) {
	type upstream struct {
		ns, svc string
		port    int32
	}
	byUpstream := map[upstream]*CanaryBackend{}
	own := map[*Location]bool{}
	for _, ing := range served {
		if !ing.Canary || ing.Settings.Canary == nil {
			continue
		}
		attached := false
		for i, r := range ing.Spec.Spec.Rules {
			if r.HTTP == nil {
				continue
			}
			for j, p := range r.HTTP.Paths {
				field := fmt.Sprintf("spec.rules[%d].http.paths[%d]", i, j)
				path := p.Path
				if path == "" {
					path = "/"
				}
				s := b.servers[r.Host]
				var primary *Location
				if s != nil {
					primary = s.Find(path, effectiveType(p.PathType))
				}
				if primary == nil || primary.Backend == nil || primary.Implicit {
					b.findings.Warnf(ing.Object, field, "canary for host %q path %s has no primary Ingress with the same host, path and pathType; ingress-nginx ignores it", r.Host, path)
					continue
				}
				be, ok := b.backend(ing, p.Backend, field+".backend")
				if !ok || be == nil {
					continue
				}
				key := upstream{primary.Backend.Namespace, primary.Backend.Service, primary.Backend.Port}
				if other := byUpstream[key]; other != nil {
					if other.Ingress != ing {
						b.conflict(ing, other.Ingress, field, fmt.Sprintf("the canary of Service %s port %d", key.svc, key.port))
					}
					continue
				}
				byUpstream[key] = &CanaryBackend{Backend: be, Settings: ing.Settings.Canary, Ingress: ing}
				own[primary] = true
				attached = true
			}
		}
		if !attached {
			ing.Note("canary", Unsupported, "no primary location matches this canary; ingress-nginx ignores it")
		}
	}
	if len(byUpstream) == 0 {
		return
	}
	for _, s := range b.model.Servers {
		for _, l := range s.Locations {
			if l.Backend == nil {
				continue
			}
			c := byUpstream[upstream{l.Backend.Namespace, l.Backend.Service, l.Backend.Port}]
			if c == nil {
				continue
			}
			l.Canary = c
			if !own[l] {
				b.findings.Warnf(c.Ingress.Object, "metadata.annotations", "the canary also takes traffic of path %s on host %q (Ingress %s), because ingress-nginx attaches canaries to the Service, not the path; the conversion does the same",
					l.Path, s.Host, l.Ingress.qualified())
			}
		}
	}
}
