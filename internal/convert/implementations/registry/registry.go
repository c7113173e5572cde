package registry

import (
	"github.com/routeshift/routeshift/internal/convert/implementations"
	"github.com/routeshift/routeshift/internal/convert/implementations/envoygateway"
	"github.com/routeshift/routeshift/internal/convert/implementations/istio"
	"github.com/routeshift/routeshift/internal/convert/implementations/kgateway"
	"github.com/routeshift/routeshift/internal/convert/implementations/nginxgatewayfabric"
)

// all is sorted by name.
var all = []implementations.Implementation{
	envoygateway.Implementation,
	istio.Implementation,
	kgateway.Implementation,
	nginxgatewayfabric.Implementation,
}

// All returns every implementation, sorted by name. "standard" is not
// among them: it emits no policies.
func All() []implementations.Implementation {
	return append([]implementations.Implementation(nil), all...)
}

// Lookup returns the implementation whose Name is name.
func Lookup(name string) (implementations.Implementation, bool) {
	for _, i := range all {
		if i.Name() == name {
			return i, true
		}
	}
	return nil, false
}
