package gatewayapi

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"k8s.io/utils/ptr"
	gwv1 "sigs.k8s.io/gateway-api/apis/v1"

	"github.com/routeshift/routeshift/internal/convert/ingressnginx"
)

// entry is one match of a generated route and what it does: a location
// of the model, seen from one listener, possibly narrowed by a canary
// header.
type entry struct {
	loc   *ingressnginx.Location
	match gwv1.HTTPRouteMatch
	act   action
}

// action is what a rule does. Entries with equal actions share a rule.
type action struct {
	redirect *gwv1.HTTPRequestRedirectFilter
	backends []gwv1.HTTPBackendRef
	filters  []gwv1.HTTPRouteFilter
	// single: the rule may hold only this match (ReplacePrefixMatch needs
	// exactly one PathPrefix match).
	single bool
	// ext is the implementation's regex rewrite filter the rule names.
	ext *extFilter
	key string
}

func (a *action) seal(loc *ingressnginx.Location) {
	data, _ := json.Marshal(struct {
		R *gwv1.HTTPRequestRedirectFilter
		B []gwv1.HTTPBackendRef
		F []gwv1.HTTPRouteFilter
	}{a.redirect, a.backends, a.filters})
	a.key = string(data)
	if a.single {
		a.key += fmt.Sprintf("|%p", loc)
	}
}

// pathMatch is how a location's path matches on the Gateway. In regex
// mode nginx matches `~* ^<path>`: a case-insensitive prefix regex; the
// Gateway regex is written for full-match dialects (Envoy, Istio).
//
// With an implementation's regex rewrite (ext), every path of a host in
// regex mode stays a RegularExpression and is rewritten as nginx does;
// without, a recognised capture rewrite is a PathPrefix.
func pathMatch(s *ingressnginx.Server, loc *ingressnginx.Location, ext bool) gwv1.HTTPPathMatch {
	if c, ok := rewriteOf(loc); ok && !(ext && s.RegexMode) {
		return gwv1.HTTPPathMatch{Type: ptr.To(gwv1.PathMatchPathPrefix), Value: ptr.To(c.prefix)}
	}
	if s.RegexMode {
		return gwv1.HTTPPathMatch{Type: ptr.To(gwv1.PathMatchRegularExpression), Value: ptr.To("(?i)^" + loc.Path + ".*")}
	}
	if loc.PathType == ingressnginx.Exact {
		return gwv1.HTTPPathMatch{Type: ptr.To(gwv1.PathMatchExact), Value: ptr.To(loc.Path)}
	}
	return gwv1.HTTPPathMatch{Type: ptr.To(gwv1.PathMatchPathPrefix), Value: ptr.To(loc.Path)}
}

// entries returns the matches of one side (plain HTTP or HTTPS) of a
// group. They are built once (emitter.buildEntries builds every group's on
// all cores) and read many times; callers never modify them.
func (g *group) entries(httpSide bool) []entry {
	side := 0
	if httpSide {
		side = 1
	}
	if !g.built[side] {
		g.sides[side], g.built[side] = g.buildEntries(httpSide), true
	}
	return g.sides[side]
}

func (g *group) buildEntries(httpSide bool) []entry {
	var out []entry
	if s := g.server; s.AppRoot != "" && s.AppRootBy == g.ing {
		// nginx checks app-root in the server block, before locations and
		// before the https redirect: a 302 with scheme and host kept.
		a := action{redirect: &gwv1.HTTPRequestRedirectFilter{
			Path:       &gwv1.HTTPPathModifier{Type: gwv1.FullPathHTTPPathModifier, ReplaceFullPath: ptr.To(s.AppRoot)},
			StatusCode: ptr.To(302),
		}}
		a.seal(nil)
		out = append(out, entry{match: gwv1.HTTPRouteMatch{Path: &gwv1.HTTPPathMatch{Type: ptr.To(gwv1.PathMatchExact), Value: ptr.To("/")}}, act: a})
	}
	for _, l := range g.ordered() {
		if g.server.AppRoot != "" && l.PathType == ingressnginx.Exact && l.Path == "/" {
			continue // shadowed by app-root, reported in checkGroup
		}
		st := l.Ingress.Settings
		match := gwv1.HTTPRouteMatch{Path: ptr.To(pathMatch(g.server, l, g.ext != nil))}
		var a action
		switch {
		case st.Redirect != nil:
			r := st.Redirect
			a.redirect = &gwv1.HTTPRequestRedirectFilter{
				Scheme:     ptr.To(r.Scheme),
				Hostname:   ptr.To(gwv1.PreciseHostname(r.Host)),
				StatusCode: ptr.To(r.Code),
			}
			if !r.KeepURI {
				// Without $request_uri nginx's Location is the URL as
				// written: every request goes to the same path.
				a.redirect.Path = &gwv1.HTTPPathModifier{Type: gwv1.FullPathHTTPPathModifier, ReplaceFullPath: ptr.To(r.Path)}
			}
			if r.Port != 0 {
				a.redirect.Port = ptr.To(gwv1.PortNumber(r.Port))
			}
		case httpSide && l.RedirectToHTTPS:
			// ingress-nginx answers plain HTTP with http-redirect-code
			// (308) to the same host and URI on https; scheme https with
			// no port gives the well-known port, as nginx omits it.
			a.redirect = &gwv1.HTTPRequestRedirectFilter{Scheme: ptr.To("https"), StatusCode: ptr.To(308)}
		case l.Backend == nil:
			continue // the controller's default backend: 404, as Gateway API answers unmatched requests
		default:
			a.filters, a.single, a.ext = filters(l, g.server, g.ext)
			a.backends = backends(l)
		}
		a.seal(l)
		out = append(out, entry{loc: l, match: match, act: a})
		if a.redirect == nil && l.Canary != nil {
			out = append(out, canaryEntries(l, match, a)...)
		}
	}
	return out
}

