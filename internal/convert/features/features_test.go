package features

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"k8s.io/utils/ptr"
	gwv1 "sigs.k8s.io/gateway-api/apis/v1"
	"sigs.k8s.io/gateway-api/pkg/features"
	"sigs.k8s.io/yaml"
)

func mustLookup(t *testing.T, version string) *Release {
	t.Helper()
	r, err := Lookup("envoy-gateway", version)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestReports reads every embedded report and checks the facts the
// converter depends on, as the reports state them.
func TestReports(t *testing.T) {
	if got := Versions("envoy-gateway"); !slices.Equal(got, []string{"v1.7", "v1.8", "v1.9"}) {
		t.Fatalf("Versions = %v", got)
	}
	if Newest("envoy-gateway") != "v1.9" || Newest("standard") != "" || Versions("istio") != nil {
		t.Errorf("Newest/Versions of implementations without data")
	}
	for _, tc := range []struct {
		version, gatewayAPI string
		redirects           bool
	}{{"v1.7", "v1.4.1", false}, {"v1.8", "v1.5.1", true}, {"v1.9", "v1.6.1", true}} {
		r := mustLookup(t, tc.version)
		if r.GatewayAPI != tc.gatewayAPI || r.Patch != -1 || r.String() != "Envoy Gateway "+tc.version {
			t.Errorf("%s: %+v", tc.version, r)
		}
		for _, n := range []Name{features.SupportHTTPRoute303RedirectStatusCode, features.SupportHTTPRoute307RedirectStatusCode, features.SupportHTTPRoute308RedirectStatusCode} {
			if r.Supports(n) != tc.redirects {
				t.Errorf("%s supports %s: %v", tc.version, n, !tc.redirects)
			}
		}
		// Core of passed profiles and Extended features read from the
		// reports alike.
		for _, n := range []Name{features.SupportHTTPRoute, features.SupportGRPCRoute, features.SupportTLSRoute, features.SupportHTTPRouteSchemeRedirect, features.SupportBackendTLSPolicy} {
			if !r.Supports(n) {
				t.Errorf("%s does not support %s", tc.version, n)
			}
		}
		if r.Supports(features.SupportListenerSet) == (tc.version == "v1.7") {
			t.Errorf("%s: ListenerSet support wrong", tc.version)
		}
	}
}

func TestLookup(t *testing.T) {
	r := mustLookup(t, "v1.8.3")
	if r.Version != "v1.8" || r.Patch != 3 || !r.Before("v1.9") || r.Before("v1.8") || !mustLookup(t, "v1.9").Before("v1.10") {
		t.Errorf("v1.8.3: %+v", r)
	}
	for in, want := range map[string]string{
		"1.8":                       `"1.8" is not a release of envoy-gateway: want one of v1.7, v1.8, v1.9`,
		"v1.6":                      `"v1.6": routeshift has no data for envoy-gateway v1.6`,
		"v1.8-rc":                   "is not a release",
		"latest":                    "is not a release",
		"v1.8.99999999999999999999": "patch 99999999999999999999 is out of range",
	} {
		if _, err := Lookup("envoy-gateway", in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Lookup(%q) = %v, want %q", in, err, want)
		}
	}
	if _, err := Lookup("istio", "v1.28"); err == nil || !strings.Contains(err.Error(), "has no release data") {
		t.Errorf("istio: %v", err)
	}
}

// route is an HTTPRoute that uses every feature Used knows of HTTPRoute.
func route() *gwv1.HTTPRoute {
	mirror := gwv1.HTTPRouteFilter{Type: gwv1.HTTPRouteFilterRequestMirror, RequestMirror: &gwv1.HTTPRequestMirrorFilter{Percent: ptr.To[int32](10)}}
	return &gwv1.HTTPRoute{Spec: gwv1.HTTPRouteSpec{
		CommonRouteSpec: gwv1.CommonRouteSpec{ParentRefs: []gwv1.ParentReference{{Name: "gw", Port: ptr.To[gwv1.PortNumber](80)}}},
		Rules: []gwv1.HTTPRouteRule{{
			Name: ptr.To[gwv1.SectionName]("r"),
			Matches: []gwv1.HTTPRouteMatch{{
				QueryParams: []gwv1.HTTPQueryParamMatch{{Name: "a", Value: "b"}},
				Method:      ptr.To(gwv1.HTTPMethodGet),
			}},
			Timeouts: &gwv1.HTTPRouteTimeouts{Request: ptr.To[gwv1.Duration]("1s"), BackendRequest: ptr.To[gwv1.Duration]("1s")},
			Retry:    &gwv1.HTTPRouteRetry{},
			Filters: []gwv1.HTTPRouteFilter{
				{Type: gwv1.HTTPRouteFilterResponseHeaderModifier, ResponseHeaderModifier: &gwv1.HTTPHeaderFilter{Remove: []string{"Server"}}},
				{Type: gwv1.HTTPRouteFilterRequestRedirect, RequestRedirect: &gwv1.HTTPRequestRedirectFilter{Scheme: ptr.To("https"), Port: ptr.To[gwv1.PortNumber](443), Path: &gwv1.HTTPPathModifier{Type: gwv1.FullPathHTTPPathModifier, ReplaceFullPath: ptr.To("/")}, StatusCode: ptr.To(308)}},
				{Type: gwv1.HTTPRouteFilterURLRewrite, URLRewrite: &gwv1.HTTPURLRewriteFilter{Hostname: ptr.To[gwv1.PreciseHostname]("a"), Path: &gwv1.HTTPPathModifier{Type: gwv1.PrefixMatchHTTPPathModifier, ReplacePrefixMatch: ptr.To("/")}}},
				mirror, mirror,
				{Type: gwv1.HTTPRouteFilterCORS, CORS: &gwv1.HTTPCORSFilter{}},
			},
			BackendRefs: []gwv1.HTTPBackendRef{{Filters: []gwv1.HTTPRouteFilter{{Type: gwv1.HTTPRouteFilterRequestHeaderModifier, RequestHeaderModifier: &gwv1.HTTPHeaderFilter{Remove: []string{"X"}}}}}},
		}},
	}}
}

// TestUsed checks that Used finds every feature of a route that uses them
// all, and only notable ones; a plain route uses none.
func TestUsed(t *testing.T) {
	got := Used(route())
	want := []Name{"HTTPRoute308RedirectStatusCode", "HTTPRouteBackendRequestHeaderModification", "HTTPRouteBackendTimeout", "HTTPRouteCORS",
		"HTTPRouteHostRewrite", "HTTPRouteMethodMatching", "HTTPRouteNamedRouteRule", "HTTPRouteParentRefPort", "HTTPRoutePathRedirect",
		"HTTPRoutePathRewrite", "HTTPRoutePortRedirect", "HTTPRouteQueryParamMatching", "HTTPRouteRequestMirror", "HTTPRouteRequestMultipleMirrors",
		"HTTPRouteRequestPercentageMirror", "HTTPRouteRequestTimeout", "HTTPRouteResponseHeaderModification", "HTTPRouteRetry",
		"HTTPRouteRetryBackendTimeout", "HTTPRouteSchemeRedirect"}
	if !slices.Equal(got, want) {
		t.Errorf("Used = %v\nwant %v", got, want)
	}
	for _, n := range got {
		if !Notable(n) {
			t.Errorf("%s is not notable", n)
		}
	}
	plain := &gwv1.HTTPRoute{Spec: gwv1.HTTPRouteSpec{Rules: []gwv1.HTTPRouteRule{{
		Filters: []gwv1.HTTPRouteFilter{{Type: gwv1.HTTPRouteFilterRequestRedirect, RequestRedirect: &gwv1.HTTPRequestRedirectFilter{Hostname: ptr.To[gwv1.PreciseHostname]("a"), StatusCode: ptr.To(301)}}},
	}}}}
	if got := Used(plain); len(got) != 0 {
		t.Errorf("a Core redirect uses %v", got)
	}
	if Notable(features.SupportHTTPRoute) || Notable(features.SupportReferenceGrant) {
		t.Errorf("Core features are notable")
	}
	for v, want := range map[any][]Name{
		&gwv1.TLSRoute{}:         {"TLSRoute"},
		&gwv1.GRPCRoute{}:        {"GRPCRoute"},
		&gwv1.BackendTLSPolicy{}: {"BackendTLSPolicy"},
		&gwv1.ListenerSet{}:      {"ListenerSet"},
		&gwv1.Gateway{Spec: gwv1.GatewaySpec{AllowedListeners: &gwv1.AllowedListeners{}, Listeners: []gwv1.Listener{{Port: 8080}}}}: {"GatewayPort8080", "ListenerSet"},
		"not an object": nil,
	} {
		if got := Used(v); !slices.Equal(got, want) {
			t.Errorf("Used(%T) = %v, want %v", v, got, want)
		}
	}
}

// TestAdapt checks what Adapt changes per release: redirects on v1.7
// only, each object on its own copy even when emitters share a filter,
// header values the experimental channel refuses, TLSRoute's version.
func TestAdapt(t *testing.T) {
	shared := gwv1.HTTPRouteFilter{Type: gwv1.HTTPRouteFilterRequestRedirect, RequestRedirect: &gwv1.HTTPRequestRedirectFilter{Scheme: ptr.To("https"), StatusCode: ptr.To(308)}}
	a := &gwv1.HTTPRoute{Spec: gwv1.HTTPRouteSpec{Rules: []gwv1.HTTPRouteRule{{Filters: []gwv1.HTTPRouteFilter{shared}}}}}
	b := &gwv1.HTTPRoute{Spec: gwv1.HTTPRouteSpec{Rules: []gwv1.HTTPRouteRule{{Filters: []gwv1.HTTPRouteFilter{shared}}}}}
	if c := mustLookup(t, "v1.9").Adapt(a); len(c) != 0 || *a.Spec.Rules[0].Filters[0].RequestRedirect.StatusCode != 308 {
		t.Errorf("v1.9 changed %v", c)
	}
	v17 := mustLookup(t, "v1.7")
	for _, r := range []*gwv1.HTTPRoute{a, b} {
		c := v17.Adapt(r)
		if len(c) != 1 || c[0].Feature != features.SupportHTTPRoute308RedirectStatusCode || c[0].What != "308 redirects answer 301" || c[0].Effect == "" {
			t.Errorf("v1.7: %+v", c)
		}
		if got := *r.Spec.Rules[0].Filters[0].RequestRedirect.StatusCode; got != 301 {
			t.Errorf("v1.7: code %d", got)
		}
	}
	if *shared.RequestRedirect.StatusCode != 308 {
		t.Errorf("the shared filter was changed in place")
	}
	for code, want := range map[int]int{307: 302, 303: 302, 301: 301, 302: 302} {
		r := &gwv1.HTTPRoute{Spec: gwv1.HTTPRouteSpec{Rules: []gwv1.HTTPRouteRule{{Filters: []gwv1.HTTPRouteFilter{{Type: gwv1.HTTPRouteFilterRequestRedirect, RequestRedirect: &gwv1.HTTPRequestRedirectFilter{StatusCode: ptr.To(code)}}}}}}}
		v17.Adapt(r)
		if got := *r.Spec.Rules[0].Filters[0].RequestRedirect.StatusCode; got != want {
			t.Errorf("v1.7: %d answers %d, want %d", code, got, want)
		}
	}

	h := &gwv1.HTTPRoute{Spec: gwv1.HTTPRouteSpec{Rules: []gwv1.HTTPRouteRule{{Filters: []gwv1.HTTPRouteFilter{
		{Type: gwv1.HTTPRouteFilterResponseHeaderModifier, ResponseHeaderModifier: &gwv1.HTTPHeaderFilter{Add: []gwv1.HTTPHeader{{Name: "X-Note", Value: "café"}}}},
		{Type: gwv1.HTTPRouteFilterRequestHeaderModifier, RequestHeaderModifier: &gwv1.HTTPHeaderFilter{Set: []gwv1.HTTPHeader{{Name: "X-A", Value: "ok value"}, {Name: "X-B", Value: "tab\tok"}, {Name: "X-C", Value: "a  b"}}}},
	}}}}}
	c := mustLookup(t, "v1.9").Adapt(h)
	fs := h.Spec.Rules[0].Filters
	if len(fs) != 1 || len(fs[0].RequestHeaderModifier.Set) != 2 || fs[0].RequestHeaderModifier.Set[1].Name != "X-B" {
		t.Errorf("headers: %+v", fs)
	}
	if len(c) != 2 || c[0].What != "request header X-C is not set" || c[1].What != "response header X-Note is not set" {
		t.Errorf("header changes: %+v", c)
	}

	// Without a release only the header values go: the redirect code and
	// the TLSRoute version are any implementation's to accept.
	var none *Release
	n := &gwv1.HTTPRoute{Spec: gwv1.HTTPRouteSpec{Rules: []gwv1.HTTPRouteRule{{Filters: []gwv1.HTTPRouteFilter{shared,
		{Type: gwv1.HTTPRouteFilterResponseHeaderModifier, ResponseHeaderModifier: &gwv1.HTTPHeaderFilter{Add: []gwv1.HTTPHeader{{Name: "X-Note", Value: "café"}}}},
	}}}}}
	c = none.Adapt(n)
	if fs := n.Spec.Rules[0].Filters; len(fs) != 1 || *fs[0].RequestRedirect.StatusCode != 308 {
		t.Errorf("no release: filters %+v", fs)
	}
	if len(c) != 1 || c[0].What != "response header X-Note is not set" || !strings.Contains(c[0].Why, "experimental-channel") {
		t.Errorf("no release: changes %+v", c)
	}

	tls := &gwv1.TLSRoute{}
	tls.APIVersion = "gateway.networking.k8s.io/v1"
	if c := none.Adapt(tls); len(c) != 0 || tls.APIVersion != "gateway.networking.k8s.io/v1" {
		t.Errorf("no release TLSRoute: %v, %s", c, tls.APIVersion)
	}
	if c := mustLookup(t, "v1.8").Adapt(tls); len(c) != 0 {
		t.Errorf("v1.8 TLSRoute: %v", c)
	}
	if c := v17.Adapt(tls); len(c) != 1 || c[0].Effect != "" || tls.APIVersion != "gateway.networking.k8s.io/v1alpha3" {
		t.Errorf("v1.7 TLSRoute: %v, %s", c, tls.APIVersion)
	}
}

// TestCRDFacts holds the facts releases.go states about each release's
// CRDs to the CRDs themselves (testdata/implementations/releases): the
// TLSRoute version is the newest the bundle serves, and the channel is
// the bundle's.
func TestCRDFacts(t *testing.T) {
	for _, version := range Versions("envoy-gateway") {
		r := mustLookup(t, version)
		path := filepath.Join("../../../testdata/implementations/releases/envoy-gateway", r.CRDs, "gateway-api", "gatewayapi-crds.yaml")
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var served []string
		channels := map[string]bool{}
		for _, doc := range bytes.Split(data, []byte("\n---\n")) {
			var crd struct {
				Kind     string `json:"kind"`
				Metadata struct {
					Annotations map[string]string `json:"annotations"`
				} `json:"metadata"`
				Spec struct {
					Group string `json:"group"`
					Names struct {
						Kind string `json:"kind"`
					} `json:"names"`
					Versions []struct {
						Name   string `json:"name"`
						Served bool   `json:"served"`
					} `json:"versions"`
				} `json:"spec"`
			}
			if err := yaml.Unmarshal(doc, &crd); err != nil || crd.Kind != "CustomResourceDefinition" {
				continue
			}
			channels[crd.Metadata.Annotations["gateway.networking.k8s.io/channel"]] = true
			if crd.Spec.Names.Kind != "TLSRoute" {
				continue
			}
			for _, v := range crd.Spec.Versions {
				if v.Served {
					served = append(served, crd.Spec.Group+"/"+v.Name)
				}
			}
		}
		newest := ""
		if len(served) > 0 {
			newest = slices.Max(served) // v1alpha3 after v1alpha2
		}
		if slices.Contains(served, "gateway.networking.k8s.io/v1") {
			newest = "gateway.networking.k8s.io/v1"
		}
		if newest != r.TLSRoute {
			t.Errorf("%s: TLSRoute %s, the CRDs serve %v", version, r.TLSRoute, served)
		}
		if len(channels) != 1 || !channels[r.Channel] {
			t.Errorf("%s: channel %s, the CRDs are %v", version, r.Channel, channels)
		}
	}
}
