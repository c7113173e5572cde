package gateway

// The route tables egctl prints, read as test data for the model: each
// virtual host's routes in Envoy's order (Envoy takes the first route that
// matches), compared with the order in which the model tries the matches
// of the routes a request for that host reaches, and requests derived from
// each route answered by both.

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/routeshift/routeshift/internal/proof/routing"
)

// egRouteDump is the RoutesConfigDump egctl prints for one Gateway.
type egRouteDump struct {
	DynamicRouteConfigs []struct {
		RouteConfig struct {
			Name         string          `json:"name"`
			VirtualHosts []egVirtualHost `json:"virtualHosts"`
		} `json:"routeConfig"`
	} `json:"dynamicRouteConfigs"`
}

type egVirtualHost struct {
	Name     string       `json:"name"`
	Domains  []string     `json:"domains"`
	Metadata egMetadata   `json:"metadata"`
	Routes   []egXDSRoute `json:"routes"`
}

type egMetadata struct {
	FilterMetadata struct {
		EnvoyGateway struct {
			Resources []struct {
				Kind, Name, Namespace, SectionName string
			} `json:"resources"`
		} `json:"envoy-gateway"`
	} `json:"filterMetadata"`
}

type egXDSRoute struct {
	Name string `json:"name"`
	// One of Route (forward, perhaps rewritten), Redirect, DirectResponse.
	Route *struct {
		RegexRewrite *struct {
			Pattern struct {
				Regex string `json:"regex"`
			} `json:"pattern"`
			Substitution string `json:"substitution"`
		} `json:"regexRewrite"`
		PrefixRewrite *string `json:"prefixRewrite"`
	} `json:"route"`
	Redirect *struct {
		ResponseCode string `json:"responseCode"`
	} `json:"redirect"`
	DirectResponse *struct {
		Status int `json:"status"`
	} `json:"directResponse"`
	Match struct {
		Path                string `json:"path"`
		Prefix              string `json:"prefix"`
		PathSeparatedPrefix string `json:"pathSeparatedPrefix"`
		SafeRegex           *struct {
			Regex string `json:"regex"`
		} `json:"safeRegex"`
		Headers         []egValueMatcher `json:"headers"`
		QueryParameters []egValueMatcher `json:"queryParameters"`
	} `json:"match"`
}

// egValueMatcher is the part of Envoy's HeaderMatcher and
// QueryParameterMatcher Envoy Gateway writes: an exact or RE2 string
// match (route.go), or presence.
type egValueMatcher struct {
	Name         string `json:"name"`
	PresentMatch bool   `json:"presentMatch"`
	InvertMatch  bool   `json:"invertMatch"`
	StringMatch  *struct {
		Exact      *string `json:"exact"`
		IgnoreCase bool    `json:"ignoreCase"`
		SafeRegex  *struct {
			Regex string `json:"regex"`
		} `json:"safeRegex"`
	} `json:"stringMatch"`
}

// routeKey names an Envoy route by the route, rule and match it comes
// from: "httproute/ns/name/rule/R/match/M" (internal/gatewayapi/route.go
// names them so, followed by the hostname).
func (r *egXDSRoute) routeKey() string {
	parts := strings.Split(r.Name, "/")
	if len(parts) < 7 {
		return r.Name
	}
	if parts[6] == "-1" {
		// A GRPCRoute rule without matches (HTTPRoute rules get one from
		// the CRD's default): the model's one match-all match.
		parts[6] = "0"
	}
	return strings.Join(parts[:7], "/")
}

func (e *entry) routeKey() string {
	return fmt.Sprintf("%s/%s/%s/rule/%d/match/%d", strings.ToLower(e.route.kind), e.route.ns, e.route.name,
		e.rule.idx, e.order&(1<<20-1))
}

// egCompared counts what the comparison covered, for the log: a test
// that compares nothing must not pass unnoticed.
var egCompared struct {
	vhosts, routes, requests, notFound atomic.Int64
	// The actions compared: path rewrites, redirects, direct responses.
	rewrites, redirects, direct atomic.Int64
}

