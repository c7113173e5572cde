package envoygateway_test

import (
	"os"
	"path/filepath"
	"testing"

	sigsyaml "sigs.k8s.io/yaml"

	"github.com/routeshift/routeshift/internal/convert/implementations/envoygateway"
	"github.com/routeshift/routeshift/internal/validate"
)

// TestRegexRewriteValidates checks the HTTPRouteFilter against Envoy
// Gateway's own CRD (v1.9.1, testdata/implementations/crds), and that the
// CRD refuses one without a pattern, so the check can fail.
func TestRegexRewriteValidates(t *testing.T) {
	path := "../../../../testdata/implementations/crds/envoy-gateway/gateway.envoyproxy.io_httproutefilters.yaml"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	v, err := validate.NewFromCRDs(map[string][]byte{filepath.Base(path): data})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		pattern string
		valid   bool
	}{
		{`(?i)^.*?(?:/foo/bar/(.+)).*`, true},
		{"", false},
	} {
		obj := envoygateway.RegexRewrite("shop", "web-rewrite-0123456789", tc.pattern, `/new/backend/\1`)
		if obj.Kind != "HTTPRouteFilter" || obj.APIVersion != "gateway.envoyproxy.io/v1alpha1" {
			t.Fatalf("got %s %s", obj.APIVersion, obj.Kind)
		}
		doc, err := sigsyaml.Marshal(obj.Value)
		if err != nil {
			t.Fatal(err)
		}
		errs, err := v.ValidateYAML(doc)
		if err != nil {
			t.Fatal(err)
		}
		if (len(errs) == 0) != tc.valid {
			t.Errorf("pattern %q: errors %v, want valid=%v", tc.pattern, errs, tc.valid)
		}
	}
}
