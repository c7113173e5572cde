package istio

import (
	"maps"

	"github.com/routeshift/routeshift/internal/convert/implementations"
	"github.com/routeshift/routeshift/internal/convert/implementations/internal/policy"
)

// Implementation is Istio, spec.implementation "istio".
var Implementation implementations.Implementation = impl{}

type impl struct{}

var _ implementations.Explainer = impl{}

func (impl) Name() string { return "istio" }

// Supports returns a copy, so callers cannot change what Translate reports.
func (impl) Supports() map[string]implementations.Handling { return maps.Clone(supports) }

func (impl) Unsupported() map[string]string { return maps.Clone(unsupported) }

// Translate emits one AuthorizationPolicy per Gateway the Ingress's routes
// attach to (source ranges) and one DestinationRule per Service they
// forward to (load balancing and cookie affinity). Neither attaches to an
// HTTPRoute, which Istio's policies cannot target: see the package comment.
func (impl) Translate(in implementations.Input) implementations.Output {
	b := policy.New(in)
	sourceRanges(b)
	carried := loadBalancing(b)
	out := b.Output()
	for i := range out.Objects {
		if out.Objects[i].Kind == dr {
			// One DestinationRule serves every Ingress using the Service;
			// the converter reconciles them (Object.Shared).
			out.Objects[i].Shared = carried
		}
	}
	return out
}

// handle records the static handling of an annotation.
func handle(b *policy.Builder, name string) {
	b.Handle(name, supports[name])
}

// noEffect records an annotation whose value nginx ignores in this
// combination (see policy.Builder.NoEffect).
func noEffect(b *policy.Builder, name, why string) { b.NoEffect(name, supports[name], why) }
