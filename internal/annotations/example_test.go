package annotations_test

import (
	"fmt"

	"github.com/routeshift/routeshift/internal/annotations"
)

func Example() {
	keys := []string{
		"nginx.ingress.kubernetes.io/rewrite-target",
		"nginx.ingress.kubernetes.io/rewite-target",
		"kubernetes.io/ingress.class",
		"traefik.ingress.kubernetes.io/router.entrypoints",
		"cert-manager.io/cluster-issuer",
	}
	for _, key := range keys {
		class := annotations.Classify(key, annotations.DefaultPrefix)
		if class != annotations.ClassNginx {
			fmt.Printf("%s: %s\n", key, class)
			continue
		}
		name, _ := annotations.Split(key, annotations.DefaultPrefix)
		e, _ := annotations.Lookup(name)
		fmt.Printf("%s: %s, tags %v, risk %s, scope %s\n", key, class, e.Tags, e.Risk, e.Scope)
	}
	// Output:
	// nginx.ingress.kubernetes.io/rewrite-target: nginx, tags [EXT POLICY], risk Medium, scope Ingress
	// nginx.ingress.kubernetes.io/rewite-target: nginx-unknown
	// kubernetes.io/ingress.class: ingress-class
	// traefik.ingress.kubernetes.io/router.entrypoints: other-controller
	// cert-manager.io/cluster-issuer: foreign
}

func ExampleLookup() {
	e, _ := annotations.Lookup("whitelist-source-range")
	target, _ := annotations.Lookup(e.AliasOf)
	fmt.Println(e.Name, "->", target.Name, target.Tag(), target.Risk)
	// Output:
	// whitelist-source-range -> allowlist-source-range POLICY Medium
}
