package features

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	gwv1 "sigs.k8s.io/gateway-api/apis/v1"
)

// nearestRedirect is the Core code that replaces an Extended one: the
// same permanence (308 and 301 are permanent, 307, 303 and 302 are not).
// What is lost is the method: 307 and 308 make the client repeat the
// request as it was, 301 and 302 let it (and browsers do) turn a POST into
// a GET without its body; 303 asks for that, 302 only allows it.
var nearestRedirect = map[int]int{308: 301, 307: 302, 303: 302}

// Change is one thing Adapt changed in an object for the release.
type Change struct {
	// Feature is the feature the release lacks, "" when what it lacks is
	// in its CRDs (a version, a value).
	Feature Name
	// What was done, for a result: "308 redirects answer 301".
	What string
	// Why the object could not stay as it was, for a result.
	Why string
	// Effect is what behaves differently now, "" when only the object's
	// form changed (an apiVersion).
	Effect string
	// APIVersion is the apiVersion the object is now written at, when the
	// change is that ("" otherwise).
	APIVersion string
}

// Adapt changes v, a generated Gateway API object (see Used), so that the
// release accepts it where an equivalent or close substitute exists, and
// returns what it changed, without repeats, in a stable order. What Adapt
// cannot substitute stays, and Used still finds it.
//
//   - A 303, 307 or 308 redirect on a release without the feature (Envoy
//     Gateway before v1.8 refuses the whole HTTPRoute: Accepted=False,
//     UnsupportedValue, internal/gatewayapi/filters.go of v1.7.0) answers
//     with the nearest Core code instead (nearestRedirect).
//   - A header value that is not printable US-ASCII is left out (with its
//     header) on a release that installs Gateway API's experimental
//     channel, whose CRDs refuse it (^[!-~]+([\t ]?[!-~]+)*$), and
//     without a release (r nil: output any implementation may serve, on
//     either channel); a filter left empty goes. Nothing else changes
//     without a release.
//   - A TLSRoute is written at the apiVersion the release's Gateway API
//     CRDs serve: its fields are the same in v1alpha3 and v1 for what the
//     converter writes (parentRefs, hostnames, backendRefs), which the
//     tests check against the CRDs.
func (r *Release) Adapt(v any) []Change {
	var out []Change
	add := func(c Change) {
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	redirects := func([]gwv1.HTTPRouteFilter) {}
	if r != nil {
		redirects = func(fs []gwv1.HTTPRouteFilter) { r.adaptRedirects(fs, add) }
	}
	why := r.headerWhy()
	http := func(fs []gwv1.HTTPRouteFilter) []gwv1.HTTPRouteFilter {
		redirects(fs)
		if why == "" || len(fs) == 0 {
			return fs
		}
		return adaptHeaders(fs, why, add)
	}
	grpc := func(fs []gwv1.GRPCRouteFilter) []gwv1.GRPCRouteFilter {
		if why == "" || len(fs) == 0 {
			return fs
		}
		return adaptGRPCHeaders(fs, why, add)
	}
	switch o := v.(type) {
	case *gwv1.HTTPRoute:
		// Emitters may share filters between objects; each object is
		// adapted, and its changes reported, on its own copy.
		o.Spec = *o.Spec.DeepCopy()
		for i := range o.Spec.Rules {
			rule := &o.Spec.Rules[i]
			rule.Filters = http(rule.Filters)
			for j := range rule.BackendRefs {
				rule.BackendRefs[j].Filters = http(rule.BackendRefs[j].Filters)
			}
		}
	case *gwv1.GRPCRoute:
		o.Spec = *o.Spec.DeepCopy()
		for i := range o.Spec.Rules {
			rule := &o.Spec.Rules[i]
			rule.Filters = grpc(rule.Filters)
			for j := range rule.BackendRefs {
				rule.BackendRefs[j].Filters = grpc(rule.BackendRefs[j].Filters)
			}
		}
	case *gwv1.TLSRoute:
		if r != nil && r.TLSRoute != "" && o.APIVersion != r.TLSRoute {
			add(Change{What: "TLSRoute is written as " + r.TLSRoute, APIVersion: r.TLSRoute,
				Why: fmt.Sprintf("its Gateway API %s CRDs serve no later version of it", r.GatewayAPI)})
			o.APIVersion = r.TLSRoute
		}
	}
	slices.SortFunc(out, func(a, b Change) int { return strings.Compare(string(a.Feature)+a.What, string(b.Feature)+b.What) })
	return out
}

// headerWhy says why header values that are not printable US-ASCII are
// left out, "" where they stay. A release that installs the standard
// channel keeps them. Without a release (standard output, implementations
// without release data) the output must be valid on either channel, and
// the experimental channel's CRDs refuse the whole route for one such
// value: Envoy Gateway, for one, installs that channel, and its translator
// refuses the file (internal/proof/gateway's TestEnvoyGatewayTranslator
// saw it on golden case snippet-triage-headers).
func (r *Release) headerWhy() string {
	switch {
	case r == nil:
		return "its value is not printable US-ASCII, which Gateway API's experimental-channel CRDs refuse (the whole route with it), and implementations such as Envoy Gateway install that channel"
	case r.Channel == "experimental":
		return fmt.Sprintf("its value is not printable US-ASCII, which the %s channel's Gateway API %s CRDs it installs refuse", r.Channel, r.GatewayAPI)
	}
	return ""
}

func (r *Release) adaptRedirects(fs []gwv1.HTTPRouteFilter, add func(Change)) {
	for i := range fs {
		rr := fs[i].RequestRedirect
		if fs[i].Type != gwv1.HTTPRouteFilterRequestRedirect || rr == nil || rr.StatusCode == nil {
			continue
		}
		code := *rr.StatusCode
		n := RedirectFeature(code)
		to, ok := nearestRedirect[code]
		if n == "" || !ok || r.Supports(n) {
			continue
		}
		add(Change{Feature: n, What: fmt.Sprintf("%d redirects answer %d", code, to), Effect: methodNote,
			Why: fmt.Sprintf("its conformance report does not list %s, and an implementation without it must refuse the whole HTTPRoute (Accepted=False, UnsupportedValue)", n)})
		*rr.StatusCode = to
	}
}

// methodNote says what a redirect code change does to clients.
const methodNote = "clients may repeat a POST (or PUT, DELETE) as a GET without its body after 301 or 302, where 307 and 308 make them repeat the request as it was"

// printable is the experimental channel's pattern for header values.
var printable = regexp.MustCompile(`^[!-~]+([\t ]?[!-~]+)*$`)

// headers drops the set and add entries of m whose value is not
// printable US-ASCII (why says who refuses it), returning whether
// anything is left.
func headers(m *gwv1.HTTPHeaderFilter, which, why string, add func(Change)) bool {
	keep := func(hs []gwv1.HTTPHeader) []gwv1.HTTPHeader {
		out := hs[:0]
		for _, h := range hs {
			if printable.MatchString(h.Value) {
				out = append(out, h)
				continue
			}
			add(Change{What: fmt.Sprintf("%s header %s is not set", which, h.Name), Effect: "the header is missing", Why: why})
		}
		if len(out) == 0 {
			return nil
		}
		return out
	}
	m.Set, m.Add = keep(m.Set), keep(m.Add)
	return len(m.Set)+len(m.Add)+len(m.Remove) > 0
}

// adaptHeaders drops what headers drops from the header modifiers of fs,
// and the filters left empty.
func adaptHeaders(fs []gwv1.HTTPRouteFilter, why string, add func(Change)) []gwv1.HTTPRouteFilter {
	out := fs[:0]
	for _, f := range fs {
		switch {
		case f.Type == gwv1.HTTPRouteFilterRequestHeaderModifier && f.RequestHeaderModifier != nil:
			if !headers(f.RequestHeaderModifier, "request", why, add) {
				continue
			}
		case f.Type == gwv1.HTTPRouteFilterResponseHeaderModifier && f.ResponseHeaderModifier != nil:
			if !headers(f.ResponseHeaderModifier, "response", why, add) {
				continue
			}
		}
		out = append(out, f)
	}
	return out
}

func adaptGRPCHeaders(fs []gwv1.GRPCRouteFilter, why string, add func(Change)) []gwv1.GRPCRouteFilter {
	out := fs[:0]
	for _, f := range fs {
		switch {
		case f.Type == gwv1.GRPCRouteFilterRequestHeaderModifier && f.RequestHeaderModifier != nil:
			if !headers(f.RequestHeaderModifier, "request", why, add) {
				continue
			}
		case f.Type == gwv1.GRPCRouteFilterResponseHeaderModifier && f.ResponseHeaderModifier != nil:
			if !headers(f.ResponseHeaderModifier, "response", why, add) {
				continue
			}
		}
		out = append(out, f)
	}
	return out
}
