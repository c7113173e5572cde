package features

import (
	"slices"

	"k8s.io/apimachinery/pkg/util/sets"
	gwv1 "sigs.k8s.io/gateway-api/apis/v1"
	"sigs.k8s.io/gateway-api/pkg/features"
)

// Name is a Gateway API feature name, as conformance reports list them.
type Name = features.FeatureName

// Notable reports whether an implementation need not support feature:
// the Extended features of every API, and the APIs outside the HTTP
// profile's core (GRPCRoute, TLSRoute, BackendTLSPolicy), which have their
// own conformance profiles or feature names.
func Notable(name Name) bool {
	switch name {
	case features.SupportGRPCRoute, features.SupportTLSRoute, features.SupportBackendTLSPolicy:
		return true
	}
	for _, set := range []sets.Set[features.Feature]{features.HTTPRouteExtendedFeatures, features.GatewayExtendedFeatures,
		features.GRPCRouteExtendedFeatures, features.TLSRouteExtendedFeatures, features.BackendTLSPolicyExtendedFeatures} {
		for f := range set {
			if f.Name == name {
				return true
			}
		}
	}
	return false
}

// Used returns the notable features (see Notable) that a generated object
// relies on, sorted, without repeats: v is the typed Gateway API object
// (*gwv1.HTTPRoute, *gwv1.GRPCRoute, *gwv1.TLSRoute, *gwv1.Gateway,
// *gwv1.ListenerSet, *gwv1.BackendTLSPolicy); any other value uses none.
// It reads every field that a feature governs, whether or not the
// converter writes it today, so a new emitter cannot forget to declare one.
func Used(v any) []Name {
	var out []Name
	add := func(n Name) {
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	switch o := v.(type) {
	case *gwv1.HTTPRoute:
		httpRoute(o, add)
	case *gwv1.GRPCRoute:
		add(features.SupportGRPCRoute)
		for _, r := range o.Spec.Rules {
			if r.Name != nil {
				add(features.SupportGRPCRouteNamedRouteRule)
			}
		}
	case *gwv1.TLSRoute:
		add(features.SupportTLSRoute)
	case *gwv1.Gateway:
		gateway(o.Spec, add)
	case *gwv1.ListenerSet:
		add(features.SupportListenerSet)
		for _, l := range o.Spec.Listeners {
			if l.Port == 8080 {
				add(features.SupportGatewayPort8080)
			}
		}
	case *gwv1.BackendTLSPolicy:
		add(features.SupportBackendTLSPolicy)
		if len(o.Spec.Validation.SubjectAltNames) > 0 {
			add(features.SupportBackendTLSPolicySANValidation)
		}
	}
	slices.Sort(out)
	return out
}

func gateway(s gwv1.GatewaySpec, add func(Name)) {
	for _, l := range s.Listeners {
		if l.Port == 8080 {
			add(features.SupportGatewayPort8080)
		}
	}
	if len(s.Addresses) > 0 {
		add(features.SupportGatewayStaticAddresses)
	}
	if s.Infrastructure != nil {
		add(features.SupportGatewayInfrastructure)
	}
	if s.AllowedListeners != nil {
		add(features.SupportListenerSet)
	}
	if s.TLS != nil && s.TLS.Frontend != nil {
		add(features.SupportGatewayFrontendClientCertificateValidation)
	}
	if s.TLS != nil && s.TLS.Backend != nil {
		add(features.SupportGatewayBackendClientCertificate)
	}
}

func httpRoute(r *gwv1.HTTPRoute, add func(Name)) {
	for _, p := range r.Spec.ParentRefs {
		if p.Port != nil {
			add(features.SupportHTTPRouteParentRefPort)
		}
	}
	for _, rule := range r.Spec.Rules {
		if rule.Name != nil {
			add(features.SupportHTTPRouteNamedRouteRule)
		}
		for _, m := range rule.Matches {
			if len(m.QueryParams) > 0 {
				add(features.SupportHTTPRouteQueryParamMatching)
			}
			if m.Method != nil {
				add(features.SupportHTTPRouteMethodMatching)
			}
		}
		if t := rule.Timeouts; t != nil {
			if t.Request != nil {
				add(features.SupportHTTPRouteRequestTimeout)
			}
			if t.BackendRequest != nil {
				add(features.SupportHTTPRouteBackendTimeout)
			}
		}
		if rule.Retry != nil {
			add(features.SupportHTTPRouteRetry)
			if rule.Timeouts != nil && rule.Timeouts.BackendRequest != nil {
				add(features.SupportHTTPRouteRetryBackendTimeout)
			}
		}
		filters(rule.Filters, false, add)
		for _, b := range rule.BackendRefs {
			filters(b.Filters, true, add)
		}
	}
}

// filters adds the features of a rule's filters, or of a backendRef's
// (backend true), where a request header filter is Extended too.
func filters(fs []gwv1.HTTPRouteFilter, backend bool, add func(Name)) {
	mirrors := 0
	for _, f := range fs {
		switch f.Type {
		case gwv1.HTTPRouteFilterRequestHeaderModifier:
			if backend {
				add(features.SupportHTTPRouteBackendRequestHeaderModification)
			}
		case gwv1.HTTPRouteFilterResponseHeaderModifier:
			add(features.SupportHTTPRouteResponseHeaderModification)
		case gwv1.HTTPRouteFilterRequestRedirect:
			if rr := f.RequestRedirect; rr != nil {
				redirect(rr, add)
			}
		case gwv1.HTTPRouteFilterURLRewrite:
			if u := f.URLRewrite; u != nil {
				if u.Hostname != nil {
					add(features.SupportHTTPRouteHostRewrite)
				}
				if u.Path != nil {
					add(features.SupportHTTPRoutePathRewrite)
				}
			}
		case gwv1.HTTPRouteFilterRequestMirror:
			add(features.SupportHTTPRouteRequestMirror)
			if mirrors++; mirrors > 1 {
				add(features.SupportHTTPRouteRequestMultipleMirrors)
			}
			if m := f.RequestMirror; m != nil && (m.Percent != nil || m.Fraction != nil) {
				add(features.SupportHTTPRouteRequestPercentageMirror)
			}
		case gwv1.HTTPRouteFilterCORS:
			add(features.SupportHTTPRouteCORS)
		}
	}
}

// RedirectFeature is the feature a redirect status code needs, "" for the
// Core codes (301, 302) and for codes no feature names.
func RedirectFeature(code int) Name {
	switch code {
	case 303:
		return features.SupportHTTPRoute303RedirectStatusCode
	case 307:
		return features.SupportHTTPRoute307RedirectStatusCode
	case 308:
		return features.SupportHTTPRoute308RedirectStatusCode
	}
	return ""
}

func redirect(rr *gwv1.HTTPRequestRedirectFilter, add func(Name)) {
	if rr.Port != nil {
		add(features.SupportHTTPRoutePortRedirect)
	}
	if rr.Scheme != nil {
		add(features.SupportHTTPRouteSchemeRedirect)
	}
	if rr.Path != nil {
		add(features.SupportHTTPRoutePathRedirect)
	}
	if rr.StatusCode != nil {
		if n := RedirectFeature(*rr.StatusCode); n != "" {
			add(n)
		}
	}
}
