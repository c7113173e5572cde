package nginx

import (
	"strconv"

	"github.com/routeshift/routeshift/internal/load"
	"github.com/routeshift/routeshift/internal/proof/internal/kube"
	"github.com/routeshift/routeshift/internal/proof/routing"
	networkingv1 "k8s.io/api/networking/v1"
)

// servicePortIndex maps namespace/service/port-name to the port number, for
// Ingress backends that name their port.
type servicePortIndex map[string]int32

func servicePorts(objs []*load.Object) servicePortIndex {
	idx := servicePortIndex{}
	for _, o := range objs {
		if o.Kind() != "Service" || o.APIVersion() != "v1" {
			continue
		}
		// Only named ports matter; reading them off the tree is much
		// cheaper than decoding every Service of a large input.
		tree, err := o.Tree() // the object may have been thinned
		if err != nil {
			continue // as a broken Service: its names stay unresolved
		}
		ports := load.Lookup(tree, "spec", "ports")
		if ports == nil {
			continue
		}
		for _, p := range ports.Content {
			name := load.Lookup(p, "name")
			port := load.Lookup(p, "port")
			if name == nil || port == nil || name.Value == "" {
				continue
			}
			n, err := strconv.ParseInt(port.Value, 10, 32)
			if err != nil {
				continue // a broken Service only leaves names unresolved
			}
			idx[kube.Namespace(o)+"/"+o.Name()+"/"+name.Value] = int32(n)
		}
	}
	return idx
}

func (idx servicePortIndex) backend(ns string, svc *networkingv1.IngressServiceBackend) routing.Backend {
	b := routing.Backend{Namespace: ns, Service: svc.Name, Port: svc.Port.Number, Weight: 1}
	if svc.Port.Name != "" {
		if n, ok := idx[ns+"/"+svc.Name+"/"+svc.Port.Name]; ok {
			b.Port = n
		} else {
			b.PortName = svc.Port.Name
		}
	}
	return b
}

// upstream names a backend the way the controller names an upstream: one
// per Service port, shared by every location that uses it.
func upstream(b routing.Backend) string {
	port := b.PortName
	if port == "" {
		port = strconv.Itoa(int(b.Port))
	}
	return b.Namespace + "/" + b.Service + ":" + port
}
