package gatewayapi

import (
	"fmt"
	"regexp"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	gwv1 "sigs.k8s.io/gateway-api/apis/v1"

	"github.com/routeshift/routeshift/internal/convert/ingressnginx"
)

// isGRPC reports whether the Ingress proxies with grpc_pass
// (backend-protocol GRPC or GRPCS): its paths are gRPC services and
// methods, which Gateway API routes with GRPCRoute, never merged with
// HTTPRoutes.
func isGRPC(ing *ingressnginx.Ingress) bool {
	p := ing.Settings.BackendProtocol
	return p == "GRPC" || p == "GRPCS"
}

// grpcService is the service name form GRPCRoute accepts.
var grpcService = regexp.MustCompile(`^(?i)\.?[a-z_][a-z_0-9]*(\.[a-z_][a-z_0-9]*)*$`)
var grpcMethod = regexp.MustCompile(`^[A-Za-z_][A-Za-z_0-9]*$`)

// grpcMatch turns a location path into a gRPC method match: "/" matches
// every call, "/pkg.Service" (Prefix) a service, "/pkg.Service/Method" a
// method. ok is false for paths that are no such thing.
func grpcMatch(l *ingressnginx.Location) (m *gwv1.GRPCMethodMatch, ok bool) {
	p := strings.TrimSuffix(l.Path, "/")
	if p == "" {
		return nil, true
	}
	parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
	switch {
	case len(parts) == 1 && grpcService.MatchString(parts[0]) && l.PathType == ingressnginx.Prefix:
		return &gwv1.GRPCMethodMatch{Type: ptr.To(gwv1.GRPCMethodMatchExact), Service: ptr.To(parts[0])}, true
	case len(parts) == 2 && grpcService.MatchString(parts[0]) && grpcMethod.MatchString(parts[1]):
		return &gwv1.GRPCMethodMatch{Type: ptr.To(gwv1.GRPCMethodMatchExact), Service: ptr.To(parts[0]), Method: ptr.To(parts[1])}, true
	}
	return nil, false
}

// checkGRPC rejects gRPC Ingresses whose paths or annotations GRPCRoute
// cannot carry.
func (e *emitter) checkGRPC(g *group) {
	for _, l := range g.locations {
		if l.Implicit {
			continue
		}
		if _, ok := grpcMatch(l); !ok {
			e.fail(g.ing, l.Field+".path", "path %q of a gRPC Ingress (backend-protocol %s) is not / or /<package.Service>[/<Method>], which is all GRPCRoute can match", clip(l.Path), g.ing.Settings.BackendProtocol)
		}
	}
	st := g.ing.Settings
	if st.HasRewrite || st.CORS != nil || st.Redirect != nil || st.UpstreamVhost != "" || g.server.RegexMode {
		e.fail(g.ing, "metadata.annotations", "a gRPC Ingress with rewrites, redirects, CORS, upstream-vhost or regex paths cannot be a GRPCRoute")
	}
}

// grpcRoutes generates the GRPCRoute of a gRPC group: on HTTPS when the
// host has a certificate, else on plain HTTP (h2c).
func (e *emitter) grpcRoutes(g *group, l *layout) []*Object {
	http, https := l.parents(g)
	parent := http
	if g.server.TLS != nil && https != nil {
		parent = https
	}
	r := &gwv1.GRPCRoute{
		TypeMeta:   metav1.TypeMeta{APIVersion: gwv1.GroupVersion.String(), Kind: "GRPCRoute"},
		ObjectMeta: e.meta(e.names.take(g.ing.Namespace, g.ing.Name+"-"+slug(g.server.Host)), g.ing.Namespace, g.ing),
	}
	r.Spec.ParentRefs = []gwv1.ParentReference{*parent}
	if g.server.Host != "" {
		r.Spec.Hostnames = []gwv1.Hostname{gwv1.Hostname(g.server.Host)}
	}
	for _, loc := range g.locations {
		if loc.Backend == nil {
			continue
		}
		m, _ := grpcMatch(loc)
		base := gwv1.GRPCRouteMatch{Method: m}
		rule := gwv1.GRPCRouteRule{BackendRefs: grpcBackends(backends(loc))}
		// GRPCRoute has the header modifier filters too: custom-headers
		// and a triaged snippet's headers apply to gRPC locations as
		// nginx applied them.
		req, resp := headerModifiers(loc)
		if len(req.Set)+len(req.Remove) > 0 {
			rule.Filters = append(rule.Filters, gwv1.GRPCRouteFilter{Type: gwv1.GRPCRouteFilterRequestHeaderModifier, RequestHeaderModifier: req})
		}
		if len(resp.Set)+len(resp.Add)+len(resp.Remove) > 0 {
			rule.Filters = append(rule.Filters, gwv1.GRPCRouteFilter{Type: gwv1.GRPCRouteFilterResponseHeaderModifier, ResponseHeaderModifier: resp})
		}
		if m != nil {
			rule.Matches = []gwv1.GRPCRouteMatch{base}
		}
		r.Spec.Rules = append(r.Spec.Rules, rule)
		if c := loc.Canary; c != nil && c.Settings.Header != "" {
			for _, ce := range canaryEntries(loc, gwv1.HTTPRouteMatch{}, action{backends: backends(loc)}) {
				h := ce.match.Headers[0]
				cm := base
				t := gwv1.GRPCHeaderMatchType(*h.Type)
				cm.Headers = []gwv1.GRPCHeaderMatch{{Type: &t, Name: gwv1.GRPCHeaderName(h.Name), Value: h.Value}}
				r.Spec.Rules = append(r.Spec.Rules, gwv1.GRPCRouteRule{Matches: []gwv1.GRPCRouteMatch{cm}, Filters: rule.Filters, BackendRefs: grpcBackends(ce.act.backends)})
			}
		}
	}
	if len(r.Spec.Rules) == 0 {
		return nil
	}
	if len(r.Spec.Rules) > maxRules {
		e.fail(g.ing, "spec.rules", "%d gRPC rules for host %q exceed GRPCRoute's %d", len(r.Spec.Rules), g.server.Host, maxRules)
		return nil
	}
	return []*Object{{Kind: "GRPCRoute", Namespace: g.ing.Namespace, Name: r.Name, Source: g.ing, Value: r}}
}

func grpcBackends(refs []gwv1.HTTPBackendRef) []gwv1.GRPCBackendRef {
	out := make([]gwv1.GRPCBackendRef, len(refs))
	for i, r := range refs {
		out[i] = gwv1.GRPCBackendRef{BackendRef: r.BackendRef}
	}
	return out
}

// mixedProtocols warns where a host gets both HTTPRoutes and GRPCRoutes on
// one listener: Gateway API forbids merging them, and an implementation
// may accept only one kind for the hostname.
func (e *emitter) mixedProtocols() {
	kinds := map[string]map[bool]*group{}
	for _, g := range e.groups {
		if e.failed[g.ing] || !g.routes() {
			continue
		}
		key := fmt.Sprintf("%p/%s", g.target, g.server.Host)
		if kinds[key] == nil {
			kinds[key] = map[bool]*group{}
		}
		kinds[key][isGRPC(g.ing)] = g
	}
	for _, byKind := range kinds {
		if grpc, http := byKind[true], byKind[false]; grpc != nil && http != nil {
			e.findings.Warnf(grpc.ing.Object, "metadata.annotations", "host %q gets a GRPCRoute from this Ingress and HTTPRoutes from Ingress %s; implementations may accept only one kind per hostname and listener",
				grpc.server.Host, qualified(http.ing.Namespace, http.ing.Name))
		}
	}
}
