package carryover

import (
	"strings"
	"testing"

	"github.com/routeshift/routeshift/internal/convert/gatewayapi"
	"github.com/routeshift/routeshift/internal/convert/ingressnginx"
	"github.com/routeshift/routeshift/internal/load"
)

// run converts a stream the way fn does and carries it over.
func carry(t *testing.T, stream string, remove bool) Output {
	t.Helper()
	objs, err := load.ReadStream(strings.NewReader(stream), "in.yaml")
	if err != nil {
		t.Fatal(err)
	}
	model, _ := ingressnginx.Build(objs, ingressnginx.Options{ClassNames: []string{"nginx"}, IncludeUnclassed: true})
	targets := []*gatewayapi.Target{{Name: "public", Namespace: "gateway-system", Create: true, GatewayClassName: "eg"}}
	res, _ := gatewayapi.Emit(model, targets, objs, nil)
	var converted []*ingressnginx.Ingress
	for _, ing := range model.Ingresses {
		if ing.Served && !res.Failed[ing] {
			converted = append(converted, ing)
		}
	}
	return Run(Input{Converted: converted, Generated: res.Objects, Objects: objs, Targets: targets, Remove: remove,
		IngressClasses: []string{"nginx"}, IncludeUnclassed: true})
}

const web = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
  annotations:
    cert-manager.io/cluster-issuer: le
spec:
  ingressClassName: nginx
  tls:
  - hosts: [shop.example.com]
    secretName: shop-tls
  - hosts: [bad.example.com]
    secretName: Not_A_Name
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: 80
`

// Objects of the right kind with the wrong shapes are read as far as they
// go and never make the carry-over panic or rewrite them.
func TestHostileObjects(t *testing.T) {
	stream := web + `---
apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata:
  name: le
spec:
  acme:
    solvers: not-a-list
---
apiVersion: cert-manager.io/v1
kind: Issuer
metadata:
  name: odd
  namespace: shop
spec:
  acme:
    solvers:
    - just a string
    - http01: 42
    - http01:
        ingress: [class, nginx]
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: r1
  namespace: shop
spec:
  strategy:
    canary:
      trafficRouting:
        nginx: just-a-string
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: r2
  namespace: shop
spec:
  strategy:
    canary:
      stableService: [web]
      trafficRouting:
        nginx:
          stableIngress: 7
          stableIngresses: {web: true}
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: r3
  namespace: shop
spec:
  strategy: canary
---
apiVersion: flagger.app/v1beta1
kind: Canary
metadata:
  name: c1
  namespace: shop
spec:
  provider: nginx
  ingressRef: web
  service: [1, 2]
---
apiVersion: flagger.app/v1beta1
kind: Canary
metadata:
  name: c2
  namespace: shop
spec:
  provider: nginx
  ingressRef:
    name: web
  service: not-a-map
`
	for _, remove := range []bool{false, true} {
		out := carry(t, stream, remove)
		for o := range out.Replace {
			t.Errorf("remove=%v: rewrote %s, whose shape is wrong", remove, o.Ref())
		}
		var msgs []string
		for _, f := range out.Findings {
			msgs = append(msgs, f.Message)
		}
		all := strings.Join(msgs, "\n")
		if !strings.Contains(all, "Flagger: spec.service is not an object") {
			t.Errorf("remove=%v: Canary c2's service is not reported:\n%s", remove, all)
		}
		if !strings.Contains(all, `Secret name "Not_A_Name" is not a valid object name`) {
			t.Errorf("remove=%v: the invalid Secret name is not reported:\n%s", remove, all)
		}
		if len(out.Objects) != 1 || out.Objects[0].Name != "shop-tls" {
			t.Errorf("remove=%v: want the one valid Certificate, got %d objects", remove, len(out.Objects))
		}
	}
}
