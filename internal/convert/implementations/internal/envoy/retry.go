package envoy

import (
	"errors"

	"github.com/routeshift/routeshift/internal/convert/implementations/intent"
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

// ReadRetry maps the family, as package intent read it, the same way for
// every Envoy-based implementation. ok is false when none of it is set or
// it says "off", and then no policy is to be written.
func ReadRetry(b *policy.Builder, h RetryHooks) (r Retry, ok bool) {
	in := b.Intent().Retry
	if !in.Set() {
		return r, false
	}
	// nginx's defaults: error timeout, 3 tries, no time bound.
	r.Triggers, r.Retries = DefaultTriggers(), 2
	if on := in.On; on.Set {
		switch {
		case on.Err != nil:
			b.Invalid(finding.Warning, NextUpstream, on.Err, "ingress-nginx ignores it and retries on error and timeout, and so do the routes")
		case on.V.Off:
			h.NoEffect(NextUpstream, "off: no retries, which is also "+h.Vendor+"'s default.")
			for _, v := range []intent.Value[int64]{in.Tries, in.Timeout} {
				if v.Set {
					h.NoEffect(v.Name, "No effect with proxy-next-upstream off.")
				}
			}
			return r, false
		default:
			r.Triggers, r.Codes = Triggers(on.V), on.V.Codes
			h.Handle(NextUpstream)
		}
	}
	if t := in.Tries; t.Set {
		switch {
		case errors.Is(t.Err, intent.ErrTriesUnlimited):
			b.Invalid(finding.Warning, NextUpstreamTries, errors.New("0 means as many tries as there are endpoints, which Envoy cannot express"), "the routes retry twice, nginx's default of 3 tries")
		case t.Err != nil:
			b.Invalid(finding.Warning, NextUpstreamTries, t.Err, "the routes retry twice, nginx's default of 3 tries")
		default:
			r.Retries = t.V - 1
			h.Handle(NextUpstreamTries)
		}
	}
	if t := in.Timeout; t.Set {
		switch {
		case t.Err != nil:
			b.Invalid(finding.Warning, NextUpstreamTimeout, t.Err, "the retries have no time bound, nginx's default")
		case t.V == 0:
			h.NoEffect(NextUpstreamTimeout, "0 is nginx's default: no time bound, as in "+h.Vendor+".")
		case h.PerTry != nil && !h.PerTry(t.V):
		default:
			r.PerTry = value.Duration(t.V)
			h.Handle(NextUpstreamTimeout)
		}
	}
	return r, true
}
