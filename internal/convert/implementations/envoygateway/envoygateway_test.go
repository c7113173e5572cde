package envoygateway_test

import (
	"strings"
	"testing"

	"github.com/routeshift/routeshift/internal/convert/features"
	"github.com/routeshift/routeshift/internal/convert/implementations"
	"github.com/routeshift/routeshift/internal/convert/implementations/envoygateway"
	"github.com/routeshift/routeshift/internal/convert/implementations/internal/casetest"
	_ "github.com/routeshift/routeshift/internal/golden"
)

var vendor = casetest.Vendor{
	Impl:          envoygateway.Implementation,
	CRDDir:        "../../../../testdata/implementations/crds/envoy-gateway",
	CaseDir:       "../../../../testdata/implementations/envoy-gateway",
	SampleSecrets: casetest.BasicAuthSecrets(),
	Samples: map[string]map[string]string{
		"proxy-body-size":             {"proxy-body-size": "8m"},
		"proxy-connect-timeout":       {"proxy-connect-timeout": "10"},
		"proxy-read-timeout":          {"proxy-read-timeout": "120"},
		"proxy-send-timeout":          {"proxy-send-timeout": "30s"},
		"limit-rps":                   {"limit-rps": "10"},
		"limit-rpm":                   {"limit-rpm": "300"},
		"allowlist-source-range":      {"allowlist-source-range": "10.0.0.0/8"},
		"whitelist-source-range":      {"whitelist-source-range": "10.0.0.0/8"},
		"denylist-source-range":       {"denylist-source-range": "192.168.0.0/16"},
		"auth-type":                   {"auth-type": "basic", "auth-secret": "basic-auth"},
		"auth-secret":                 {"auth-type": "basic", "auth-secret": "basic-auth"},
		"auth-secret-type":            {"auth-type": "basic", "auth-secret": "basic-map", "auth-secret-type": "auth-map"},
		"auth-realm":                  {"auth-type": "basic", "auth-secret": "basic-auth", "auth-realm": "Authentication Required"},
		"auth-url":                    {"auth-url": "http://authz.auth.svc.cluster.local:8080/check"},
		"auth-response-headers":       {"auth-url": "http://authz.shop:8080/check", "auth-response-headers": "X-User, X-Email"},
		"affinity":                    {"affinity": "cookie"},
		"session-cookie-name":         {"affinity": "cookie", "session-cookie-name": "route"},
		"session-cookie-max-age":      {"affinity": "cookie", "session-cookie-max-age": "172800"},
		"session-cookie-expires":      {"affinity": "cookie", "session-cookie-expires": "172800"},
		"session-cookie-path":         {"affinity": "cookie", "session-cookie-path": "/app"},
		"session-cookie-domain":       {"affinity": "cookie", "session-cookie-domain": ".example.com"},
		"session-cookie-samesite":     {"affinity": "cookie", "session-cookie-samesite": "Lax"},
		"session-cookie-secure":       {"affinity": "cookie", "session-cookie-secure": "true"},
		"upstream-hash-by":            {"upstream-hash-by": "$remote_addr"},
		"load-balance":                {"load-balance": "ewma"},
		"proxy-next-upstream":         {"proxy-next-upstream": "error timeout http_502"},
		"proxy-next-upstream-tries":   {"proxy-next-upstream-tries": "5"},
		"proxy-next-upstream-timeout": {"proxy-next-upstream-timeout": "10"},
	},
}

// TestEnvoyGateway runs the golden cases under
// testdata/implementations/envoy-gateway, the Supports/Translate agreement
// and the hostile values, validating every object against the v1.9.1 CRDs.
func TestEnvoyGateway(t *testing.T) {
	vendor.Run(t)
}

func TestName(t *testing.T) {
	if got := envoygateway.Implementation.Name(); got != "envoy-gateway" {
		t.Errorf("Name() = %q", got)
	}
}

// TestReleases runs the implementation of every release with data against
// that release's CRDs (testdata/implementations/releases): the golden
// cases of the release (testdata/implementations/envoy-gateway@<line>; the
// newest has the main ones, and must give the same output as
// Implementation), the samples and hostile values of what it supports,
// and the inputs of the main cases, whose objects its CRDs must accept.
func TestReleases(t *testing.T) {
	versions := features.Versions("envoy-gateway")
	for _, version := range versions {
		release, err := features.Lookup("envoy-gateway", version)
		if err != nil {
			t.Fatal(err)
		}
		v := vendor
		v.Impl = envoygateway.Implementation.(implementations.Versioned).ForRelease(release)
		v.CRDDir = "../../../../testdata/implementations/releases/envoy-gateway/" + release.CRDs
		v.CaseDir = "../../../../testdata/implementations/envoy-gateway@" + version
		if version == versions[len(versions)-1] {
			v.CaseDir = vendor.CaseDir
		}
		v.Samples = map[string]map[string]string{}
		for name := range v.Impl.Supports() {
			v.Samples[name] = vendor.Samples[name]
		}
		v.Refused = func(err error, out implementations.Output) bool {
			return rateLimitRefused(release, err, out)
		}
		t.Run(version, func(t *testing.T) {
			v.Run(t)
			t.Run("accepts", func(t *testing.T) { v.Accepts(t, vendor.CaseDir) })
		})
	}
}

// rateLimitRefused: v1.8.0's BackendTrafficPolicy CRD declares rate limit
// requests as int32 with a maximum beyond int32, which the validation of
// Kubernetes 1.36 (internal/validate) refuses for every value; the
// implementation warns and names v1.8.2, which fixed it.
func rateLimitRefused(release *features.Release, err error, out implementations.Output) bool {
	if release.Version != "v1.8" || !strings.Contains(err.Error(), "Maximum boundary value must be of type integer with format int32 in spec.rateLimit.local.rules[") {
		return false
	}
	for _, f := range out.Findings {
		if strings.Contains(f.Message, "v1.8.2 fixed the CRD") {
			return true
		}
	}
	return false
}
