package gatewayapi

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	gwv1 "sigs.k8s.io/gateway-api/apis/v1"
)

// wwwRoute generates the route of a from-to-www-redirect twin: every
// request for the twin host gets a 308 to the same URI on the host
// (ingress-nginx's http-redirect-code), scheme and port kept. It attaches
// to the plain-HTTP listener; HTTPS for the twin needs a certificate that
// covers it, which is reported rather than guessed.
func (e *emitter) wwwRoute(g *group, l *layout) []*Object {
	s := g.server
	if s.WWWTwin == "" || s.WWWTwinBy != g.ing {
		return nil
	}
	http, _ := l.parents(g)
	r := &gwv1.HTTPRoute{
		TypeMeta:   metav1.TypeMeta{APIVersion: gwv1.GroupVersion.String(), Kind: "HTTPRoute"},
		ObjectMeta: e.meta(e.names.take(g.ing.Namespace, g.ing.Name+"-"+slug(s.WWWTwin)+"-redirect"), g.ing.Namespace, g.ing),
	}
	r.Spec.ParentRefs = []gwv1.ParentReference{*http}
	r.Spec.Hostnames = []gwv1.Hostname{gwv1.Hostname(s.WWWTwin)}
	r.Spec.Rules = []gwv1.HTTPRouteRule{{Filters: []gwv1.HTTPRouteFilter{{
		Type:            gwv1.HTTPRouteFilterRequestRedirect,
		RequestRedirect: &gwv1.HTTPRequestRedirectFilter{Hostname: ptr.To(gwv1.PreciseHostname(s.Host)), StatusCode: ptr.To(308)},
	}}}}
	if s.TLS != nil {
		e.findings.Warnf(g.ing.Object, "metadata.annotations", "approximated: from-to-www-redirect: https://%s is not served on the Gateway, where ingress-nginx redirects it to https://%s; add %s to a certificate and an HTTPS listener to redirect it there too", s.WWWTwin, s.Host, s.WWWTwin)
	}
	return []*Object{{Kind: "HTTPRoute", Namespace: g.ing.Namespace, Name: r.Name, Source: g.ing, Value: r}}
}
