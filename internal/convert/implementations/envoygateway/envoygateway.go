package envoygateway

import (
	"github.com/routeshift/routeshift/internal/convert/features"
	"github.com/routeshift/routeshift/internal/convert/implementations"
	"github.com/routeshift/routeshift/internal/convert/implementations/internal/policy"
)

// Implementation is Envoy Gateway, spec.implementation "envoy-gateway",
// as its newest release with data accepts it; ForRelease gives the others.
var Implementation implementations.Implementation = impl{}

// impl targets release, or the newest release when it is nil.
type impl struct {
	release *features.Release
}

var (
	_ implementations.Explainer = impl{}
	_ implementations.Versioned = impl{}
)

func (impl) Name() string { return "envoy-gateway" }

// Supports returns a copy, so callers cannot change what Translate reports.
func (i impl) Supports() map[string]implementations.Handling { return i.table() }

func (i impl) Unsupported() map[string]string { return i.explanations() }

// Translate emits at most one BackendTrafficPolicy and one SecurityPolicy
// per Ingress (Envoy Gateway applies one policy of a kind per route, so
// features must share it), plus the Secret and ReferenceGrant those need.
// The sections are independent: each reads its own annotations and writes
// its own part of a spec.
func (i impl) Translate(in implementations.Input) implementations.Output {
	b := policy.New(in)
	bodySize(b)
	i.timeouts(b)
	i.rateLimits(b)
	retries(b)
	loadBalancing(b)
	sourceRanges(b)
	basicAuth(b)
	i.extAuth(b)
	return b.Output()
}

// handle records the static handling of an annotation.
func handle(b *policy.Builder, name string) {
	b.Handle(name, supports[name])
}

// noEffect records an annotation whose value nginx ignores in this
// combination (see policy.Builder.NoEffect).
func noEffect(b *policy.Builder, name, why string) { b.NoEffect(name, supports[name], why) }
