package gateway

import (
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/routeshift/routeshift/internal/proof/routing"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"
)

// apply runs the chosen rule: its filters in order, then its backendRefs.
func (m *Model) apply(impl Implementation, c candidate, r *routing.Request, l *listener) routing.Outcome {
	rule := c.route.kind + " " + c.route.ref() + " rule " + strconv.Itoa(c.rule.idx)
	out := routing.Outcome{Kind: routing.Forward, RewrittenPath: r.Path, RewrittenHost: r.Host, Rule: rule}
	if o, done := m.filters(impl, c.route.ns, c.rule.filters, c.match, r, l, &out); done {
		o.Rule = rule
		return o
	}
	if len(c.rule.backends) == 0 {
		o := routing.StatusOutcome(500, "the rule has no backendRefs")
		o.Rule = rule
		return o
	}
	var bs []routing.Backend
	var filters []gatewayv1.HTTPRouteFilter
	first := true
	valid := 0
	for _, br := range c.rule.backends {
		w := int64(1)
		if br.Weight != nil {
			w = int64(*br.Weight)
		}
		b, why := m.resolve(c.route, br.BackendObjectReference)
		b.Weight = w
		if why != "" {
			b = routing.Backend{Status: 500, Weight: w}
		} else if w > 0 {
			valid++
		}
		if w > 0 {
			if !first && !reflect.DeepEqual(filters, br.Filters) {
				o := routing.UnverifiableOutcome("backendRefs of a weighted split carry different filters")
				o.Rule = rule
				return o
			}
			filters, first = br.Filters, false
		}
		bs = append(bs, b)
	}
	if len(routing.Split(bs)) == 0 {
		o := routing.StatusOutcome(500, "every backendRef has weight 0")
		o.Rule = rule
		return o
	}
	if valid == 0 {
		o := routing.StatusOutcome(500, "no backendRef is valid")
		o.Rule = rule
		return o
	}
	if o, done := m.filters(impl, c.route.ns, filters, c.match, r, l, &out); done {
		o.Rule = rule
		return o
	}
	out.Backends = bs
	if q := r.RawQuery(); q != "" {
		out.RewrittenPath += "?" + q
	}
	return out
}

// filters applies route or backend filters to out; done is true when one
// of them answers the request itself.
func (m *Model) filters(impl Implementation, ns string, fs []gatewayv1.HTTPRouteFilter, mt *match, r *routing.Request, l *listener, out *routing.Outcome) (routing.Outcome, bool) {
	for _, f := range fs {
		switch f.Type {
		case gatewayv1.HTTPRouteFilterRequestRedirect:
			if f.RequestRedirect != nil {
				return redirect(impl, f.RequestRedirect, mt, r, l), true
			}
		case gatewayv1.HTTPRouteFilterURLRewrite:
			if u := f.URLRewrite; u != nil {
				if u.Hostname != nil {
					out.RewrittenHost = string(*u.Hostname)
				}
				if u.Path != nil {
					out.RewrittenPath = modifyPath(impl, u.Path, mt, out.RewrittenPath, false)
				}
			}
		case gatewayv1.HTTPRouteFilterRequestHeaderModifier:
			out.RequestHeaders = append(out.RequestHeaders, headerChanges(f.RequestHeaderModifier)...)
		case gatewayv1.HTTPRouteFilterResponseHeaderModifier:
			out.ResponseHeaders = append(out.ResponseHeaders, headerChanges(f.ResponseHeaderModifier)...)
		case gatewayv1.HTTPRouteFilterRequestMirror, gatewayv1.HTTPRouteFilterCORS:
			// A mirror's responses are ignored; CORS only answers requests
			// with an Origin, which probes do not send.
		case gatewayv1.HTTPRouteFilterExtensionRef:
			if rw, ok := m.egFilter(ns, f.ExtensionRef); ok {
				out.RewrittenPath = rw.rewrite(out.RewrittenPath)
				continue
			}
			return routing.UnverifiableOutcome("filter " + string(f.Type) + " is implementation-specific"), true
		default:
			return routing.UnverifiableOutcome("filter " + string(f.Type) + " is implementation-specific"), true
		}
	}
	return routing.Outcome{}, false
}

func headerChanges(h *gatewayv1.HTTPHeaderFilter) []routing.HeaderChange {
	if h == nil {
		return nil
	}
	var out []routing.HeaderChange
	for _, s := range h.Set {
		out = append(out, routing.HeaderChange{Op: "set", Name: strings.ToLower(string(s.Name)), Value: s.Value})
	}
	for _, s := range h.Add {
		out = append(out, routing.HeaderChange{Op: "add", Name: strings.ToLower(string(s.Name)), Value: s.Value})
	}
	for _, s := range h.Remove {
		out = append(out, routing.HeaderChange{Op: "remove", Name: strings.ToLower(s)})
	}
	return out
}

