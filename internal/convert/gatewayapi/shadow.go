package gatewayapi

import (
	"fmt"
	"regexp"
	"strings"

	gwv1 "sigs.k8s.io/gateway-api/apis/v1"

	"github.com/routeshift/routeshift/internal/convert/ingressnginx"
)

// A capture-group rewrite of the recognised family is a PathPrefix match
// with ReplacePrefixMatch (rewrite.go), while every other path of a host in
// regex mode is a RegularExpression match. Gateway API leaves the
// precedence between RegularExpression and the other match types to the
// implementation (HTTPRouteRule, "Matching precedence"), and where ingress-
// nginx tries the longer pattern first, implementations that try regular
// expressions first send the prefix's requests to a shorter pattern that
// also matches them: golden case rewrite-prefix-idiom, where "(?i)^/.*" of
// one Ingress takes /api of another.
//
// What each implementation does (the sources diff's Gateway model cites):
// Envoy Gateway orders Exact > RegularExpression > PathPrefix
// (internal/gatewayapi/sort.go, v1.9.1), but gets the regex rewrite
// instead and never reaches this; kgateway ranks RegularExpression before
// PathPrefix (sortable_route.go); NGINX Gateway Fabric writes regular
// expressions as "location ~" blocks, which nginx tries before any prefix
// location and which win when they match (ngx_http_core_module,
// "location"); Istio ranks Exact > Prefix > Regex (getURIRank), so the
// prefix keeps its requests there and only its case-sensitivity differs,
// which the rewrite's own warning says.

// regexFirst names the implementations that try a host's RegularExpression
// matches before its PathPrefix ones, for the configured implementation:
// all of them for standard output, which any of them may serve.
func regexFirst(impl string) string {
	switch impl {
	case "kgateway":
		return "kgateway tries"
	case "nginx-gateway-fabric":
		return "NGINX Gateway Fabric tries"
	case "istio", "envoy-gateway":
		return ""
	}
	return "Envoy Gateway, kgateway and NGINX Gateway Fabric try"
}

// checkShadowed warns where the PathPrefix of location l (a capture
// rewrite, prefix p) sits beside a RegularExpression match of its host
// that ingress-nginx tries after it and that can match the same requests.
func (e *emitter) checkShadowed(g *group, l *ingressnginx.Location, p string) {
	who := regexFirst(e.opts.Implementation)
	s := g.server
	if !s.RegexMode || who == "" {
		return
	}
	for _, o := range s.Locations {
		if o == l || o.Backend == nil && o.Implicit {
			continue // the implicit / without a backend generates no rule
		}
		if len(o.Path) > len(l.Path) {
			continue // nginx tries it first too (longest pattern first)
		}
		if m := pathMatch(s, o, e.opts.RegexRewrite != nil); *m.Type != gwv1.PathMatchRegularExpression {
			continue
		}
		if !mayOverlap(p, o.Path) {
			continue
		}
		e.findings.Warnf(l.Ingress.Object, l.Field+".path", "approximated: the rewrite of %q is PathPrefix %s, beside the RegularExpression %q of %s on host %q; Gateway API leaves their precedence to the implementation: %s regular expressions first, so requests for %s reach that rule instead, where ingress-nginx tries the longer pattern %q first (spec.implementation: envoy-gateway rewrites with a regular expression, exactly)",
			clip(l.Path), p, clip("(?i)^"+o.Path+".*"), describeOwner(o), s.Host, who, p, clip(l.Path))
		return
	}
}

// mayOverlap reports whether the regex path pattern of a location in
// regex mode (matched case-insensitively from the start) may match a
// request under prefix p: the literal beginning of the pattern and p agree,
// ignoring case, as far as the shorter goes. A pattern that does not
// compile as RE2 is reported elsewhere.
func mayOverlap(p, pattern string) bool {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return false
	}
	lit, _ := re.LiteralPrefix()
	a, b := strings.ToLower(p), strings.ToLower(lit)
	return strings.HasPrefix(a, b) || strings.HasPrefix(b, a)
}

// describeOwner names the Ingress of a location, for a warning on another.
func describeOwner(l *ingressnginx.Location) string {
	if l.Ingress == nil {
		return "the default backend"
	}
	return fmt.Sprintf("Ingress %s", qualified(l.Ingress.Namespace, l.Ingress.Name))
}

// checkRootReplace warns where standard output replaces the prefix "/"
// with a longer path. The specification keeps the segment boundary (under
// PathPrefix /, ReplacePrefixMatch /app sends /x as /app/x, the
// HTTPPathModifier table in apis/v1/httproute_types.go), which is nginx's
// rewrite too; Envoy Gateway writes Envoy's prefix_rewrite of the matched
// prefix with the replacement's trailing "/" trimmed, so /x reaches the
// backend as /appx (internal/xds/translator/route.go,
// buildXdsURLRewriteAction, v1.8.0 and v1.9.1; seen with egctl by
// internal/proof/gateway's TestEnvoyGatewayTranslator). The envoy-gateway
// target writes its regex rewrite instead and never gets here; no other
// implementation is known to differ.
func (e *emitter) checkRootReplace(l *ingressnginx.Location, prefix, replace string) {
	if prefix != "/" || replace == "/" || e.opts.Implementation != "" && e.opts.Implementation != "standard" {
		return
	}
	e.findings.Warnf(l.Ingress.Object, l.Field+".path", "approximated on Envoy Gateway: the rewrite of %q is PathPrefix / with ReplacePrefixMatch %s, which Envoy Gateway (v1.8, v1.9) applies without the segment boundary the specification keeps, so /x reaches the backend as %sx instead of %s/x (spec.implementation: envoy-gateway rewrites with a regular expression, exactly)",
		clip(l.Path), replace, strings.TrimSuffix(replace, "/"), strings.TrimSuffix(replace, "/"))
}
