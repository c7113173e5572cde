package istio_test

import (
	"fmt"
	"slices"
	"sort"
	"testing"

	"github.com/routeshift/routeshift/internal/convert/implementations"
	"github.com/routeshift/routeshift/internal/convert/implementations/internal/casetest"
	"github.com/routeshift/routeshift/internal/convert/implementations/istio"
	_ "github.com/routeshift/routeshift/internal/golden"
)

var vendor = casetest.Vendor{
	Impl:    istio.Implementation,
	CRDDir:  "../../../../testdata/implementations/crds/istio",
	CaseDir: "../../../../testdata/implementations/istio",
	Samples: map[string]map[string]string{
		"allowlist-source-range":  {"allowlist-source-range": "10.0.0.0/8"},
		"whitelist-source-range":  {"whitelist-source-range": "10.0.0.0/8"},
		"denylist-source-range":   {"denylist-source-range": "192.168.0.0/16"},
		"affinity":                {"affinity": "cookie"},
		"session-cookie-name":     {"affinity": "cookie", "session-cookie-name": "route"},
		"session-cookie-max-age":  {"affinity": "cookie", "session-cookie-max-age": "172800"},
		"session-cookie-expires":  {"affinity": "cookie", "session-cookie-expires": "172800"},
		"session-cookie-path":     {"affinity": "cookie", "session-cookie-path": "/app"},
		"session-cookie-domain":   {"affinity": "cookie", "session-cookie-domain": ".example.com"},
		"session-cookie-samesite": {"affinity": "cookie", "session-cookie-samesite": "Lax"},
		"session-cookie-secure":   {"affinity": "cookie", "session-cookie-secure": "true"},
		"upstream-hash-by":        {"upstream-hash-by": "$remote_addr"},
		"load-balance":            {"load-balance": "ewma"},
	},
	// Istio's objects attach to the route's Gateway and Services, which
	// casetest's default sample route does not name.
	SampleRoutes: []implementations.Route{{
		Namespace: "shop", Name: "web-example-com", Hostnames: []string{"example.com"},
		Parents:  []implementations.Parent{{Namespace: "gateway-system", Name: "public", SectionName: "http"}},
		Paths:    []implementations.PathMatch{{Type: "PathPrefix", Value: "/app"}},
		Backends: []implementations.Backend{{Namespace: "shop", Name: "web", Port: 80}},
	}},
	Verify: sharedDestinationRules,
}

// sharedDestinationRules: only a DestinationRule is Shared, and in a
// sample or hostile run it carries exactly the handled annotations.
func sharedDestinationRules(out implementations.Output, sample bool) []string {
	var problems []string
	handled := make([]string, 0, len(out.Handled))
	for name := range out.Handled {
		handled = append(handled, name)
	}
	sort.Strings(handled)
	for _, o := range out.Objects {
		isDR := o.Kind == "DestinationRule"
		if shared := len(o.Shared) > 0; shared != isDR {
			problems = append(problems, fmt.Sprintf("%s %s/%s: Shared = %v", o.Kind, o.Namespace, o.Name, o.Shared))
		}
		if sample && isDR && !slices.Equal(o.Shared, handled) {
			problems = append(problems, fmt.Sprintf("DestinationRule Shared = %v, Handled %v", o.Shared, handled))
		}
	}
	return problems
}

// TestIstio runs the golden cases under testdata/implementations/istio,
// the Supports/Translate agreement and the hostile values, validating
// every object against the istio.io/api v1.31.1 CRDs.
func TestIstio(t *testing.T) {
	vendor.Run(t)
}

func TestName(t *testing.T) {
	if got := istio.Implementation.Name(); got != "istio" {
		t.Errorf("Name() = %q", got)
	}
}
