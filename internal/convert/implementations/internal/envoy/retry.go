package envoy

import (
	"errors"
	"strings"

	"github.com/routeshift/routeshift/internal/convert/implementations/internal/policy"
	"github.com/routeshift/routeshift/internal/convert/implementations/internal/value"
	"github.com/routeshift/routeshift/internal/finding"
)

// The proxy-next-upstream family of annotations.
const (
	NextUpstream        = "proxy-next-upstream"
	NextUpstreamTries   = "proxy-next-upstream-tries"
	NextUpstreamTimeout = "proxy-next-upstream-timeout"
)

// Retry is what the proxy-next-upstream family asks of an Envoy retry
// policy, with nginx's defaults spelled out for the members not set.
type Retry struct {
	Triggers []string // Envoy retry-on triggers
	Codes    []int64  // upstream status codes that trigger a retry
	Retries  int64    // retries after the first try
	PerTry   string   // per-try timeout as a duration, "" for none
}

// RetryHooks are how one implementation records what it did: handle
// marks an annotation carried, noEffect one that nginx ignores here, and
// perTry (optional) may refuse a per-try timeout (in seconds) that the
// implementation cannot take, reporting why.
type RetryHooks struct {
	Vendor   string
	Handle   func(name string)
	NoEffect func(name, why string)
	PerTry   func(seconds int64) bool
}

// ReadRetry reads the family the same way for every Envoy-based
// implementation. ok is false when none of it is set or it says "off",
// and then no policy is to be written.
func ReadRetry(b *policy.Builder, h RetryHooks) (r Retry, ok bool) {
	if !b.Has(NextUpstream) && !b.Has(NextUpstreamTries) && !b.Has(NextUpstreamTimeout) {
		return r, false
	}
	// nginx's defaults: error timeout, 3 tries, no time bound.
	r.Triggers, r.Retries = DefaultTriggers(), 2
	if raw, ok := b.Raw(NextUpstream); ok {
		t, c, off, err := RetryOn(raw)
		switch {
		case err != nil:
			b.Invalid(finding.Warning, NextUpstream, err, "ingress-nginx ignores it and retries on error and timeout, and so do the routes")
		case off:
			h.NoEffect(NextUpstream, "off: no retries, which is also "+h.Vendor+"'s default.")
			for _, n := range []string{NextUpstreamTries, NextUpstreamTimeout} {
				if b.Has(n) {
					h.NoEffect(n, "No effect with proxy-next-upstream off.")
				}
			}
			return r, false
		default:
			r.Triggers, r.Codes = t, c
			h.Handle(NextUpstream)
		}
	}
	if raw, ok := b.Raw(NextUpstreamTries); ok {
		n, err := value.Int(raw, 1, MaxTries)
		switch {
		case err != nil && strings.TrimSpace(raw) == "0":
			b.Invalid(finding.Warning, NextUpstreamTries, errors.New("0 means as many tries as there are endpoints, which Envoy cannot express"), "the routes retry twice, nginx's default of 3 tries")
		case err != nil:
			b.Invalid(finding.Warning, NextUpstreamTries, err, "the routes retry twice, nginx's default of 3 tries")
		default:
			r.Retries = n - 1
			h.Handle(NextUpstreamTries)
		}
	}
	if raw, ok := b.Raw(NextUpstreamTimeout); ok {
		s, err := value.Seconds(raw, 0, MaxIO)
		switch {
		case err != nil:
			b.Invalid(finding.Warning, NextUpstreamTimeout, err, "the retries have no time bound, nginx's default")
		case s == 0:
			h.NoEffect(NextUpstreamTimeout, "0 is nginx's default: no time bound, as in "+h.Vendor+".")
		case h.PerTry != nil && !h.PerTry(s):
		default:
			r.PerTry = value.Duration(s)
			h.Handle(NextUpstreamTimeout)
		}
	}
	return r, true
}