// ordered returns the group's locations in the order nginx tries them in
// regex mode (longest pattern first); otherwise sorted by path.
func (g *group) ordered() []*ingressnginx.Location {
	if !g.server.RegexMode {
		return g.locations
	}
	out := append([]*ingressnginx.Location(nil), g.locations...)
	sort.SliceStable(out, func(i, j int) bool { return len(out[i].Path) > len(out[j].Path) })
	return out
}

// filters are the URL and header changes of a forwarding location, and
// the implementation's regex rewrite filter it names, if any.
func filters(l *ingressnginx.Location, s *ingressnginx.Server, ext RegexRewriter) ([]gwv1.HTTPRouteFilter, bool, *extFilter) {
	st := l.Ingress.Settings
	var out []gwv1.HTTPRouteFilter
	var rewrite gwv1.HTTPURLRewriteFilter
	single := false
	var extf *extFilter
	if !l.Implicit && st.HasRewrite {
		if f := regexRewriteFilter(l, s, ext); f != nil {
			extf = f
		} else if c, ok := rewriteOf(l); ok {
			rewrite.Path = &gwv1.HTTPPathModifier{Type: gwv1.PrefixMatchHTTPPathModifier, ReplacePrefixMatch: ptr.To(c.replace)}
			single = true
		} else if !strings.Contains(st.RewriteTarget, "$") {
			// nginx's unanchored `rewrite (?i)<path> T break` replaces
			// the whole URI of every request the location matched.
			rewrite.Path = &gwv1.HTTPPathModifier{Type: gwv1.FullPathHTTPPathModifier, ReplaceFullPath: ptr.To(st.RewriteTarget)}
		}
	}
	if st.UpstreamVhost != "" {
		rewrite.Hostname = ptr.To(gwv1.PreciseHostname(st.UpstreamVhost))
	}
	if rewrite.Path != nil || rewrite.Hostname != nil {
		out = append(out, gwv1.HTTPRouteFilter{Type: gwv1.HTTPRouteFilterURLRewrite, URLRewrite: &rewrite})
	}
	if extf != nil {
		out = append(out, gwv1.HTTPRouteFilter{Type: gwv1.HTTPRouteFilterExtensionRef, ExtensionRef: &extf.ref})
	}
	req, resp := headerModifiers(l)
	if len(req.Set)+len(req.Remove) > 0 {
		out = append(out, gwv1.HTTPRouteFilter{Type: gwv1.HTTPRouteFilterRequestHeaderModifier, RequestHeaderModifier: req})
	}
	if len(resp.Set)+len(resp.Add)+len(resp.Remove) > 0 {
		out = append(out, gwv1.HTTPRouteFilter{Type: gwv1.HTTPRouteFilterResponseHeaderModifier, ResponseHeaderModifier: resp})
	}
	if m := st.Mirror; m != nil && !l.Implicit {
		out = append(out, gwv1.HTTPRouteFilter{Type: gwv1.HTTPRouteFilterRequestMirror, RequestMirror: &gwv1.HTTPRequestMirrorFilter{
			BackendRef: gwv1.BackendObjectReference{Name: gwv1.ObjectName(m.Service), Port: ptr.To(gwv1.PortNumber(m.Port))},
		}})
	}
	if c := st.CORS; c != nil {
		f := &gwv1.HTTPCORSFilter{AllowCredentials: ptr.To(c.AllowCredentials), MaxAge: int32(c.MaxAge)}
		for _, o := range c.AllowOrigins {
			f.AllowOrigins = append(f.AllowOrigins, gwv1.CORSOrigin(o))
		}
		for _, m := range c.AllowMethods {
			f.AllowMethods = append(f.AllowMethods, gwv1.HTTPMethodWithWildcard(m))
		}
		for _, h := range c.AllowHeaders {
			f.AllowHeaders = append(f.AllowHeaders, gwv1.HTTPHeaderName(h))
		}
		for _, h := range c.ExposeHeaders {
			f.ExposeHeaders = append(f.ExposeHeaders, gwv1.HTTPHeaderName(h))
		}
		out = append(out, gwv1.HTTPRouteFilter{Type: gwv1.HTTPRouteFilterCORS, CORS: f})
	}
	return out, single, extf
}

