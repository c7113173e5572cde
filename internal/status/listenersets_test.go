package status

import (
	"os"
	"strings"
	"testing"
)

// The per-namespace conversion's output: with the Secrets declared every
// route is Accepted through its ListenerSet; without them the ListenerSets
// and their routes are undecided (never rejected); without the Gateway's
// allowedListeners every ListenerSet is NotAllowed and its routes
// NoMatchingParent.
func TestListenerSetsOfTheConversion(t *testing.T) {
	b, err := os.ReadFile("../../testdata/cases/listenersets-per-namespace/expected.yaml")
	if err != nil {
		t.Fatal(err)
	}
	out := string(b)
	const declared = "gatewayClasses: [example]\nservices: [shop/storefront, shop/cart, blog/posts, api/shop-api, api/status, secrets/vault]\n"
	viaSet := func(rep Report) map[string]Condition {
		got := map[string]Condition{}
		for _, r := range rep.Routes {
			for _, p := range r.Parents {
				if p.Kind == kindListenerSet {
					got[r.Kind+" "+r.Namespace+"/"+r.Name] = p.Conditions[0]
				}
			}
		}
		return got
	}

	rep := runYAML(t, out, declared+"secrets: [shop/shop-tls, blog/blog-tls]\n")
	if got := viaSet(rep); len(got) != 5 {
		t.Fatalf("%d routes attach through a ListenerSet, want 5: %v", len(got), got)
	} else {
		for r, c := range got {
			if c.Status != True {
				t.Errorf("%s: %+v", r, c)
			}
		}
	}
	if len(rep.ListenerSets) != 4 { // three generated, and the blog team's own
		t.Errorf("%d ListenerSets reported, want 4", len(rep.ListenerSets))
	}

	for r, c := range viaSet(runYAML(t, out, declared)) {
		if c.Status == False {
			t.Errorf("without the Secrets %s is rejected: %+v", r, c)
		}
	}

	cut := strings.Replace(out, "  allowedListeners:\n", "  unused:\n", 1)
	if cut == out {
		t.Fatal("the Gateway has no allowedListeners")
	}
	rep = runYAML(t, cut, declared+"secrets: [shop/shop-tls, blog/blog-tls]\n")
	for r, c := range viaSet(rep) {
		if c.Status != False || c.Reason != "NoMatchingParent" {
			t.Errorf("without allowedListeners %s: %+v", r, c)
		}
	}
	for _, ls := range rep.ListenerSets {
		if ls.Parent != "infra/shared" {
			continue // the blog team's own
		}
		if c := ls.Conditions[0]; c.Status != False || c.Reason != "NotAllowed" {
			t.Errorf("without allowedListeners ListenerSet %s/%s: %+v", ls.Namespace, ls.Name, c)
		}
	}
}
