package nginx

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/routeshift/routeshift/internal/proof/routing"
)

// httpRedirectCode is the ConfigMap's http-redirect-code default, used by
// ssl-redirect and force-ssl-redirect.
const httpRedirectCode = 308

// noTLSRedirect is no-tls-redirect-locations' default: locations whose
// Ingress path starts with it answer plain HTTP, for ACME HTTP-01.
const noTLSRedirect = "/.well-known/acme-challenge"

// Evaluate answers a request as ingress-nginx would.
func (m *Model) Evaluate(r routing.Request) routing.Outcome {
	host := r.Hostname()
	s := m.selectServer(host)
	if r.Scheme == "https" && !s.tls {
		return routing.Outcome{Kind: routing.Refused,
			Reason: "no Ingress has a certificate for " + host + "; ingress-nginx presents its default certificate"}
	}
	if s.creator != nil && len(s.creator.set.serverUnverifiable) > 0 {
		o := routing.UnverifiableOutcome(unverifiableReason(s.creator.set.serverUnverifiable))
		o.Rule = "Ingress " + s.creator.ref() + " (server " + s.host + ")"
		return o
	}
	if s.redirectTo != "" {
		loc := r.Scheme + "://" + s.redirectTo + r.Path
		if q := r.RawQuery(); q != "" {
			loc += "?" + q
		}
		o := redirect(httpRedirectCode, loc, "from-to-www-redirect of "+s.redirectTo)
		o.Rule = "Ingress " + s.redirectBy.ref() + ": from-to-www-redirect to " + s.redirectTo
		return o
	}
	uri := normalizeURI(r.Path)
	// app-root is a server-level "if ($uri = /) return 302", which runs
	// before any location is chosen.
	if s.appRoot != "" && uri == "/" {
		o := redirect(302, r.Scheme+"://"+r.Host+s.appRoot, "app-root of server "+s.host)
		o.Rule = "Ingress " + s.appRootBy.ref() + ": app-root " + s.appRoot
		return o
	}
	l, out, done := s.find(uri, &r)
	if done {
		return out
	}
	return m.proxy(s, l, uri, &r)
}

// selectServer is nginx's server_name lookup as ingress-nginx renders it:
// exact names, then "*.suffix" as ^[\w-]+\.suffix$ (one label), then "_".
func (m *Model) selectServer(host string) *server {
	if s, ok := m.exact[host]; ok {
		return s
	}
	if i := strings.IndexByte(host, '.'); i > 0 && wordLabel(host[:i]) {
		if s, ok := m.wildcard[host[i+1:]]; ok {
			return s
		}
	}
	return m.catchAll
}