// redirect builds the Location of a RequestRedirect: scheme, hostname and
// path default to the request's; the port is the filter's, else the
// scheme's well-known port when the filter sets a scheme, else the
// listener's; it is left out for http:80 and https:443. The status code
// defaults to 302. The query string is kept.
func redirect(impl Implementation, f *gatewayv1.HTTPRequestRedirectFilter, mt *match, r *routing.Request, l *listener) routing.Outcome {
	scheme := r.Scheme
	port := l.port
	if f.Scheme != nil {
		scheme = *f.Scheme
		switch scheme {
		case "http":
			port = 80
		case "https":
			port = 443
		}
	}
	if f.Port != nil {
		port = int(*f.Port)
	}
	host := r.Hostname()
	if f.Hostname != nil {
		host = string(*f.Hostname)
	}
	path := r.Path
	if f.Path != nil {
		path = modifyPath(impl, f.Path, mt, path, true)
	}
	loc := scheme + "://" + host
	if !(scheme == "http" && port == 80) && !(scheme == "https" && port == 443) {
		loc += ":" + strconv.Itoa(port)
	}
	loc += path
	if q := r.RawQuery(); q != "" {
		loc += "?" + q
	}
	code := 302
	if f.StatusCode != nil {
		code = *f.StatusCode
	}
	return routing.Outcome{Kind: routing.Redirect, Redirect: &routing.RedirectTo{Status: code, Location: loc}}
}

// modifyPath is HTTPPathModifier. ReplacePrefixMatch replaces the matched
// prefix element-wise, following the table in its documentation:
// trailing slashes of the prefix and the replacement are ignored, and an
// empty result is "/"; Envoy Gateway differs (egReplacePrefix). redirect
// says whether the path is a redirect's.
func modifyPath(impl Implementation, pm *gatewayv1.HTTPPathModifier, mt *match, path string, redirect bool) string {
	switch pm.Type {
	case gatewayv1.FullPathHTTPPathModifier:
		if pm.ReplaceFullPath != nil {
			return *pm.ReplaceFullPath
		}
	case gatewayv1.PrefixMatchHTTPPathModifier:
		if pm.ReplacePrefixMatch == nil || mt.pathType != "PathPrefix" {
			return path
		}
		if impl == EnvoyGateway {
			return egReplacePrefix(mt.path, *pm.ReplacePrefixMatch, path, redirect)
		}
		prefix := strings.TrimSuffix(mt.path, "/")
		rest := path[min(len(prefix), len(path)):]
		out := strings.TrimSuffix(*pm.ReplacePrefixMatch, "/") + rest
		if out == "" {
			out = "/"
		}
		return out
	}
	return path
}

// egReplacePrefix is ReplacePrefixMatch as Envoy Gateway writes it for
// Envoy (internal/xds/translator/route.go buildXdsURLRewriteAction and
// buildXdsRedirectAction, useRegexRewriteForPrefixMatchReplace,
// prefix2RegexRewrite; v1.8.0 and v1.9.1 alike), which is not the
// specification's table everywhere:
//   - a replacement "" or "/" is the regex rewrite ^<prefix as written>/*
//     to "/" (so "/api/" leaves "/api" as it is);
//   - any other is Envoy's prefix_rewrite, which puts the replacement
//     (without its trailing "/", but for redirects with it) in place of the
//     prefix Envoy matched: the prefix without its trailing "/", or "/"
//     itself, so that the prefix "/" with "/app" makes "/x" "/appx".
func egReplacePrefix(prefix, repl, path string, redirect bool) string {
	if repl == "" || repl == "/" {
		re, err := regexp.Compile("^" + regexp.QuoteMeta(prefix) + `/*`)
		if err != nil {
			return path
		}
		return re.ReplaceAllLiteralString(path, "/")
	}
	matched := prefix
	if prefix != "/" {
		matched = strings.TrimSuffix(prefix, "/")
	}
	if !redirect {
		repl = strings.TrimSuffix(repl, "/")
	}
	return repl + strings.TrimPrefix(path, matched)
}

// resolve checks a backendRef: a Service (the default kind) with a port,
// in the route's namespace or one whose ReferenceGrant allows it, and
// present among the objects when RequireServices is set. why is non-empty
// for an invalid ref.
func (m *Model) resolve(rt *route, ref gatewayv1.BackendObjectReference) (routing.Backend, string) {
	g, k := "", "Service"
	if ref.Group != nil {
		g = string(*ref.Group)
	}
	if ref.Kind != nil {
		k = string(*ref.Kind)
	}
	if g != "" || k != "Service" {
		return routing.Backend{}, "backend kind " + k + " is not supported"
	}
	ns := rt.ns
	if ref.Namespace != nil {
		ns = string(*ref.Namespace)
	}
	if ns != rt.ns && !m.granted(rt, ns, string(ref.Name)) {
		return routing.Backend{}, "no ReferenceGrant in " + ns + " allows it"
	}
	if ref.Port == nil {
		return routing.Backend{}, "no port"
	}
	if m.opts.RequireServices {
		if _, ok := m.services[ns+"/"+string(ref.Name)]; !ok {
			return routing.Backend{}, "Service " + ns + "/" + string(ref.Name) + " not found"
		}
	}
	return routing.Backend{Namespace: ns, Service: string(ref.Name), Port: int32(*ref.Port)}, ""
}

func (m *Model) granted(rt *route, ns, name string) bool {
	for _, g := range m.grants {
		if g.ns != ns {
			continue
		}
		from := false
		for _, f := range g.from {
			if string(f.Group) == group && string(f.Kind) == rt.kind && string(f.Namespace) == rt.ns {
				from = true
			}
		}
		if !from {
			continue
		}
		for _, t := range g.to {
			if string(t.Group) == "" && string(t.Kind) == "Service" && (t.Name == nil || string(*t.Name) == name) {
				return true
			}
		}
	}
	return false
}
