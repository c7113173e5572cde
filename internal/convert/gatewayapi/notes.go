package gatewayapi

import (
	"fmt"
	"strings"

	"github.com/routeshift/routeshift/internal/convert/ingressnginx"
)

// checkAnnotations states where the generated routes differ from what
// ingress-nginx does with the group's annotations, and records the fate
// of the annotations whose translation depends on their values.
func (e *emitter) checkAnnotations(g *group) {
	ing, s := g.ing, g.server
	st := ing.Settings
	if s.RegexMode {
		if impl := e.opts.Implementation; e.opts.RegexRewrite != nil {
			// Envoy Gateway orders RegularExpression matches by the length
			// of their value (internal/gatewayapi/sort.go, v1.9.1), which is
			// ingress-nginx's longest-pattern-first order for (?i)^<path>.*.
			ing.Note("use-regex", ingressnginx.Converted, "paths of the host are case-insensitive RegularExpression matches, which %s orders longest first as ingress-nginx does; RE2, so a pattern only PCRE accepts is an error", impl)
		} else {
			ing.Note("use-regex", ingressnginx.Approximated, "paths of the host are RegularExpression matches: implementation-specific RE2 where nginx uses PCRE, and the order between regular expressions is the implementation's where nginx tries the longest pattern first")
			e.findings.Warnf(ing.Object, "spec.rules", "approximated: host %q is in ingress-nginx regex mode (use-regex or rewrite-target on Ingress %s/%s), so its paths become case-insensitive RegularExpression matches; their dialect (RE2, not PCRE) and their order are implementation-specific",
				s.Host, s.RegexBy.Namespace, s.RegexBy.Name)
		}
	}
	if st.HasRewrite {
		e.checkRewrites(g)
	}
	for _, l := range g.locations {
		if l.Implicit {
			continue
		}
		if s.AppRoot != "" && l.PathType == ingressnginx.Exact && l.Path == "/" && s.AppRootBy != ing {
			e.findings.Warnf(ing.Object, l.Field, "Exact / is shadowed by app-root of Ingress %s/%s (ingress-nginx checks app-root before any location); no rule is generated for it", s.AppRootBy.Namespace, s.AppRootBy.Name)
		}
	}
	// force-ssl-redirect redirects a host without TLS too, and strips the
	// slash the same way (lua_ingress.lua: redirect_to_https is
	// force_ssl_redirect or ssl_redirect with a certificate).
	if !st.PreserveTrailingSlash {
		for _, l := range g.locations {
			if l.RedirectToHTTPS && st.Redirect == nil {
				why := "the 308 to https keeps a trailing '/' that ingress-nginx strips (http://host/x/ -> https://host/x) unless preserve-trailing-slash is set"
				field := "spec.tls"
				if ing.ForceSSLRedirect {
					ing.Note("force-ssl-redirect", ingressnginx.Approximated, "%s", why)
				}
				if s.TLS == nil {
					field = "metadata.annotations"
				} else {
					ing.Note("ssl-redirect", ingressnginx.Approximated, "%s", why)
				}
				e.findings.Infof(ing.Object, field, "approximated: ingress-nginx's https redirect for host %q strips a trailing '/' (http://%s/x/ -> https://%s/x); Gateway API redirects keep the path as it is", s.Host, s.Host, s.Host)
				break
			}
		}
	}
	switch st.BackendProtocol {
	case "FCGI":
		e.fail(ing, "metadata.annotations", "backend-protocol FCGI: the backend speaks FastCGI, which no Gateway API route can talk to")
	case "AUTO_HTTP":
		ing.Note("backend-protocol", ingressnginx.Approximated, "AUTO_HTTP used the client's scheme towards the backend; the routes use plain HTTP")
	}
	if st.XForwardedPrefix != "" && !st.HasRewrite {
		ing.Note("x-forwarded-prefix", ingressnginx.Ignored, "ingress-nginx only sends it with rewrite-target")
	}
	if st.Redirect != nil {
		for _, l := range g.locations {
			if l.Implicit {
				e.findings.Warnf(ing.Object, "metadata.annotations", "every path of host %q that no Ingress defines is redirected too: ingress-nginx gives the host's implicit / location the annotations of the Ingress that created the host (kubernetes/ingress-nginx#9435), and so does the conversion", s.Host)
			}
		}
		name := "permanent-redirect"
		if _, ok := ing.Spec.Annotations[e.prefixed(ing, "temporal-redirect")]; ok {
			name = "temporal-redirect"
		}
		ing.Note(name, ingressnginx.Approximated, "RequestRedirect: nginx's `return` drops the request's query string, Gateway implementations usually keep it")
	}
	if st.CORS != nil {
		for _, o := range st.CORS.AllowOrigins {
			if strings.Contains(o, "*.") {
				ing.Note("cors-allow-origin", ingressnginx.Approximated, "a wildcard origin matches one label in ingress-nginx and any number of labels in Gateway API")
			}
		}
	}
}

