package gateway

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/routeshift/routeshift/internal/proof/internal/kube"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"
)

// rule is one rule of a route, with its matches ready to test.
type rule struct {
	idx      int
	matches  []*match
	filters  []gatewayv1.HTTPRouteFilter
	backends []gatewayv1.HTTPBackendRef
}

// match is one HTTPRouteMatch (or GRPCRouteMatch), with defaults applied.
type match struct {
	pathType string // Exact, PathPrefix or RegularExpression
	path     string
	method   string
	headers  []valueMatch
	query    []valueMatch
	// grpcService and grpcMethod are the lengths that rank gRPC matches.
	grpcService, grpcMethod int
	// eg is how Envoy Gateway writes a gRPC match, where it differs from
	// path, for its sort (nil for HTTPRoute matches).
	eg *egGRPC
	// regex holds the compiled regular expressions of the match, per
	// dialect, when it has any; reErr is set when one is not RE2 at all.
	regex *regexes
	reErr error
}

type valueMatch struct {
	name  string
	value string
	regex bool
}

// regexes are a match's regular expressions compiled as each dialect
// compiles them, on first use: most models use one dialect.
type regexes struct {
	once [dialects]sync.Once
	c    [dialects]compiled
}

// compiled is a match's path expression (nil unless RegularExpression)
// and its header then query value expressions (nil for exact values); err
// is set when a dialect's form of an expression does not compile.
type compiled struct {
	path   *regexp.Regexp
	values []*regexp.Regexp
	err    error
}

func (m *match) hasRegex() bool { return m.regex != nil || m.reErr != nil }

func (m *match) compiled(d dialect) *compiled {
	x := m.regex
	x.once[d].Do(func() {
		c := &x.c[d]
		compile := func(src string) *regexp.Regexp {
			re, err := regexp.Compile(src)
			if err != nil && c.err == nil {
				c.err = fmt.Errorf("regular expression %q: %w", src, err)
			}
			return re
		}
		if m.pathType == "RegularExpression" {
			c.path = compile(d.pathSource(m.path))
		}
		for _, vs := range [][]valueMatch{m.headers, m.query} {
			for _, v := range vs {
				var re *regexp.Regexp
				if v.regex {
					re = compile(d.valueSource(v.value))
				}
				c.values = append(c.values, re)
			}
		}
	})
	return &x.c[d]
}

func httpRoute(o *kube.Object) (*route, error) {
	var hr gatewayv1.HTTPRoute
	if err := kube.Decode(o, &hr); err != nil {
		return nil, err
	}
	r := &route{kind: "HTTPRoute", ns: kube.Namespace(o), name: hr.Name, parents: hr.Spec.ParentRefs}
	r.created, r.dated = dates(hr.ObjectMeta)
	for _, h := range hr.Spec.Hostnames {
		r.hostnames = append(r.hostnames, strings.ToLower(string(h)))
	}
	rules := hr.Spec.Rules
	if len(rules) == 0 {
		rules = []gatewayv1.HTTPRouteRule{{}} // the CRD default: one rule matching "/"
	}
	for i, hr := range rules {
		ru := &rule{idx: i, filters: hr.Filters, backends: hr.BackendRefs}
		ms := hr.Matches
		if len(ms) == 0 {
			ms = []gatewayv1.HTTPRouteMatch{{}}
		}
		for _, hm := range ms {
			m, err := httpMatch(hm)
			if err != nil {
				return nil, fmt.Errorf("%s: rule %d: %w", o.Ref(), i, err)
			}
			ru.matches = append(ru.matches, m)
		}
		r.rules = append(r.rules, ru)
	}
	return r, nil
}

func httpMatch(hm gatewayv1.HTTPRouteMatch) (*match, error) {
	m := &match{pathType: "PathPrefix", path: "/"}
	if p := hm.Path; p != nil {
		if p.Type != nil {
			m.pathType = string(*p.Type)
		}
		if p.Value != nil {
			m.path = *p.Value
		}
	}
	switch m.pathType {
	case "Exact", "PathPrefix":
		if !strings.HasPrefix(m.path, "/") {
			return nil, fmt.Errorf("path %q does not start with /", m.path)
		}
	case "RegularExpression":
		m.addRegexp(m.path)
	default:
		return nil, fmt.Errorf("unknown path match type %q", m.pathType)
	}
	if hm.Method != nil {
		m.method = string(*hm.Method)
	}
	seen := map[string]bool{}
	for _, h := range hm.Headers {
		name := strings.ToLower(string(h.Name))
		if seen[name] {
			continue // only the first match of a name counts
		}
		seen[name] = true
		vm := valueMatch{name: name, value: h.Value}
		if h.Type != nil && *h.Type == gatewayv1.HeaderMatchRegularExpression {
			vm.regex = m.addRegexp(h.Value)
		}
		m.headers = append(m.headers, vm)
	}
	seen = map[string]bool{}
	for _, q := range hm.QueryParams {
		name := string(q.Name)
		if seen[name] {
			continue
		}
		seen[name] = true
		vm := valueMatch{name: name, value: q.Value}
		if q.Type != nil && *q.Type == gatewayv1.QueryParamMatchRegularExpression {
			vm.regex = m.addRegexp(q.Value)
		}
		m.query = append(m.query, vm)
	}
	return m, nil
}

// addRegexp checks an expression; it reports whether the match can use it.
// An expression Go cannot compile marks the whole match (reErr): RE2
// rejects it too, PCRE may not.
func (m *match) addRegexp(expr string) bool {
	if _, err := regexp.Compile(expr); err != nil {
		if m.reErr == nil {
			m.reErr = fmt.Errorf("regular expression %q is not RE2: %w", expr, err)
		}
		return false
	}
	if m.regex == nil {
		m.regex = &regexes{}
	}
	return true
}

