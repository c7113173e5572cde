package gatewayapi

import (
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	gwv1 "sigs.k8s.io/gateway-api/apis/v1"

	"github.com/routeshift/routeshift/pipeline/ingressnginx"
)

// API limits of HTTPRoute (CRD maxItems and CEL rules).
const (
	maxRules         = 16
	maxMatchesInRule = 64
	maxMatchesRoute  = 128
)

// action is what a location does on one listener.
type action struct {
	redirect bool
	backend  *ingressnginx.Backend
}

func (a action) key() string {
	if a.redirect {
		return "redirect"
	}
	return fmt.Sprintf("%s/%s:%d", a.backend.Namespace, a.backend.Service, a.backend.Port)
}

type rule struct {
	action  action
	matches []*ingressnginx.Location
}

// rules builds the rules of one side (plain HTTP or HTTPS) of a group:
// locations that share an action share a rule, in location order.
func (g *group) rules(httpSide bool) []*rule {
	var out []*rule
	byKey := map[string]*rule{}
	for _, l := range g.locations {
		var a action
		switch {
		case httpSide && l.RedirectToHTTPS:
			a.redirect = true
		case l.Backend != nil:
			a.backend = l.Backend
		default:
			continue // the controller's default backend: 404, as Gateway API answers unmatched requests
		}
		r := byKey[a.key()]
		if r == nil {
			r = &rule{action: a}
			byKey[a.key()] = r
			out = append(out, r)
		}
		r.matches = append(r.matches, l)
	}
	return out
}

// chunk splits rules into routes within the API limits, keeping the order.
func chunk(rules []*rule) [][]*rule {
	var routes [][]*rule
	var cur []*rule
	n := 0
	for _, r := range rules {
		for start := 0; start < len(r.matches); start += maxMatchesInRule {
			end := min(start+maxMatchesInRule, len(r.matches))
			part := &rule{action: r.action, matches: r.matches[start:end]}
			if len(cur) == maxRules || n+len(part.matches) > maxMatchesRoute {
				routes = append(routes, cur)
				cur, n = nil, 0
			}
			cur = append(cur, part)
			n += len(part.matches)
		}
	}
	if len(cur) > 0 {
		routes = append(routes, cur)
	}
	return routes
}

// routes generates the HTTPRoutes of one group.
func (e *emitter) routes(g *group, l *layout) []*Object {
	http, https := l.parents(g)
	base := g.ing.Name + "-" + slug(g.server.Host)
	if g.server.TLS == nil || https == nil {
		return e.route(g, base, []gwv1.ParentReference{*http}, g.rules(true))
	}
	if !g.split() {
		parents := []gwv1.ParentReference{*http, *https}
		if !g.target.Create && http.SectionName == nil && https.SectionName == nil {
			parents = parents[:1]
		}
		return e.route(g, base, parents, g.rules(false))
	}
	out := e.route(g, base, []gwv1.ParentReference{*https}, g.rules(false))
	return append(out, e.route(g, base+"-http", []gwv1.ParentReference{*http}, g.rules(true))...)
}

func (e *emitter) route(g *group, base string, parents []gwv1.ParentReference, rules []*rule) []*Object {
	var out []*Object
	for i, part := range chunk(rules) {
		name := base
		if i > 0 {
			name = fmt.Sprintf("%s-%d", base, i+1)
		}
		name = e.names.take(g.ing.Namespace, name)
		r := &gwv1.HTTPRoute{
			TypeMeta:   metav1.TypeMeta{APIVersion: gwv1.GroupVersion.String(), Kind: "HTTPRoute"},
			ObjectMeta: e.meta(name, g.ing.Namespace, g.ing),
		}
		r.Spec.ParentRefs = parents
		if g.server.Host != "" {
			r.Spec.Hostnames = []gwv1.Hostname{gwv1.Hostname(g.server.Host)}
		}
		for _, ru := range part {
			r.Spec.Rules = append(r.Spec.Rules, ru.httpRouteRule())
		}
		out = append(out, &Object{Kind: "HTTPRoute", Namespace: g.ing.Namespace, Name: name, Source: g.ing, Value: r})
	}
	return out
}

func (e *emitter) meta(name, namespace string, source *ingressnginx.Ingress) metav1.ObjectMeta {
	return metav1.ObjectMeta{
		Name:        name,
		Namespace:   namespace,
		Labels:      map[string]string{ManagedByLabel: ManagedByValue},
		Annotations: map[string]string{SourceAnnotation: "Ingress " + qualified(source.Namespace, source.Name)},
	}
}

func qualified(ns, name string) string {
	if ns == "" {
		return name
	}
	return ns + "/" + name
}

func (r *rule) httpRouteRule() gwv1.HTTPRouteRule {
	var out gwv1.HTTPRouteRule
	for _, l := range r.matches {
		t := gwv1.PathMatchPathPrefix
		if l.PathType == ingressnginx.Exact {
			t = gwv1.PathMatchExact
		}
		out.Matches = append(out.Matches, gwv1.HTTPRouteMatch{Path: &gwv1.HTTPPathMatch{Type: &t, Value: ptr(l.Path)}})
	}
	if r.action.redirect {
		// ingress-nginx answers plain HTTP with http-redirect-code (308) to
		// the same host and URI on https; scheme https with no port gives
		// the well-known port, as nginx omits it.
		out.Filters = []gwv1.HTTPRouteFilter{{
			Type:            gwv1.HTTPRouteFilterRequestRedirect,
			RequestRedirect: &gwv1.HTTPRequestRedirectFilter{Scheme: ptr("https"), StatusCode: ptr(308)},
		}}
		return out
	}
	be := r.action.backend
	out.BackendRefs = []gwv1.HTTPBackendRef{{BackendRef: gwv1.BackendRef{BackendObjectReference: gwv1.BackendObjectReference{
		Name: gwv1.ObjectName(be.Service),
		Port: ptr(gwv1.PortNumber(be.Port)),
	}}}}
	return out
}

func ptr[T any](v T) *T { return &v }
