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

// An application repository holds its ListenerSet and routes; the Gateway
// is the platform's, declared with its allowedListeners.
func TestListenerSetOnDeclaredGateway(t *testing.T) {
	tree := `apiVersion: gateway.networking.k8s.io/v1
kind: ListenerSet
metadata: {name: shop, namespace: shop}
spec:
  parentRef: {name: shared, namespace: infra}
  listeners:
  - {name: https, port: 443, protocol: HTTPS, hostname: shop.example.com, tls: {certificateRefs: [{name: shop-tls}]}}
---
` + routeYAML("HTTPRoute", "shop", "web", "parentRefs: [{kind: ListenerSet, name: shop, sectionName: https}], hostnames: [shop.example.com], rules: [{backendRefs: [{name: web, port: 80}]}]")
	declared := func(allowed string) string {
		return "gateways:\n- namespace: infra\n  name: shared\n  listeners: [{name: http, port: 80, protocol: HTTP}]\n" + allowed +
			"secrets: [shop/shop-tls]\nservices: [shop/web]\n"
	}
	for _, tc := range []struct {
		allowed string
		want    Status
		reason  string
	}{
		{"  allowedListeners: {namespaces: {from: All}}\n", True, "Accepted"},
		{"  allowedListeners: {namespaces: {from: Same}}\n", False, "NoMatchingParent"},
		{"", Unknown, "Pending"},
	} {
		rep := runYAML(t, tree, declared(tc.allowed))
		c, err := conditionAt(rep, "parent HTTPRoute shop/web 0", condAccepted)
		if err != nil {
			t.Fatal(err)
		}
		if c.Status != tc.want || c.Reason != tc.reason {
			t.Errorf("%q: route %+v, want %s %s", tc.allowed, c, tc.want, tc.reason)
		}
		if tc.want == True {
			if l := listenerAt(rep, "ls:shop/shop/https"); l == nil || l.AttachedRoutes != 1 || get(l.Conditions, condResolvedRefs).Status != True {
				t.Errorf("the ListenerSet's listener: %+v", l)
			}
		}
	}
}