func grpcRoute(o *kube.Object) (*route, error) {
	var gr gatewayv1.GRPCRoute
	if err := kube.Decode(o, &gr); err != nil {
		return nil, err
	}
	r := &route{kind: "GRPCRoute", ns: kube.Namespace(o), name: gr.Name, parents: gr.Spec.ParentRefs}
	r.created, r.dated = dates(gr.ObjectMeta)
	for _, h := range gr.Spec.Hostnames {
		r.hostnames = append(r.hostnames, strings.ToLower(string(h)))
	}
	for i, gru := range gr.Spec.Rules {
		ru := &rule{idx: i}
		for _, f := range gru.Filters {
			ru.filters = append(ru.filters, gatewayv1.HTTPRouteFilter{Type: gatewayv1.HTTPRouteFilterType(f.Type),
				RequestHeaderModifier: f.RequestHeaderModifier, ResponseHeaderModifier: f.ResponseHeaderModifier,
				RequestMirror: f.RequestMirror, ExtensionRef: f.ExtensionRef})
		}
		for _, b := range gru.BackendRefs {
			hb := gatewayv1.HTTPBackendRef{BackendRef: b.BackendRef}
			for _, f := range b.Filters {
				hb.Filters = append(hb.Filters, gatewayv1.HTTPRouteFilter{Type: gatewayv1.HTTPRouteFilterType(f.Type),
					RequestHeaderModifier: f.RequestHeaderModifier, ResponseHeaderModifier: f.ResponseHeaderModifier,
					RequestMirror: f.RequestMirror, ExtensionRef: f.ExtensionRef})
			}
			ru.backends = append(ru.backends, hb)
		}
		ms := gru.Matches
		if len(ms) == 0 {
			ms = []gatewayv1.GRPCRouteMatch{{}}
		}
		for _, gm := range ms {
			ru.matches = append(ru.matches, grpcMatch(gm))
		}
		r.rules = append(r.rules, ru)
	}
	return r, nil
}

// grpcMatch turns a gRPC method match into a path match: a gRPC call is a
// POST to /service/method. Exact service and method is Core; a method
// without service and RegularExpression are implementation-specific.
func grpcMatch(gm gatewayv1.GRPCRouteMatch) *match {
	// gRPC calls are POSTs; the method is not tested, so that the content
	// type alone decides between GRPCRoutes and HTTPRoutes.
	m := &match{pathType: "PathPrefix", path: "/", eg: &egGRPC{pathType: "PathPrefix"}}
	if mm := gm.Method; mm != nil {
		svc, meth := "", ""
		if mm.Service != nil {
			svc = *mm.Service
		}
		if mm.Method != nil {
			meth = *mm.Method
		}
		m.grpcService, m.grpcMethod = len(svc), len(meth)
		regex := mm.Type != nil && *mm.Type == gatewayv1.GRPCMethodMatchRegularExpression
		m.eg = egGRPCForm(svc, meth, regex)
		switch {
		case regex:
			s, me := svc, meth
			if s == "" {
				s = "[^/]+"
			}
			if me == "" {
				me = "[^/]+"
			}
			m.pathType, m.path = "RegularExpression", "^/("+s+")/("+me+")$"
			m.addRegexp(m.path)
		case svc != "" && meth != "":
			m.pathType, m.path = "Exact", "/"+svc+"/"+meth
		case svc != "":
			m.path = "/" + svc + "/"
		case meth != "":
			m.pathType, m.path = "RegularExpression", "^/[^/]+/"+regexp.QuoteMeta(meth)+"$"
			m.addRegexp(m.path)
		}
	}
	for _, h := range gm.Headers {
		vm := valueMatch{name: strings.ToLower(string(h.Name)), value: h.Value}
		if h.Type != nil && *h.Type == gatewayv1.GRPCHeaderMatchRegularExpression {
			vm.regex = m.addRegexp(h.Value)
		}
		m.headers = append(m.headers, vm)
	}
	return m
}

// egGRPC is a gRPC match as Envoy Gateway's route table has it
// (internal/gatewayapi/route.go processGRPCRouteMethodExact and
// processGRPCRouteMethodRegularExpression, v1.8.0 and v1.9.1): the path
// match type and value its sort ranks (sort.go), and whether the method
// alone became a ":path" suffix header match (no path match: ranked as
// the empty prefix, with one more, inexact, header match).
type egGRPC struct {
	pathType   string
	pathLen    int
	pathHeader bool
}

// The service and method patterns Envoy Gateway fills in for a
// RegularExpression match that leaves one out (route.go).
const (
	egValidServiceName = `(?i)\.?[a-z_][a-z_0-9]*(\.[a-z_][a-z_0-9]*)*`
	egValidMethodName  = `[A-Za-z_][A-Za-z_0-9]*`
)

func egGRPCForm(svc, meth string, regex bool) *egGRPC {
	switch {
	case regex:
		if svc == "" {
			svc = egValidServiceName
		}
		if meth == "" {
			meth = egValidMethodName
		}
		return &egGRPC{pathType: "RegularExpression", pathLen: len("/" + svc + "/" + meth)}
	case svc != "" && meth != "":
		return &egGRPC{pathType: "Exact", pathLen: len("/" + svc + "/" + meth)}
	case svc != "":
		// A prefix "/<service>", which Envoy matches path-separated.
		return &egGRPC{pathType: "PathPrefix", pathLen: len("/" + svc)}
	case meth != "":
		return &egGRPC{pathType: "PathPrefix", pathHeader: true}
	}
	return &egGRPC{pathType: "PathPrefix"}
}
