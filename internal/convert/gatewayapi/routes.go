package gatewayapi

import (
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	gwv1 "sigs.k8s.io/gateway-api/apis/v1"

	"github.com/routeshift/routeshift/internal/convert/ingressnginx"
)

// API limits of HTTPRoute (CRD maxItems and CEL rules).
const (
	maxRules         = 16
	maxMatchesInRule = 64
	maxMatchesRoute  = 128
)

type rule struct {
	act     action
	entries []entry
}

// rules groups one side's entries by action, in entry order; a single
// action (ReplacePrefixMatch) keeps its rule to itself.
func (g *group) rules(httpSide bool) []*rule {
	var out []*rule
	byKey := map[string]*rule{}
	for _, e := range g.entries(httpSide) {
		r := byKey[e.act.key]
		if r == nil {
			r = &rule{act: e.act}
			byKey[e.act.key] = r
			out = append(out, r)
		}
		r.entries = append(r.entries, e)
	}
	return out
}

// chunk splits rules into routes within the API limits, keeping the order.
func chunk(rules []*rule) [][]*rule {
	var routes [][]*rule
	var cur []*rule
	n := 0
	for _, r := range rules {
		for start := 0; start < len(r.entries); start += maxMatchesInRule {
			end := min(start+maxMatchesInRule, len(r.entries))
			part := &rule{act: r.act, entries: r.entries[start:end]}
			if len(cur) == maxRules || n+len(part.entries) > maxMatchesRoute {
				routes = append(routes, cur)
				cur, n = nil, 0
			}
			cur = append(cur, part)
			n += len(part.entries)
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
	if isGRPC(g.ing) {
		out := e.grpcRoutes(g, l)
		if g.server.TLS != nil && https != nil && g.split() {
			// ingress-nginx's ssl-redirect answers plain HTTP on a gRPC
			// host with 308 to https like on any other host (curl,
			// browsers and health checks see it); the GRPCRoute serves
			// HTTPS, an HTTPRoute on the HTTP listener redirects.
			out = append(out, e.route(g, base+"-http", []gwv1.ParentReference{*http}, redirectsOnly(g.rules(true)))...)
		}
		return out
	}
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

// redirectsOnly keeps the redirect rules: on a gRPC host the HTTP
// listener carries ingress-nginx's https redirects and nothing else
// (gRPC is not proxied over plain HTTP/1).
func redirectsOnly(rules []*rule) []*rule {
	var out []*rule
	for _, r := range rules {
		if r.act.redirect != nil {
			out = append(out, r)
		}
	}
	return out
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
	for _, e := range r.entries {
		out.Matches = append(out.Matches, e.match)
	}
	if r.act.redirect != nil {
		out.Filters = []gwv1.HTTPRouteFilter{{Type: gwv1.HTTPRouteFilterRequestRedirect, RequestRedirect: r.act.redirect}}
		return out
	}
	out.Filters = r.act.filters
	out.BackendRefs = r.act.backends
	return out
}
