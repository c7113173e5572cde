package nginx

import (
	"strconv"

	"github.com/routeshift/routeshift/internal/proof/internal/kube"
	"github.com/routeshift/routeshift/internal/proof/routing"
	networkingv1 "k8s.io/api/networking/v1"
)

// servicePortIndex maps namespace/service/port-name to the port number, for
// Ingress backends that name their port.
type servicePortIndex map[string]int32

func servicePorts(objs []*kube.Object) servicePortIndex {
	idx := servicePortIndex{}
	for _, o := range objs {
		if o.Kind() != "Service" || o.APIVersion() != "v1" {
			continue
		}
		// Only named ports matter, and only spec.ports is decoded, as the
		// converter reads a Service; a Service that does not decode only
		// leaves its names unresolved.
		data, err := o.JSON()
		if err != nil {
			continue
		}
		var svc struct {
			Spec struct {
				Ports []struct {
					Name string `json:"name"`
					Port int32  `json:"port"`
				} `json:"ports"`
			} `json:"spec"`
		}
		if kube.DecodeJSON(o, data, &svc) != nil {
			continue
		}
		for _, p := range svc.Spec.Ports {
			if p.Name != "" {
				idx[kube.Namespace(o)+"/"+o.Name()+"/"+p.Name] = p.Port
			}
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
