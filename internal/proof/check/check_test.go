package check

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/routeshift/routeshift/internal/proof/internal/kube"
)

func objects(t *testing.T, text string) []*kube.Object {
	t.Helper()
	objs, err := kube.ReadStream([]byte(text), "test.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return objs
}

const sideIngress = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  ingressClassName: nginx
  rules:
  - host: shop.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
`

const sideGateway = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: public, namespace: shop}
spec:
  gatewayClassName: eg
  listeners: [{name: http, port: 80, protocol: HTTP}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: shop}
spec:
  parentRefs: [{name: public}]
  hostnames: [shop.example.com]
  rules:
  - backendRefs: [{name: web-v2, port: 80}]
`

// TestSides: a dual-stack tree is compared through its Gateway API routes
// by default, through its Ingresses with side ingress, and both ways with
// side both.
func TestSides(t *testing.T) {
	before := Tree{Name: "before", Objects: objects(t, sideIngress)}
	after := Tree{Name: "after", Objects: objects(t, sideIngress+"---\n"+sideGateway)}
	for _, tc := range []struct {
		side        Side
		comparisons []string
		differ      bool
	}{
		{"", []string{"before (Ingress) -> after (Gateway API)"}, true},
		{SideIngress, []string{"before (Ingress) -> after (Ingress)"}, false},
		{SideBoth, []string{"before (Ingress) -> after (Ingress)", "before (Ingress) -> after (Gateway API)"}, true},
	} {
		rep, err := Run(before, after, Options{Side: tc.side})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range rep.Comparisons {
			got = append(got, c.Before+" -> "+c.After)
		}
		if strings.Join(got, "; ") != strings.Join(tc.comparisons, "; ") {
			t.Errorf("side %q: comparisons %q, want %q", tc.side, got, tc.comparisons)
		}
		if (rep.Differences > 0) != tc.differ {
			t.Errorf("side %q: %d differences", tc.side, rep.Differences)
		}
	}
	if _, err := Run(before, after, Options{Side: "sideways"}); err == nil {
		t.Error("an unknown side must be an error")
	}
}

// TestCorpusNeverPanics runs the check over the real-world and synthetic
// manifests of testdata/corpus, each against itself: whatever they hold,
// diff answers (or names the object it cannot read) and finds a tree equal
// to itself.
func TestCorpusNeverPanics(t *testing.T) {
	files, err := filepath.Glob("../../../testdata/corpus/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		objs, err := kube.ReadPaths([]string{f}, nil)
		if err != nil {
			continue // the loader's own tests cover unreadable files
		}
		for _, side := range []Side{SideGateway, SideIngress} {
			rep, err := Run(Tree{Name: f, Objects: objs}, Tree{Name: f, Objects: objs}, Options{Side: side})
			if err != nil {
				if !strings.Contains(err.Error(), filepath.Base(f)) {
					t.Errorf("%s: error does not name the file: %v", f, err)
				}
				continue
			}
			if rep.Differences != 0 {
				t.Errorf("%s: a tree differs from itself", f)
			}
		}
	}
}

// TestOldAPIVersionOfAnotherClass: a file with v1beta1 Ingresses of
// another class (one that does not even decode) is compared,
// not refused: diff exits 0 or 1 on it, as convert passes it through
// (issue 14).
func TestOldAPIVersionOfAnotherClass(t *testing.T) {
	other := `apiVersion: extensions/v1beta1
kind: Ingress
metadata: {name: alb, namespace: shop}
spec:
  ingressClassName: alb
  rules: {not: a list}
---
apiVersion: networking.k8s.io/v1beta1
kind: Ingress
metadata: {name: traefik, namespace: shop}
spec:
  ingressClassName: traefik
  rules:
  - host: t.example.com
    http:
      paths:
      - {path: /, backend: {serviceName: t, servicePort: 80}}
---
`
	before := Tree{Name: "before", Objects: objects(t, other+sideIngress)}
	after := Tree{Name: "after", Objects: objects(t, other+sideIngress)}
	rep, err := Run(before, after, Options{Side: SideIngress})
	if err != nil {
		t.Fatalf("an Ingress of another class stopped diff: %v", err)
	}
	if rep.Differences != 0 {
		t.Errorf("a tree differs from itself: %d", rep.Differences)
	}
}

// TestOctalPortIsADifference: 017 is 15 to the API server, as to the
// converter; diff once read 17 and called a changed port equivalent.
func TestOctalPortIsADifference(t *testing.T) {
	ingress := strings.Replace(sideIngress, "number: 80", "number: 017", 1)
	gw := func(port string) string {
		return strings.Replace(sideGateway, "web-v2, port: 80", "web, port: "+port, 1)
	}
	for port, differ := range map[string]bool{"15": false, "017": false, "0xF": false, "17": true} {
		rep, err := Run(Tree{Name: "before", Objects: objects(t, ingress)}, Tree{Name: "after", Objects: objects(t, gw(port))}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := rep.Differences > 0; got != differ {
			t.Errorf("Ingress port 017, HTTPRoute port %s: differences %d, want any: %v", port, rep.Differences, differ)
		}
	}
}

// TestUnquotedAnnotationIsRefused: the Ingress is refused, named, in the
// words every command uses.
func TestUnquotedAnnotationIsRefused(t *testing.T) {
	for _, v := range []string{"10", "on", "yes"} {
		ingress := strings.Replace(sideIngress, "metadata: {name: web, namespace: shop}",
			"metadata: {name: web, namespace: shop, annotations: {nginx.ingress.kubernetes.io/canary-weight: "+v+"}}", 1)
		_, err := Run(Tree{Name: "before", Objects: objects(t, ingress)}, Tree{Name: "after", Objects: objects(t, sideGateway)}, Options{})
		want := `Ingress shop/web (test.yaml[0]): metadata.annotations.nginx.ingress.kubernetes.io/canary-weight: value "` + v + `" is not a string`
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %s", v, err, want)
		}
	}
}