// prefixed is the full annotation key of a short name, as written on ing.
func (e *emitter) prefixed(ing *ingressnginx.Ingress, name string) string {
	for k := range ing.Spec.Annotations {
		if strings.HasSuffix(k, "/"+name) {
			return k
		}
	}
	return name
}

// checkRewrites gives rewrite-target the worst fate of the group's paths
// and warns, path by path, where a rewrite differs from nginx's: a regex
// rewrite filter of the implementation is exact; a capture rewrite of the
// recognised family is a PathPrefix with ReplacePrefixMatch, exact or with
// its differences listed; other capture groups are not rewritten.
func (e *emitter) checkRewrites(g *group) {
	ing, st := g.ing, g.ing.Settings
	worst, why := ingressnginx.Converted, ""
	note := func(f ingressnginx.Fate, reason string) {
		if why == "" || f > worst && f != ingressnginx.Ignored {
			worst, why = f, reason
		}
	}
	for _, l := range g.locations {
		if l.Implicit {
			continue
		}
		if f := regexRewriteFilter(l, g.server, e.opts.RegexRewrite); f != nil {
			note(ingressnginx.Converted, fmt.Sprintf("%s %s (ExtensionRef) replacing the path with nginx's own regex rewrite", e.opts.Implementation, f.obj.Kind))
		} else if c, ok := rewriteOf(l); ok {
			e.checkShadowed(g, l, c.prefix)
			e.checkRootReplace(l, c.prefix, c.replace)
			if len(c.differs) == 0 {
				note(ingressnginx.Converted, "PathPrefix with ReplacePrefixMatch, exactly nginx's rewrite")
				continue
			}
			note(ingressnginx.Approximated, "capture-group rewrites become PathPrefix with ReplacePrefixMatch; where each path differs from nginx is a warning (spec.implementation: envoy-gateway rewrites exactly)")
			e.findings.Warnf(ing.Object, l.Field+".path", "approximated: rewrite of %q to %q is PathPrefix %s with ReplacePrefixMatch %s, which differs from nginx: %s",
				clip(l.Path), clip(st.RewriteTarget), c.prefix, c.replace, strings.Join(c.differs, "; "))
		} else if strings.Contains(st.RewriteTarget, "$") {
			if _, _, why := regexRewrite(l.Path, st.RewriteTarget); e.opts.RegexRewrite != nil && why != "" {
				// The implementation's regex rewrite replaces the path
				// only.
				note(ingressnginx.Unsupported, fmt.Sprintf("%s's regex path rewrite cannot carry it: %s; the path is matched but NOT rewritten", e.opts.Implementation, why))
				e.findings.Warnf(ing.Object, l.Field+".path", "rewrite-target %q cannot be expressed by %s's regex path rewrite (%s); requests for %q reach the backend unrewritten", clip(st.RewriteTarget), e.opts.Implementation, why, clip(l.Path))
				continue
			}
			note(ingressnginx.Unsupported, "capture groups outside the family P(.*), P(.+), P/(.*), P(/|$)(.*) with a target X$n need an implementation's regex rewrite (spec.implementation: envoy-gateway); the path is matched but NOT rewritten")
			e.findings.Warnf(ing.Object, l.Field+".path", "rewrite-target %q with capture groups cannot be expressed in standard Gateway API; requests for %q reach the backend unrewritten", clip(st.RewriteTarget), clip(l.Path))
		}
	}
	if why != "" {
		ing.Note("rewrite-target", worst, "%s", why)
	}
}