// compareXDS checks every virtual host egctl generated against the model.
func compareXDS(t *testing.T, name, release string, m *Model, xds map[string]json.RawMessage) {
	t.Helper()
	for _, gw := range egKeys(xds) {
		var dump egRouteDump
		if err := json.Unmarshal(xds[gw], &dump); err != nil {
			t.Errorf("%s: Envoy Gateway %s: reading the routes of %s: %v", name, release, gw, err)
			continue
		}
		for _, rc := range dump.DynamicRouteConfigs {
			for i := range rc.RouteConfig.VirtualHosts {
				compareVirtualHost(t, name, release, gw, m, &rc.RouteConfig.VirtualHosts[i])
			}
		}
	}
}

func compareVirtualHost(t *testing.T, name, release, gw string, m *Model, vh *egVirtualHost) {
	t.Helper()
	where := fmt.Sprintf("%s: Envoy Gateway %s: virtual host %s (%s)", name, release, vh.Name, strings.Join(vh.Domains, ","))
	res := vh.Metadata.FilterMetadata.EnvoyGateway.Resources
	if len(res) == 0 || len(vh.Domains) != 1 {
		t.Errorf("%s: want one domain and the listener it belongs to, got %v and %v", where, vh.Domains, res)
		return
	}
	l := m.bySection[res[0].Namespace+"/"+res[0].Name+"/"+res[0].SectionName]
	if l == nil {
		t.Errorf("%s: the model has no listener %s/%s/%s", where, res[0].Namespace, res[0].Name, res[0].SectionName)
		return
	}
	domain := vh.Domains[0]
	// A host the domain takes and no more specific one does: Envoy picks
	// the virtual host by the Host header as the model picks its group.
	host := domain
	switch {
	case domain == "*":
		host = "routeshift-egctl-probe.invalid"
	case strings.HasPrefix(domain, "*."):
		host = "routeshift-egctl-probe" + domain[1:]
	}
	scheme := "http"
	if l.protocol == "HTTPS" {
		scheme = "https"
	}
	set, _ := m.selectListeners(l.port, l.protocol, host)
	var g *routeGroup
	if set != nil {
		g = set.vhost(host)
	}
	ours := map[*route]bool{}
	if set != nil {
		for _, sl := range set.ls {
			if sl.gw == gw {
				for _, r := range sl.routes {
					ours[r] = true
				}
			}
		}
	}
	var envoy, model []string
	for i := range vh.Routes {
		envoy = append(envoy, vh.Routes[i].routeKey())
	}
	if g != nil {
		// The model merges the listeners of every selected Gateway on a
		// port; Envoy Gateway gives each Gateway its own Envoy. Only this
		// Gateway's routes are in this table.
		ix := m.groupIndex(g, EnvoyGateway, false)
		for i := range ix.entries {
			if ours[ix.entries[i].route] {
				model = append(model, ix.entries[i].routeKey())
			}
		}
	}
	egCompared.vhosts.Add(1)
	egCompared.routes.Add(int64(len(envoy)))
	if strings.Join(envoy, " ") != strings.Join(model, " ") {
		t.Errorf("%s: the model tries the routes of %s in another order than Envoy\nEnvoy:\n\t%s\nmodel:\n\t%s",
			where, host, strings.Join(envoy, "\n\t"), strings.Join(model, "\n\t"))
		return
	}
	// Requests derived from each route, and one no route takes: Envoy
	// answers with its first route that matches (or 404: no fall-through
	// to another virtual host); the model must pick the same rule.
	for _, r := range egProbes(vh, host, scheme, l.port) {
		want := "404"
		var taken *egXDSRoute
		for i := range vh.Routes {
			ok, known := vh.Routes[i].matches(&r)
			if !known {
				want = ""
				break
			}
			if ok {
				want, taken = vh.Routes[i].routeKey(), &vh.Routes[i]
				break
			}
		}
		if want == "" {
			continue // a matcher the test does not read: no verdict
		}
		egCompared.requests.Add(1)
		if want == "404" {
			egCompared.notFound.Add(1)
		}
		got := "404"
		c, why := m.pick(EnvoyGateway, set, host, &r)
		switch {
		case why != "":
			got = "unverifiable: " + why
		case c.rule != nil:
			got = (&entry{route: c.route, rule: c.rule, order: int64(matchIndexOf(c))}).routeKey()
		}
		if got != want {
			t.Errorf("%s: %s %s%s: Envoy answers with %s, the model with %s", where, r.Method, host, r.Path, want, got)
			continue
		}
		if taken != nil {
			if why := taken.sameAction(m.Evaluate(r), r.Path); why != "" {
				t.Errorf("%s: %s %s%s, %s: %s", where, r.Method, host, r.Path, want, why)
			}
		}
	}
}