func wordLabel(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '-' || c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

// find is nginx's location selection. Without regex mode: "= path" first,
// then the longest prefix; a URI that is a prefix location minus its
// trailing slash gets nginx's 301 to the slashed URI (proxy_pass
// auto-redirect). In regex mode every location is ~* "^path" and the first
// match in the controller's order (longest pattern first) wins.
func (s *server) find(uri string, r *routing.Request) (*location, routing.Outcome, bool) {
	if s.regex {
		l, err := s.firstRegex(uri)
		if err != nil {
			return nil, routing.UnverifiableOutcome("regex location " + l.path + " of " + s.host +
				" is not RE2 (PCRE may accept it): " + err.Error()), true
		}
		if l != nil {
			return l, routing.Outcome{}, false
		}
		return s.root(), routing.Outcome{}, false
	}
	if l, ok := s.index.exact[uri]; ok {
		return l, routing.Outcome{}, false
	}
	best := s.index.longestPrefix(uri)
	if l, ok := s.index.prefix[uri+"/"]; ok {
		loc := r.Scheme + "://" + r.Hostname() + uri + "/"
		if q := r.RawQuery(); q != "" {
			loc += "?" + q
		}
		o := redirect(301, loc, "nginx adds the trailing slash of location "+l.path)
		o.Rule = l.describe()
		return nil, o, true
	}
	if best == nil {
		best = s.root()
	}
	return best, routing.Outcome{}, false
}

func (s *server) root() *location {
	for _, l := range s.locations {
		if l.path == "/" && !l.exact {
			return l
		}
	}
	return &location{ingressPath: "/", path: "/", defBackend: true}
}

// proxy runs the location: its redirect annotations, then the TLS
// redirect, then the canary decision and the rewrite.
func (m *Model) proxy(s *server, l *location, uri string, r *routing.Request) routing.Outcome {
	ing := l.ing
	catchAllRoot := s == m.catchAll && l.defBackend
	var set settings
	if ing != nil {
		set = ing.set
	} else {
		set = settings{sslRedirect: true}
	}
	if len(set.unverifiable) > 0 {
		o := routing.UnverifiableOutcome(unverifiableReason(set.unverifiable))
		o.Rule = l.describe()
		return o
	}
	// "return <code> <url>" is a rewrite-module directive: it runs before
	// the Lua TLS redirect. The controller keeps it off the catch-all.
	if set.redirectURL != "" && !catchAllRoot {
		loc, why, ok := expandVariables(set.redirectURL, r, s)
		o := routing.UnverifiableOutcome(why)
		if ok {
			o = redirect(set.redirectCode, loc, "")
		}
		o.Rule = l.describe()
		return o
	}
	if r.Scheme == "http" && (set.forceSSLRedirect || (set.sslRedirect && s.tls)) &&
		!strings.HasPrefix(l.ingressPath, noTLSRedirect) {
		ru := r.Path
		if q := r.RawQuery(); q != "" {
			ru += "?" + q
		}
		if !set.preserveTrailingSlash && strings.HasSuffix(ru, "/") {
			ru = ru[:len(ru)-1]
		}
		o := redirect(httpRedirectCode, "https://"+r.Hostname()+ru, "")
		o.Rule = l.describe()
		return o
	}
	if !l.hasBackend {
		o := routing.StatusOutcome(404, "no path of "+s.host+" matches; the controller's default backend answers")
		o.Rule = l.describe()
		return o
	}
	if set.grpc && !isGRPC(r) {
		o := routing.UnverifiableOutcome("a plain HTTP request to a gRPC backend (backend-protocol): the backend decides")
		o.Rule = l.describe()
		return o
	}
	backends := []routing.Backend{l.backend}
	rule := l.describe()
	if c, ok := m.canaries[upstream(l.backend)]; ok {
		bs, why, ok := c.route(l.backend, r)
		if !ok {
			o := routing.UnverifiableOutcome(why)
			o.Rule = rule
			return o
		}
		backends = bs
		if why != "" {
			rule += "; " + why + " of Ingress " + c.ing.ref()
		}
	}
	path := r.Path
	query := r.RawQuery()
	if l.rewriteRe != nil || l.rewriteErr != nil {
		if l.rewriteErr != nil {
			o := routing.UnverifiableOutcome("rewrite path " + l.path + " is not RE2 (PCRE may accept it)")
			o.Rule = rule
			return o
		}
		path, query = rewrite(l.rewriteRe, set.rewriteTarget, uri, query)
	}
	if query != "" {
		path += "?" + query
	}
	o := routing.Outcome{Kind: routing.Forward, Backends: backends, RewrittenPath: path,
		RewrittenHost: r.Host, Rule: rule}
	if set.upstreamVhost != "" {
		o.RewrittenHost = set.upstreamVhost
	}
	// buildProxyPass sets X-Forwarded-Prefix only beside a rewrite.
	if set.xForwardedPrefix != "" && l.rewriteRe != nil {
		o.RequestHeaders = []routing.HeaderChange{{Op: "set", Name: "x-forwarded-prefix", Value: set.xForwardedPrefix}}
	}
	return o
}

var captureRef = regexp.MustCompile(`\$(\d+|[A-Za-z_][A-Za-z0-9_]*)`)

// rewrite is `rewrite "(?i)<path>" <target> break;`: when the regex
// matches the normalised URI anywhere, the whole URI becomes the target
// with $n expanded; the request's arguments follow the target's own.
func rewrite(re *regexp.Regexp, target, uri, query string) (string, string) {
	sub := re.FindStringSubmatchIndex(uri)
	if sub == nil {
		return uri, query
	}
	tmpl := captureRef.ReplaceAllString(target, "$${$1}")
	out := string(re.ExpandString(nil, tmpl, uri, sub))
	if p, q, ok := strings.Cut(out, "?"); ok {
		if query != "" {
			q += "&" + query
		}
		return p, q
	}
	return out, query
}

// normalizeURI is what nginx matches locations against: percent-decoded,
// with runs of slashes merged (merge_slashes on).
func normalizeURI(p string) string {
	if d, err := url.PathUnescape(p); err == nil {
		p = d
	}
	for strings.Contains(p, "//") {
		p = strings.ReplaceAll(p, "//", "/")
	}
	return p
}

func redirect(code int, loc, reason string) routing.Outcome {
	return routing.Outcome{Kind: routing.Redirect, Redirect: &routing.RedirectTo{Status: code, Location: loc}, Reason: reason}
}

func (l *location) describe() string {
	if l.ing == nil {
		return "catch-all server: controller default backend"
	}
	kind := l.pathType
	if l.defBackend {
		if l.hasBackend {
			return "Ingress " + l.ing.ref() + ": spec.defaultBackend"
		}
		return "Ingress " + l.ing.ref() + ": no path matches"
	}
	return "Ingress " + l.ing.ref() + ": " + kind + " " + l.ingressPath
}

func isGRPC(r *routing.Request) bool {
	ct, _ := r.Header("content-type")
	return strings.HasPrefix(ct, "application/grpc")
}
