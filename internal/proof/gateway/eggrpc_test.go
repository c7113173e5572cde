package gateway

import (
	"testing"

	"github.com/routeshift/routeshift/internal/proof/internal/kube"
	"github.com/routeshift/routeshift/internal/proof/routing"
)

// TestEnvoyGatewayGRPCRoutesShareTheTable: Envoy Gateway puts GRPCRoute
// matches in the listener's one route table as plain path matches, sorted
// with the HTTPRoutes' (a service alone is the prefix "/<service>"), so
// any request whose path they match reaches them, gRPC or not; the other
// models keep GRPCRoutes for gRPC requests (content-type application/grpc),
// tried before the HTTPRoutes. egctl_test.go checks the same against
// egctl's route tables.
func TestEnvoyGatewayGRPCRoutesShareTheTable(t *testing.T) {
	objs, err := kube.ReadStream([]byte(`apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: public, namespace: gw}
spec:
  gatewayClassName: x
  listeners: [{name: http, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: greeter, namespace: apps}
spec:
  parentRefs: [{name: public, namespace: gw}]
  hostnames: [grpc.example.com]
  rules:
  - matches: [{method: {service: helloworld.Greeter}}]
    backendRefs: [{name: greeter, port: 50051}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: apps}
spec:
  parentRefs: [{name: public, namespace: gw}]
  hostnames: [grpc.example.com]
  rules:
  - matches: [{path: {type: PathPrefix, value: /helloworld.Greeter/SayHello}}]
    backendRefs: [{name: web-long, port: 80}]
  - matches: [{path: {type: PathPrefix, value: /}}]
    backendRefs: [{name: web, port: 80}]
`), "routes.yaml")
	if err != nil {
		t.Fatal(err)
	}
	grpc := []routing.KV{{Name: "content-type", Value: "application/grpc"}}
	for _, c := range []struct {
		impl    Implementation
		path    string
		headers []routing.KV
		want    string
	}{
		// The HTTPRoute's longer prefix sorts first, gRPC or not.
		{EnvoyGateway, "/helloworld.Greeter/SayHello", grpc, "web-long"},
		// The GRPCRoute's "/helloworld.Greeter" sorts before "/", and
		// takes a request that is not gRPC.
		{EnvoyGateway, "/helloworld.Greeter/Other", nil, "greeter"},
		// Path-separated: "/helloworld.GreeterX" is not under it.
		{EnvoyGateway, "/helloworld.GreeterX", grpc, "web"},
		{Spec, "/helloworld.Greeter/SayHello", grpc, "greeter"},
		{Spec, "/helloworld.Greeter/Other", nil, "web"},
		{Istio, "/helloworld.Greeter/Other", nil, "web"},
	} {
		m, err := Build(objs, Options{Implementation: c.impl})
		if err != nil {
			t.Fatal(err)
		}
		r := routing.Request{Scheme: "http", Host: "grpc.example.com", Path: c.path, Method: "POST", Headers: c.headers}.Normalize()
		o := m.Evaluate(r)
		got := string(o.Kind)
		if o.Kind == routing.Forward {
			got = o.Backends[0].Service
		}
		if got != c.want {
			t.Errorf("%q: %s %v: got %s, want %s", c.impl, c.path, c.headers, o, c.want)
		}
	}
}