// egRedirectCodes are Envoy's RedirectResponseCode names; the default
// (absent in JSON) is 301.
var egRedirectCodes = map[string]int{"": 301, "MOVED_PERMANENTLY": 301, "FOUND": 302, "SEE_OTHER": 303,
	"TEMPORARY_REDIRECT": 307, "PERMANENT_REDIRECT": 308}

// sameAction compares what Envoy's route does with what the model answers:
// a forward (with the path a regex rewrite gives), a redirect and its code,
// or a response of its own and its status. "" when they agree.
func (r *egXDSRoute) sameAction(o routing.Outcome, path string) string {
	switch {
	case r.Route != nil:
		if o.Kind != routing.Forward {
			return "Envoy forwards, the model answers " + o.String()
		}
		if pr := r.Route.PrefixRewrite; pr != nil {
			// Envoy's prefix_rewrite replaces the prefix the route matched.
			egCompared.rewrites.Add(1)
			p := r.Match.Prefix + r.Match.PathSeparatedPrefix
			got, _, _ := strings.Cut(o.RewrittenPath, "?")
			if want := *pr + strings.TrimPrefix(path, p); p != "" && got != want {
				return fmt.Sprintf("Envoy rewrites the path to %s (prefix %q to %q), the model to %s", want, p, *pr, got)
			}
		}
		if rw := r.Route.RegexRewrite; rw != nil {
			egCompared.rewrites.Add(1)
			want, ok := envoyRegexRewrite(path, rw.Pattern.Regex, rw.Substitution)
			got, _, _ := strings.Cut(o.RewrittenPath, "?")
			if ok && got != want {
				return fmt.Sprintf("Envoy rewrites the path to %s (regex %q, substitution %q), the model to %s",
					want, rw.Pattern.Regex, rw.Substitution, got)
			}
		}
	case r.Redirect != nil:
		egCompared.redirects.Add(1)
		code := egRedirectCodes[r.Redirect.ResponseCode]
		if o.Kind != routing.Redirect || o.Redirect == nil || o.Redirect.Status != code {
			return fmt.Sprintf("Envoy redirects with %d, the model answers %s", code, o.String())
		}
	case r.DirectResponse != nil:
		egCompared.direct.Add(1)
		if o.Kind != routing.Status || o.Status != r.DirectResponse.Status {
			return fmt.Sprintf("Envoy answers %d itself, the model %s", r.DirectResponse.Status, o.String())
		}
	}
	return ""
}

// envoyRegexRewrite is Envoy's regex_rewrite: RE2's GlobalReplace of the
// pattern in the path, the substitution's \N naming groups.
func envoyRegexRewrite(path, pattern, sub string) (string, bool) {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return "", false
	}
	var b strings.Builder
	for i := 0; i < len(sub); i++ {
		c := sub[i]
		switch {
		case c == '\\' && i+1 < len(sub) && sub[i+1] >= '0' && sub[i+1] <= '9':
			b.WriteString("${" + sub[i+1:i+2] + "}")
			i++
		case c == '\\' && i+1 < len(sub) && sub[i+1] == '\\':
			b.WriteByte('\\')
			i++
		case c == '$':
			b.WriteString("$$")
		default:
			b.WriteByte(c)
		}
	}
	return re.ReplaceAllString(path, b.String()), true
}

func matchIndexOf(c candidate) int {
	for i, mt := range c.rule.matches {
		if mt == c.match {
			return i
		}
	}
	return -1
}

