package fn

import (
	"strings"
	"testing"

	"github.com/routeshift/routeshift/internal/load"
)

// The ExternalDNS prefix comes from the IngressToGateway field or the
// ConfigMap key, with or without its trailing '/'.
func TestExternalDNSPrefixConfig(t *testing.T) {
	for _, c := range []struct{ config, want string }{
		{"apiVersion: routeshift.dev/v1alpha1\nkind: IngressToGateway\nmetadata: {name: x}\nspec:\n  externalDNS:\n    annotationPrefix: external-dns.kubernetes.io\n", "external-dns.kubernetes.io/"},
		{"apiVersion: routeshift.dev/v1alpha1\nkind: IngressToGateway\nmetadata: {name: x}\nspec:\n  externalDNS:\n    annotationPrefix: dns.example.com/\n", "dns.example.com/"},
		{"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  externalDNSAnnotationPrefix: external-dns.alpha.kubernetes.io/\n", "external-dns.alpha.kubernetes.io/"},
		{"apiVersion: routeshift.dev/v1alpha1\nkind: IngressToGateway\nmetadata: {name: x}\nspec: {}\n", ""},
	} {
		objs, err := load.ReadStream(strings.NewReader(c.config), "config.yaml")
		if err != nil {
			t.Fatal(err)
		}
		spec, err := ParseConfig(objs[0])
		if err != nil {
			t.Fatalf("%s: %v", c.config, err)
		}
		if got := spec.externalDNSPrefix(); got != c.want {
			t.Errorf("%s: prefix %q, want %q", c.config, got, c.want)
		}
	}
}
