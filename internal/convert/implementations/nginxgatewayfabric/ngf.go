package nginxgatewayfabric

import (
	"maps"
	"sort"
	"strconv"

	"github.com/routeshift/routeshift/internal/convert/implementations"
	"github.com/routeshift/routeshift/internal/convert/implementations/internal/policy"
)

// Implementation is NGINX Gateway Fabric, spec.implementation
// "nginx-gateway-fabric".
var Implementation implementations.Implementation = impl{}

type impl struct{}

var _ implementations.Explainer = impl{}

func (impl) Name() string { return "nginx-gateway-fabric" }

// Supports returns a copy, so callers cannot change what Translate reports.
func (impl) Supports() map[string]implementations.Handling { return maps.Clone(supports) }

func (impl) Unsupported() map[string]string { return maps.Clone(unsupported) }

// Translate emits a ClientSettingsPolicy per route, a ProxySettingsPolicy
// and a RateLimitPolicy per 16 routes, an AuthenticationFilter and a
// SnippetsFilter referenced from the routes' rules, and an
// UpstreamSettingsPolicy per Service. The sections are independent: each
// reads its own part of the Intent.
func (impl) Translate(in implementations.Input) implementations.Output {
	b := policy.New(in)
	bodySize(b)
	proxy := map[string]any{}
	timeouts(b, proxy)
	buffering(b, proxy)
	attach(b, psp, proxy)
	rateLimits(b)
	carried := balancing(b)
	basicAuth(b)
	sourceRanges(b)
	out := b.Output()
	for i := range out.Objects {
		switch out.Objects[i].Kind {
		case usp:
			// One UpstreamSettingsPolicy serves every Ingress using the
			// Service; the converter reconciles them (Object.Shared).
			out.Objects[i].Shared = carried
		case af, sf:
			out.Objects[i].RouteFilter = true
		}
	}
	return out
}

// handle records the static handling of an annotation.
func handle(b *policy.Builder, name string) { b.Handle(name, supports[name]) }

// noEffect records an annotation whose value nginx ignores in this
// combination (see policy.Builder.NoEffect).
func noEffect(b *policy.Builder, name, why string) { b.NoEffect(name, supports[name], why) }

// maxTargets is the CRDs' maxItems on targetRefs.
const maxTargets = 16

// attach emits spec (when not empty) as a policy of kind targeting the
// Ingress's routes: one per namespace and 16 routes, named after the
// Ingress, then "-2", "-3", ... as routeshift splits routes.
func attach(b *policy.Builder, kind string, spec map[string]any) {
	if len(spec) == 0 {
		return
	}
	byNS := map[string][]implementations.Route{}
	for _, r := range b.Input().Routes {
		byNS[r.Namespace] = append(byNS[r.Namespace], r)
	}
	namespaces := make([]string, 0, len(byNS))
	for ns := range byNS {
		namespaces = append(namespaces, ns)
	}
	sort.Strings(namespaces)
	for _, ns := range namespaces {
		routes := byNS[ns]
		for i := 0; i*maxTargets < len(routes); i++ {
			chunk := routes[i*maxTargets : min((i+1)*maxTargets, len(routes))]
			s := maps.Clone(spec)
			s["targetRefs"] = policy.TargetRefs(chunk)
			name := b.Name("")
			if i > 0 {
				name = b.Name(strconv.Itoa(i + 1))
			}
			b.Add(apiVersion, kind, ns, name, map[string]any{"spec": s})
		}
	}
}