func backendRef(be *ingressnginx.Backend, weight *int32) gwv1.HTTPBackendRef {
	return gwv1.HTTPBackendRef{BackendRef: gwv1.BackendRef{
		BackendObjectReference: gwv1.BackendObjectReference{Name: gwv1.ObjectName(be.Service), Port: ptr.To(gwv1.PortNumber(be.Port))},
		Weight:                 weight,
	}}
}

// backends are the location's backend and, with a weighted canary, the
// canary's share (ingress-nginx: canary when random(total) <= weight).
func backends(l *ingressnginx.Location) []gwv1.HTTPBackendRef {
	c := l.Canary
	if c == nil || c.Settings.Weight == 0 {
		return []gwv1.HTTPBackendRef{backendRef(l.Backend, nil)}
	}
	w, total := int32(c.Settings.Weight), int32(c.Settings.Total)
	return []gwv1.HTTPBackendRef{backendRef(l.Backend, ptr.To(total-w)), backendRef(c.Backend, ptr.To(w))}
}

// canaryEntries are the header rules of a canary, which outrank the
// weighted rule because they have more header matches. ingress-nginx
// checks the header first: with a value or pattern only that decides
// (otherwise the request falls through to cookie and weight); without,
// "always" takes the canary and "never" the primary, whatever the weight.
func canaryEntries(l *ingressnginx.Location, base gwv1.HTTPRouteMatch, primary action) []entry {
	c := l.Canary.Settings
	if c.Header == "" {
		return nil
	}
	toCanary := primary
	toCanary.backends = []gwv1.HTTPBackendRef{backendRef(l.Canary.Backend, nil)}
	toCanary.seal(l)
	with := func(t gwv1.HeaderMatchType, value string, a action) entry {
		m := base
		m.Headers = []gwv1.HTTPHeaderMatch{{Type: ptr.To(t), Name: gwv1.HTTPHeaderName(c.Header), Value: value}}
		return entry{loc: l, match: m, act: a}
	}
	switch {
	case c.HeaderValue != "":
		return []entry{with(gwv1.HeaderMatchExact, c.HeaderValue, toCanary)}
	case c.HeaderPattern != "":
		// ngx.re.match is unanchored: a full-match dialect needs .* around.
		return []entry{with(gwv1.HeaderMatchRegularExpression, ".*(?:"+c.HeaderPattern+").*", toCanary)}
	}
	out := []entry{with(gwv1.HeaderMatchExact, "always", toCanary)}
	if c.Weight > 0 {
		toPrimary := primary
		toPrimary.backends = []gwv1.HTTPBackendRef{backendRef(l.Backend, nil)}
		toPrimary.seal(l)
		out = append(out, with(gwv1.HeaderMatchExact, "never", toPrimary))
	}
	return out
}

func headers(hs []ingressnginx.Header) []gwv1.HTTPHeader {
	out := make([]gwv1.HTTPHeader, 0, len(hs))
	for _, h := range hs {
		out = append(out, gwv1.HTTPHeader{Name: gwv1.HTTPHeaderName(h.Name), Value: h.Value})
	}
	return out
}

// headerModifiers are the request and response header changes of a
// location: X-Forwarded-Prefix with a rewrite, custom-headers, and a
// triaged configuration-snippet. Empty filters mean none.
func headerModifiers(l *ingressnginx.Location) (req, resp *gwv1.HTTPHeaderFilter) {
	st := l.Ingress.Settings
	req = &gwv1.HTTPHeaderFilter{}
	if st.XForwardedPrefix != "" && st.HasRewrite && !l.Implicit {
		req.Set = append(req.Set, gwv1.HTTPHeader{Name: "X-Forwarded-Prefix", Value: st.XForwardedPrefix})
	}
	resp = &gwv1.HTTPHeaderFilter{}
	if len(st.ResponseHeaders) > 0 {
		names := make([]string, 0, len(st.ResponseHeaders))
		for k := range st.ResponseHeaders {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			resp.Set = append(resp.Set, gwv1.HTTPHeader{Name: gwv1.HTTPHeaderName(k), Value: st.ResponseHeaders[k]})
		}
	}
	if sn := st.Snippet; sn != nil {
		// A triaged configuration-snippet (ingressnginx/snippet.go): its
		// names are unique per direction, also against custom-headers
		// and X-Forwarded-Prefix's filter, so one filter each holds all.
		resp.Set = append(resp.Set, headers(sn.ResponseSet)...)
		resp.Add = append(resp.Add, headers(sn.ResponseAdd)...)
		resp.Remove = append(resp.Remove, sn.ResponseRemove...)
		req.Set = append(req.Set, headers(sn.RequestSet)...)
		req.Remove = append(req.Remove, sn.RequestRemove...)
	}
	return req, resp
}
