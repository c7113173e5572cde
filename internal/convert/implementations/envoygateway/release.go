package envoygateway

import (
	"maps"

	"github.com/routeshift/routeshift/internal/convert/features"
	"github.com/routeshift/routeshift/internal/convert/implementations"
)

// Fields that Translate writes and that not every release with data
// (features.Versions) has, with the release line that added them. They were
// found by validating every golden case's and sample's output against each
// release's CRDs (testdata/implementations/releases), which the tests
// repeat, so a field missing here fails them.
const (
	// SecurityPolicy spec.extAuth.http.pathOverride: v1.7.0's CRD has
	// only path, which Envoy prefixes to the request's path.
	pathOverrideSince = "v1.8"
	// BackendTrafficPolicy spec.timeout.http.streamIdleTimeout.
	streamIdleTimeoutSince = "v1.8"
)

// rateLimitFixed is the first patch release of v1.8 whose
// BackendTrafficPolicy CRD Kubernetes 1.36 accepts with a rate limit:
// v1.8.0 declares spec.rateLimit.*.rules[].limit.requests as format int32
// with maximum 4294967295, and Kubernetes 1.36 checks the maximum against
// the format, refusing every value. v1.8.2 carries the fix (envoyproxy/gateway
// commit 6c2e80d515, "cherry-pick for v1.8.2", of a21fd29825, "fix rate
// limit validation on K8s 1.36"); v1.9.0 has it.
const rateLimitFixed = 2

// ForRelease returns Envoy Gateway as release r accepts it.
func (impl) ForRelease(r *features.Release) implementations.Implementation {
	return impl{release: r}
}

// lacks reports whether the target release predates the line since.
func (i impl) lacks(since string) bool { return i.release != nil && i.release.Before(since) }

// table is Supports for the target release: what an older release cannot
// carry leaves it (Unsupported says why), and what it carries differently
// says so in its Note.
func (i impl) table() map[string]implementations.Handling {
	t := maps.Clone(supports)
	if i.lacks(streamIdleTimeoutSince) {
		delete(t, "proxy-send-timeout")
	}
	if i.lacks(pathOverrideSince) {
		h := t["auth-url"]
		h.Resource = sp + ".spec.extAuth.http (backendRefs, path)"
		h.Note += " " + i.release.String() + " has no pathOverride (added in v1.8): its path is a prefix that Envoy puts before the request's path, so the auth service is asked at the URL's path followed by the request's (/check, then /check/app/login for a request to /app/login), where nginx asks at the URL's path alone."
		t["auth-url"] = h
	}
	return t
}

// explanations is Unsupported for the target release.
func (i impl) explanations() map[string]string {
	u := maps.Clone(unsupported)
	if i.lacks(streamIdleTimeoutSince) {
		u["proxy-send-timeout"] = i.release.String() + "'s BackendTrafficPolicy has no timeout.http.streamIdleTimeout (added in v1.8), the only Envoy Gateway timeout close to nginx's send timeout."
	}
	return u
}

// rateLimitRefused reports whether the target release's CRD refuses
// every rate limit on Kubernetes 1.36 (see rateLimitFixed).
func (i impl) rateLimitRefused() bool {
	r := i.release
	return r != nil && r.Version == "v1.8" && r.Patch < rateLimitFixed
}
