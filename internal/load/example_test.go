package load_test

import (
	"fmt"
	"log"
	"os"
	"strings"

	"github.com/routeshift/routeshift/internal/load"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Objects read from a stream are written back from their own text, so
// comments and formatting survive; changed and generated objects are
// encoded.
func Example() {
	in := `# shop
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web,   namespace: shop}   # kept as written
---
apiVersion: v1
kind: Service
metadata:
    name: web
`
	objs, err := load.ReadStream(strings.NewReader(in), "shop.yaml")
	if err != nil {
		log.Fatal(err)
	}
	for _, o := range objs {
		fmt.Println(o.Ref())
	}

	// Change the Service: it is encoded from now on.
	svc := objs[1]
	svc.Node.Content = append(svc.Node.Content,
		&yaml.Node{Kind: yaml.ScalarNode, Value: "spec"},
		&yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle})
	svc.MarkChanged()

	// Add a generated object.
	var route yaml.Node
	if err := yaml.Unmarshal([]byte("apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: web\n"), &route); err != nil {
		log.Fatal(err)
	}
	objs = append(objs, load.NewObject(route.Content[0], load.Source{Path: "generated"}))

	if err := load.WriteStream(os.Stdout, objs); err != nil {
		log.Fatal(err)
	}
	// Output:
	// Ingress shop/web (shop.yaml[0])
	// Service web (shop.yaml[1])
	// # shop
	// apiVersion: networking.k8s.io/v1
	// kind: Ingress
	// metadata: {name: web,   namespace: shop}   # kept as written
	// ---
	// apiVersion: v1
	// kind: Service
	// metadata:
	//   name: web
	// spec: {}
	// ---
	// apiVersion: gateway.networking.k8s.io/v1
	// kind: HTTPRoute
	// metadata:
	//   name: web
}

// A KRM function reads its input with ReadResourceList and writes the
// result with WriteResourceList; unchanged items are copied as they came.
func ExampleWriteResourceList() {
	in := `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- apiVersion: v1
  kind: Service
  metadata:
    name: web # unchanged
    annotations:
      internal.config.kubernetes.io/path: 'shop/web.yaml'
      internal.config.kubernetes.io/index: '1'
functionConfig:
  apiVersion: v1
  kind: ConfigMap
  metadata: {name: config}
`
	rl, err := load.ReadResourceList([]byte(in))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rl.Items[0].Ref(), "configured by", rl.FunctionConfig.Name())
	if err := load.WriteResourceList(os.Stdout, rl.Items, nil); err != nil {
		log.Fatal(err)
	}
	// Output:
	// Service web (shop/web.yaml[1]) configured by config
	// apiVersion: config.kubernetes.io/v1
	// kind: ResourceList
	// items:
	// - apiVersion: v1
	//   kind: Service
	//   metadata:
	//     name: web # unchanged
	//     annotations:
	//       internal.config.kubernetes.io/path: 'shop/web.yaml'
	//       internal.config.kubernetes.io/index: '1'
}
