package fn

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/routeshift/routeshift/internal/load"
)

// TestRegexModePrefixIsWarnedWhereShadowed: golden case
// rewrite-prefix-idiom converted for each implementation. A capture rewrite
// is PathPrefix + ReplacePrefixMatch beside the host's RegularExpression
// matches; where the implementation tries regular expressions first that
// prefix loses its requests to "(?i)^/.*", and the converter says so,
// naming who does it. Envoy Gateway gets a regex rewrite instead (exact:
// no warning, no PathPrefix), Istio tries the prefix first (only the
// case-sensitivity the rewrite's own warning names differs).
func TestRegexModePrefixIsWarnedWhereShadowed(t *testing.T) {
	input, err := os.ReadFile("../testdata/cases/rewrite-prefix-idiom/input.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for impl, want := range map[string]string{
		"standard":             "Envoy Gateway, kgateway and NGINX Gateway Fabric try regular expressions first",
		"kgateway":             "kgateway tries regular expressions first",
		"nginx-gateway-fabric": "NGINX Gateway Fabric tries regular expressions first",
		"istio":                "",
		"envoy-gateway":        "",
	} {
		objs, err := load.ReadStream(strings.NewReader(string(input)), "input.yaml")
		if err != nil {
			t.Fatal(err)
		}
		spec := Defaults()
		spec.Implementation = impl
		out, findings, _ := Convert(objs, spec, false)
		var shadow []string
		for _, f := range findings {
			if strings.Contains(f.Message, "leaves their precedence to the implementation") {
				shadow = append(shadow, f.Message)
			}
		}
		switch {
		case want == "" && len(shadow) > 0:
			t.Errorf("%s: warned where nothing is shadowed: %q", impl, shadow)
		case want != "" && (len(shadow) != 1 || !strings.Contains(shadow[0], want) ||
			!strings.Contains(shadow[0], `PathPrefix /api, beside the RegularExpression "(?i)^/.*" of Ingress shop/web`)):
			t.Errorf("%s: want one warning saying %q, got %q", impl, want, shadow)
		}
		var buf bytes.Buffer
		if err := load.WriteStream(&buf, out); err != nil {
			t.Fatal(err)
		}
		if prefix := strings.Contains(buf.String(), "type: PathPrefix"); prefix != (impl != "envoy-gateway") {
			t.Errorf("%s: a PathPrefix match in the output: %v", impl, prefix)
		}
	}
}
