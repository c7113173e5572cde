package gatewayapi

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	gwv1 "sigs.k8s.io/gateway-api/apis/v1"

	"github.com/routeshift/routeshift/internal/convert/ingressnginx"
)

// passthrough generates a TLSRoute for every host whose creating Ingress
// sets ssl-passthrough: ingress-nginx then hands the TLS stream on port 443
// to the backend of the host's "/" location, unread, bypassing every HTTP
// rule (it needs the controller flag --enable-ssl-passthrough). Plain HTTP
// on port 80 keeps its HTTP routes.
func (e *emitter) passthrough(l *layout) []*Object {
	var out []*Object
	for _, g := range e.groups {
		s := g.server
		if !s.Passthrough || g.ing != s.Creator || e.failed[g.ing] || g.target == nil {
			continue
		}
		root := s.Find("/", ingressnginx.Prefix)
		if root == nil || root.Backend == nil {
			e.findings.Warnf(g.ing.Object, "metadata.annotations", "ssl-passthrough on host %q needs a / path with a backend to hand the TLS stream to; no TLSRoute is generated", s.Host)
			continue
		}
		var parent *gwv1.ParentReference
		if g.target.Create {
			lp := l.https[g.target][s.Host]
			if lp == nil {
				continue
			}
			lp.admit(g.ing)
			if lp.gateway.set {
				parent = lp.setRef(g.ing.Namespace)
			} else {
				parent = &gwv1.ParentReference{Name: gwv1.ObjectName(lp.gateway.name), SectionName: ptr.To(gwv1.SectionName(lp.name))}
			}
		} else {
			if g.target.SectionNames.TLS == "" {
				e.findings.Warnf(g.ing.Object, "metadata.annotations", "ssl-passthrough on host %q: target Gateway %s needs sectionNames.tls, its TLS passthrough listener; no TLSRoute is generated", s.Host, g.target.ref())
				continue
			}
			parent = &gwv1.ParentReference{Name: gwv1.ObjectName(g.target.Name), SectionName: ptr.To(gwv1.SectionName(g.target.SectionNames.TLS))}
		}
		if parent.Kind == nil && g.target.Namespace != "" && g.target.Namespace != g.ing.Namespace {
			parent.Namespace = ptr.To(gwv1.Namespace(g.target.Namespace))
		}
		r := &gwv1.TLSRoute{
			TypeMeta:   metav1.TypeMeta{APIVersion: gwv1.GroupVersion.String(), Kind: "TLSRoute"},
			ObjectMeta: e.meta(e.names.take(g.ing.Namespace+"/TLSRoute", g.ing.Name+"-"+slug(s.Host)+"-passthrough"), g.ing.Namespace, g.ing),
		}
		r.Spec.ParentRefs = []gwv1.ParentReference{*parent}
		r.Spec.Hostnames = []gwv1.Hostname{gwv1.Hostname(s.Host)}
		r.Spec.Rules = []gwv1.TLSRouteRule{{BackendRefs: []gwv1.BackendRef{{BackendObjectReference: gwv1.BackendObjectReference{
			Name: gwv1.ObjectName(root.Backend.Service), Port: ptr.To(gwv1.PortNumber(root.Backend.Port)),
		}}}}}
		out = append(out, &Object{Kind: "TLSRoute", Namespace: g.ing.Namespace, Name: r.Name, Source: g.ing, Value: r})
	}
	return out
}
