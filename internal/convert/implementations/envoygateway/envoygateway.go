package envoygateway

import (
	"maps"

	"github.com/routeshift/routeshift/internal/convert/implementations"
	"github.com/routeshift/routeshift/internal/convert/implementations/internal/policy"
)

// Implementation is Envoy Gateway, spec.implementation "envoy-gateway".
var Implementation implementations.Implementation = impl{}

type impl struct{}

var _ implementations.Explainer = impl{}

func (impl) Name() string { return "envoy-gateway" }

// Supports returns a copy, so callers cannot change what Translate reports.
func (impl) Supports() map[string]implementations.Handling { return maps.Clone(supports) }

func (impl) Unsupported() map[string]string { return maps.Clone(unsupported) }

// Translate emits at most one BackendTrafficPolicy and one SecurityPolicy
// per Ingress (Envoy Gateway applies one policy of a kind per route, so
// features must share it), plus the Secret and ReferenceGrant those need.
// The sections are independent: each reads its own annotations and writes
// its own part of a spec.
func (impl) Translate(in implementations.Input) implementations.Output {
	b := policy.New(in)
	bodySize(b)
	timeouts(b)
	rateLimits(b)
	retries(b)
	loadBalancing(b)
	sourceRanges(b)
	basicAuth(b)
	extAuth(b)
	return b.Output()
}

// handle records the static handling of an annotation.
func handle(b *policy.Builder, name string) {
	b.Handle(name, supports[name])
}

// noEffect records an annotation whose value nginx ignores in this
// combination (see policy.Builder.NoEffect).
func noEffect(b *policy.Builder, name, why string) { b.NoEffect(name, supports[name], why) }