// egProbes are a request each Envoy route's path and exact values accept
// (regular expressions give none), and one for a path no route names.
func egProbes(vh *egVirtualHost, host, scheme string, port int) []routing.Request {
	var out []routing.Request
	add := func(path string, r *egXDSRoute) {
		req := routing.Request{Scheme: scheme, Host: host, Port: port, Path: path}
		if r != nil {
			for _, h := range r.Match.Headers {
				if h.StringMatch == nil || h.StringMatch.Exact == nil || h.InvertMatch {
					continue
				}
				if h.Name == ":method" {
					req.Method = *h.StringMatch.Exact
				} else {
					req.Headers = append(req.Headers, routing.KV{Name: h.Name, Value: *h.StringMatch.Exact})
				}
			}
			for _, q := range r.Match.QueryParameters {
				if q.StringMatch != nil && q.StringMatch.Exact != nil {
					req.Query = append(req.Query, routing.KV{Name: q.Name, Value: *q.StringMatch.Exact})
				}
			}
		}
		out = append(out, req.Normalize())
	}
	for i := range vh.Routes {
		r := &vh.Routes[i]
		switch mt := r.Match; {
		case mt.Path != "":
			add(mt.Path, r)
		case mt.PathSeparatedPrefix != "":
			add(mt.PathSeparatedPrefix, r)
			add(mt.PathSeparatedPrefix+"/routeshift-egctl-probe", r)
		case mt.Prefix != "":
			add(mt.Prefix, r)
			add(strings.TrimSuffix(mt.Prefix, "/")+"/routeshift-egctl-probe", r)
		}
	}
	add("/routeshift-egctl-probe/unmatched", nil)
	return out
}

// matches evaluates an Envoy route match for a request as Envoy does;
// known is false for a matcher the test does not read.
func (r *egXDSRoute) matches(req *routing.Request) (ok, known bool) {
	mt := &r.Match
	switch {
	case mt.Path != "":
		ok = req.Path == mt.Path
	case mt.PathSeparatedPrefix != "":
		p := mt.PathSeparatedPrefix
		ok = req.Path == p || strings.HasPrefix(req.Path, p+"/")
	case mt.Prefix != "":
		ok = strings.HasPrefix(req.Path, mt.Prefix)
	case mt.SafeRegex != nil:
		re, err := regexp.Compile("^(?:" + mt.SafeRegex.Regex + ")$")
		if err != nil {
			return false, false
		}
		ok = re.MatchString(req.Path)
	default:
		return false, false
	}
	for _, h := range mt.Headers {
		v, present := req.Method, true
		if h.Name != ":method" {
			v, present = kvValue(req.Headers, h.Name, true)
		}
		m, k := h.test(v, present)
		if !k {
			return false, false
		}
		ok = ok && m
	}
	for _, q := range mt.QueryParameters {
		v, present := kvValue(req.Query, q.Name, false)
		m, k := q.test(v, present)
		if !k {
			return false, false
		}
		ok = ok && m
	}
	return ok, true
}

func (h *egValueMatcher) test(v string, present bool) (ok, known bool) {
	switch {
	case h.PresentMatch:
		ok = present
	case h.StringMatch != nil && h.StringMatch.Exact != nil && !h.StringMatch.IgnoreCase:
		ok = present && v == *h.StringMatch.Exact
	case h.StringMatch != nil && h.StringMatch.SafeRegex != nil:
		re, err := regexp.Compile("^(?:" + h.StringMatch.SafeRegex.Regex + ")$")
		if err != nil {
			return false, false
		}
		ok = present && re.MatchString(v)
	default:
		return false, false
	}
	if h.InvertMatch {
		ok = !ok
	}
	return ok, true
}

// kvValue finds a header (fold: names in any case) or query parameter.
func kvValue(kvs []routing.KV, name string, fold bool) (string, bool) {
	for _, kv := range kvs {
		if kv.Name == name || (fold && strings.EqualFold(kv.Name, name)) {
			return kv.Value, true
		}
	}
	return "", false
}
