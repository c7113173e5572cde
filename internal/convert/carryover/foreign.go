package carryover

import (
	"strings"

	"github.com/routeshift/routeshift/internal/annotations"
	"github.com/routeshift/routeshift/internal/convert/gatewayapi"
	"github.com/routeshift/routeshift/internal/convert/ingressnginx"
)

// foreign gives every known foreign annotation of a converted Ingress its
// fate from the catalogue (annotations.Foreign), after the cert-manager and
// ExternalDNS steps decided theirs (the first note wins), and copies the
// ones tools read the same way on any object (Argo CD sync waves, Flux
// reconcile options, Helm's resource policy) onto the objects generated
// for the Ingress.
func (c *run) foreign() {
	for _, ing := range c.in.Converted {
		for _, k := range sortedKeys(ing.Spec.Annotations) {
			if annotations.Classify(k, c.in.AnnotationsPrefix) != annotations.ClassForeign {
				continue
			}
			e, ok := annotations.Foreign(k)
			if !ok {
				continue
			}
			switch e.Fate {
			case annotations.ForeignCarried:
				objs := c.ownObjects(ing)
				if len(objs) == 0 {
					ing.Note(k, ingressnginx.Ignored, "%s: the Ingress generates no object of its own to carry it to", e.Owner)
					continue
				}
				var names []string
				for _, g := range objs {
					c.annotate(g, map[string]string{k: ing.Spec.Annotations[k]})
					names = append(names, g.Kind+" "+g.Name)
				}
				ing.Note(k, ingressnginx.Converted, "%s: %s; copied to %s", e.Owner, e.Reason, strings.Join(names, ", "))
			case annotations.ForeignLost:
				ing.Note(k, ingressnginx.Unsupported, "%s: %s", e.Owner, e.Reason)
			default:
				ing.Note(k, ingressnginx.Ignored, "%s: %s", e.Owner, e.Reason)
			}
		}
	}
}

// ownObjects are the objects generated for ing alone: its routes and
// Certificates (Gateways and grants are shared).
func (c *run) ownObjects(ing *ingressnginx.Ingress) []*gatewayapi.Object {
	out := append([]*gatewayapi.Object(nil), c.routes[ing]...)
	for _, g := range c.in.Generated {
		if g.Source == ing && g.Kind == "BackendTLSPolicy" {
			out = append(out, g)
		}
	}
	for _, g := range c.out.Objects {
		if g.Source == ing {
			out = append(out, g)
		}
	}
	return out
}
