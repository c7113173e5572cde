package nginxgatewayfabric_test

import (
	"fmt"
	"slices"
	"sort"
	"testing"

	"github.com/routeshift/routeshift/internal/convert/implementations"
	"github.com/routeshift/routeshift/internal/convert/implementations/internal/casetest"
	"github.com/routeshift/routeshift/internal/convert/implementations/nginxgatewayfabric"
	_ "github.com/routeshift/routeshift/internal/golden"
)

var vendor = casetest.Vendor{
	Impl:          nginxgatewayfabric.Implementation,
	CRDDir:        "../../../../testdata/implementations/crds/nginx-gateway-fabric",
	CaseDir:       "../../../../testdata/implementations/nginx-gateway-fabric",
	SampleSecrets: casetest.BasicAuthSecrets(),
	Samples: map[string]map[string]string{
		"proxy-body-size":         {"proxy-body-size": "8m"},
		"proxy-connect-timeout":   {"proxy-connect-timeout": "10"},
		"proxy-read-timeout":      {"proxy-read-timeout": "120"},
		"proxy-send-timeout":      {"proxy-send-timeout": "30s"},
		"proxy-buffering":         {"proxy-buffering": "on"},
		"proxy-buffer-size":       {"proxy-buffer-size": "8k"},
		"proxy-buffers-number":    {"proxy-buffers-number": "8"},
		"proxy-busy-buffers-size": {"proxy-busy-buffers-size": "8k"},
		"limit-rps":               {"limit-rps": "10"},
		"limit-rpm":               {"limit-rpm": "300"},
		"limit-burst-multiplier":  {"limit-rps": "10", "limit-burst-multiplier": "3"},
		"allowlist-source-range":  {"allowlist-source-range": "10.0.0.0/8"},
		"whitelist-source-range":  {"whitelist-source-range": "10.0.0.0/8"},
		"denylist-source-range":   {"denylist-source-range": "192.168.0.0/16"},
		"auth-type":               {"auth-type": "basic", "auth-secret": "basic-auth"},
		"auth-secret":             {"auth-type": "basic", "auth-secret": "basic-auth"},
		"auth-secret-type":        {"auth-type": "basic", "auth-secret": "basic-map", "auth-secret-type": "auth-map"},
		"auth-realm":              {"auth-type": "basic", "auth-secret": "basic-auth", "auth-realm": "Authentication Required"},
		"satisfy":                 {"satisfy": "any", "allowlist-source-range": "10.0.0.0/8", "auth-type": "basic", "auth-secret": "basic-auth"},
		"upstream-hash-by":        {"upstream-hash-by": "$request_uri"},
		"load-balance":            {"load-balance": "ewma"},
	},
	// UpstreamSettingsPolicies attach to the routes' Services.
	SampleRoutes: []implementations.Route{{
		Namespace: "shop", Name: "web-example-com", Hostnames: []string{"example.com"},
		Parents:  []implementations.Parent{{Namespace: "gateway-system", Name: "public", SectionName: "http"}},
		Paths:    []implementations.PathMatch{{Type: "PathPrefix", Value: "/app"}},
		Backends: []implementations.Backend{{Namespace: "shop", Name: "web", Port: 80}},
	}},
	Verify: marks,
}

// marks: only an UpstreamSettingsPolicy is Shared (and in a sample run it
// carries exactly the handled balancing annotation), and exactly the
// filters are RouteFilters.
func marks(out implementations.Output, sample bool) []string {
	var problems []string
	var handled []string
	for name := range out.Handled {
		if name == "upstream-hash-by" || name == "load-balance" {
			handled = append(handled, name)
		}
	}
	sort.Strings(handled)
	for _, o := range out.Objects {
		isUSP := o.Kind == "UpstreamSettingsPolicy"
		if shared := len(o.Shared) > 0; shared != isUSP {
			problems = append(problems, fmt.Sprintf("%s %s/%s: Shared = %v", o.Kind, o.Namespace, o.Name, o.Shared))
		}
		if sample && isUSP && !slices.Equal(o.Shared, handled) {
			problems = append(problems, fmt.Sprintf("UpstreamSettingsPolicy Shared = %v, handled %v", o.Shared, handled))
		}
		if filter := o.Kind == "AuthenticationFilter" || o.Kind == "SnippetsFilter"; filter != o.RouteFilter {
			problems = append(problems, fmt.Sprintf("%s %s/%s: RouteFilter = %v", o.Kind, o.Namespace, o.Name, o.RouteFilter))
		}
	}
	return problems
}

// TestNginxGatewayFabric runs the golden cases under
// testdata/implementations/nginx-gateway-fabric, the Supports/Translate
// agreement and the hostile values, validating every object against the
// v2.6.7 CRDs.
func TestNginxGatewayFabric(t *testing.T) {
	vendor.Run(t)
}

func TestName(t *testing.T) {
	if got := nginxgatewayfabric.Implementation.Name(); got != "nginx-gateway-fabric" {
		t.Errorf("Name() = %q", got)
	}
}

// TestManyRoutesSplit: policies with targetRefs take at most 16, so 17
// routes need two of each kind, every route targeted once.
func TestManyRoutesSplit(t *testing.T) {
	var routes []implementations.Route
	for i := range 17 {
		routes = append(routes, implementations.Route{Namespace: "shop", Name: fmt.Sprintf("web-h%02d", i)})
	}
	in := implementations.Input{Namespace: "shop", Name: "web", Routes: routes,
		Annotations: map[string]string{"proxy-read-timeout": "30", "limit-rps": "5"}}
	out := vendor.Check(t, in)
	count := map[string]int{}
	targeted := map[string]int{}
	for _, o := range out.Objects {
		count[o.Kind]++
		spec := o.Value["spec"].(map[string]any)
		for _, r := range spec["targetRefs"].([]any) {
			targeted[o.Kind+"/"+r.(map[string]any)["name"].(string)]++
		}
	}
	if count["ProxySettingsPolicy"] != 2 || count["RateLimitPolicy"] != 2 || len(targeted) != 34 {
		t.Errorf("objects %v, %d distinct targets", count, len(targeted))
	}
	for k, n := range targeted {
		if n != 1 {
			t.Errorf("%s targeted %d times", k, n)
		}
	}
}
