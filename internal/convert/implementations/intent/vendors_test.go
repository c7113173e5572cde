package intent_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// parsing is what reading an annotation looks like: its raw value, or one
// of internal/value's parsers. Vendors map Intent instead; only
// backend-protocol, which the standard conversion owns, is read raw (to
// know a gRPC backend).
var parsing = regexp.MustCompile(`\.Raw\(|value\.(Size|Seconds|Int|Bool|CIDRs|Token|Tokens|CookiePath|CookieDomain|SameSite|ObjectRef|ServiceURL|Realm|HashBy)\(|Annotations\["[a-z-]+"\]`)

// TestVendorsReadIntentOnly keeps the families parsed once: no vendor
// package, nor the Envoy helpers they share, parses a policy annotation
// itself.
func TestVendorsReadIntentOnly(t *testing.T) {
	dirs := []string{"../envoygateway", "../istio", "../kgateway", "../nginxgatewayfabric", "../internal/envoy"}
	for _, dir := range dirs {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: no Go files (%v)", dir, err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for i, line := range strings.Split(string(data), "\n") {
				if m := parsing.FindString(line); m != "" && !strings.Contains(line, `Annotations["backend-protocol"]`) {
					t.Errorf("%s:%d parses an annotation (%s); read it in package intent", f, i+1, m)
				}
			}
		}
	}
}
