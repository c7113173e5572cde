package registry_test

import (
	"slices"
	"sort"
	"testing"

	"github.com/routeshift/routeshift/internal/annotations"
	"github.com/routeshift/routeshift/internal/convert/implementations"
	"github.com/routeshift/routeshift/internal/convert/implementations/registry"
	_ "github.com/routeshift/routeshift/internal/golden"
)

// The spec.implementation values the configuration accepts, besides
// "standard".
var known = []string{"envoy-gateway", "istio", "kgateway", "nginx-gateway-fabric"}

func TestAllSortedUniqueKnown(t *testing.T) {
	var names []string
	for _, i := range registry.All() {
		names = append(names, i.Name())
	}
	if !sort.StringsAreSorted(names) || len(slices.Compact(slices.Clone(names))) != len(names) {
		t.Errorf("names %v are not sorted and unique", names)
	}
	for _, n := range names {
		if !slices.Contains(known, n) {
			t.Errorf("%q is not a spec.implementation value", n)
		}
		if i, ok := registry.Lookup(n); !ok || i.Name() != n {
			t.Errorf("Lookup(%q) = %v, %v", n, i, ok)
		}
	}
	if _, ok := registry.Lookup("standard"); ok {
		t.Error(`Lookup("standard") found an implementation`)
	}
	all := registry.All()
	all[0] = nil
	if registry.All()[0] == nil {
		t.Error("All returned its own slice")
	}
}

// TestTablesAgreeWithCatalogue: every annotation an implementation
// supports or explains is in the catalogue under its own name, is never an
// Unsafe one (those are never translated), and is not one that Core
// Gateway API carries. Extended ones are allowed: proxy-next-upstream's
// HTTPRoute retry is experimental-channel only, and the vendor policies
// carry it where the standard conversion does not. So are NotApplicable
// ones (no effect on routing, such as proxy-buffering): the standard
// conversion has nothing to carry, and NGINX Gateway Fabric writes the
// same nginx directive.
func TestTablesAgreeWithCatalogue(t *testing.T) {
	for _, impl := range registry.All() {
		check := func(name, where string) {
			e, ok := annotations.Lookup(name)
			if !ok {
				t.Errorf("%s: %s %q is not in the catalogue", impl.Name(), where, name)
				return
			}
			if e.HasTag(annotations.Unsafe) {
				t.Errorf("%s: %s %q is Unsafe", impl.Name(), where, name)
			}
			if where == "Supports" && !e.HasTag(annotations.Policy) && !e.HasTag(annotations.Experimental) && !e.HasTag(annotations.Extended) && !e.HasTag(annotations.NotApplicable) {
				t.Errorf("%s: supports %q, tagged %v: the standard conversion owns it", impl.Name(), name, e.Tags)
			}
		}
		for name := range impl.Supports() {
			check(name, "Supports")
		}
		if e, ok := impl.(implementations.Explainer); ok {
			for name := range e.Unsupported() {
				check(name, "Unsupported")
			}
		}
	}
}
