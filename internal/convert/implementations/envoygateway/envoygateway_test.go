package envoygateway_test

import (
	"testing"

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
