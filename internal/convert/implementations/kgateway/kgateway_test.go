package kgateway_test

import (
	"testing"

	"github.com/routeshift/routeshift/internal/convert/implementations/internal/casetest"
	"github.com/routeshift/routeshift/internal/convert/implementations/kgateway"
	_ "github.com/routeshift/routeshift/internal/golden"
)

var vendor = casetest.Vendor{
	Impl:          kgateway.Implementation,
	CRDDir:        "../../../../testdata/implementations/crds/kgateway",
	CaseDir:       "../../../../testdata/implementations/kgateway",
	SampleSecrets: casetest.BasicAuthSecrets(),
	Samples: map[string]map[string]string{
		"proxy-body-size":             {"proxy-body-size": "8m"},
		"proxy-read-timeout":          {"proxy-read-timeout": "120"},
		"proxy-send-timeout":          {"proxy-send-timeout": "30s"},
		"proxy-next-upstream":         {"proxy-next-upstream": "error timeout http_502"},
		"proxy-next-upstream-tries":   {"proxy-next-upstream-tries": "5"},
		"proxy-next-upstream-timeout": {"proxy-next-upstream-timeout": "10"},
		"auth-type":                   {"auth-type": "basic", "auth-secret": "basic-auth"},
		"auth-secret":                 {"auth-type": "basic", "auth-secret": "basic-auth"},
		"auth-secret-type":            {"auth-type": "basic", "auth-secret": "basic-map", "auth-secret-type": "auth-map"},
		"auth-realm":                  {"auth-type": "basic", "auth-secret": "basic-auth", "auth-realm": "Authentication Required"},
		"auth-url":                    {"auth-url": "http://authz.auth.svc.cluster.local:8080/"},
		"auth-response-headers":       {"auth-url": "http://authz.shop:8080", "auth-response-headers": "X-User, X-Email"},
	},
}

// TestKgateway runs the golden cases under testdata/implementations/kgateway,
// the Supports/Translate agreement and the hostile values, validating every
// object against the v2.2.0 CRDs.
func TestKgateway(t *testing.T) {
	vendor.Run(t)
}

func TestName(t *testing.T) {
	if got := kgateway.Implementation.Name(); got != "kgateway" {
		t.Errorf("Name() = %q", got)
	}
}
