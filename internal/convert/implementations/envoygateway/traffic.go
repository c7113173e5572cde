package envoygateway

import (
	"github.com/routeshift/routeshift/internal/convert/implementations/intent"
	"github.com/routeshift/routeshift/internal/convert/implementations/internal/envoy"
	"github.com/routeshift/routeshift/internal/convert/implementations/internal/policy"
	"github.com/routeshift/routeshift/internal/convert/implementations/internal/value"
	"github.com/routeshift/routeshift/internal/finding"
)

// bodySize maps nginx's client_max_body_size to requestBuffer, the only
// per-route body limit Envoy Gateway has; see envoy.MaxBuffered for why
// large limits are left out.
func bodySize(b *policy.Builder) {
	v := b.Intent().BodySize
	n, ok := policy.Valid(b, v, finding.Warning, "ingress-nginx ignores it and limits bodies to 1m; the routes get no limit")
	name := v.Name
	switch {
	case !ok:
	case n == 0:
		noEffect(b, name, "0 turns nginx's body size limit off; Envoy Gateway sets none.")
	case n > envoy.MaxBuffered:
		b.Report(finding.Warning, name, "annotation %s: %s not translated: Envoy Gateway enforces a body limit only by buffering each request whole in memory, which is unsafe above %s; the routes have no body size limit", name, value.Quantity(n), value.Quantity(envoy.MaxBuffered))
	case envoy.IsGRPC(b.Input().Annotations["backend-protocol"]):
		b.Report(finding.Warning, name, "annotation %s: not translated for a gRPC backend: Envoy Gateway's request buffering breaks gRPC streaming; the routes have no body size limit", name)
	default:
		b.Spec(apiVersion, btp)["requestBuffer"] = map[string]any{"limit": value.Quantity(n)}
		handle(b, name)
	}
}

// timeouts maps nginx's three proxy timeouts onto Envoy's: connect is the
// same thing; read (between two reads) has no per-read equivalent and
// becomes the whole-response timeout; send (between two writes) becomes the
// stream idle timeout, raised to the read timeout so that it never fires
// while nginx would still be waiting for the response.
func (i impl) timeouts(b *policy.Builder) {
	t := b.Intent().Timeouts
	tcp, http := map[string]any{}, map[string]any{}
	if s, ok := seconds(b, t.Connect); ok {
		tcp["connectTimeout"] = value.Duration(s)
		handle(b, t.Connect.Name)
	}
	read, readOK := seconds(b, t.Read)
	if readOK {
		http["requestTimeout"] = value.Duration(read)
		handle(b, t.Read.Name)
	}
	if send, ok := seconds(b, t.Send); ok && i.lacks(streamIdleTimeoutSince) {
		b.Report(finding.Warning, t.Send.Name, "annotation %s: not translated: %s", t.Send.Name, i.explanations()[t.Send.Name])
	} else if ok {
		idle := max(send, intent.NginxRead)
		if readOK {
			idle = max(send, read)
		}
		http["streamIdleTimeout"] = value.Duration(idle)
		handle(b, t.Send.Name)
	}
	out := map[string]any{}
	if len(tcp) > 0 {
		out["tcp"] = tcp
	}
	if len(http) > 0 {
		out["http"] = http
	}
	if len(out) > 0 {
		b.Spec(apiVersion, btp)["timeout"] = out
	}
}

// seconds reads a timeout, reporting an invalid value.
func seconds(b *policy.Builder, v intent.Value[int64]) (int64, bool) {
	return policy.Valid(b, v, finding.Warning, "ingress-nginx ignores it and uses its default; the routes keep Envoy Gateway's default")
}

// rateLimits maps limit-rps and limit-rpm to local rate-limit rules, one
// bucket per client address as nginx's limit_req_zone on
// $binary_remote_addr; both apply together, as nginx's two limit_req do
// (Envoy Gateway applies the strictest matching rule).
func (i impl) rateLimits(b *policy.Builder) {
	r := b.Intent().Rate
	var rules []any
	for _, l := range []struct {
		v    intent.Value[int64]
		unit string
	}{{r.RPS, "Second"}, {r.RPM, "Minute"}} {
		n, ok := policy.Valid(b, l.v, finding.Warning, "ingress-nginx ignores it; the routes are not rate limited")
		if !ok {
			continue
		}
		if n == 0 {
			noEffect(b, l.v.Name, "0 turns nginx's limit off; Envoy Gateway sets none.")
			continue
		}
		// nginx keys its limit on the client address; Distinct makes one
		// bucket per address, and each family needs its own catch-all
		// range because a rule matches one CIDR.
		for _, cidr := range []string{"0.0.0.0/0", "::/0"} {
			rules = append(rules, map[string]any{
				"clientSelectors": []any{map[string]any{"sourceCIDR": map[string]any{"type": "Distinct", "value": cidr}}},
				"limit":           map[string]any{"requests": n, "unit": l.unit},
			})
		}
		handle(b, l.v.Name)
	}
	if len(rules) > 0 {
		b.Spec(apiVersion, btp)["rateLimit"] = map[string]any{"local": map[string]any{"rules": rules}}
		if i.rateLimitRefused() {
			b.Report(finding.Warning, "", "%s: Kubernetes 1.36 and later refuse this BackendTrafficPolicy with the CRD of v1.8.0 and v1.8.1, which declares rateLimit.local.rules[].limit.requests as int32 with a maximum beyond int32 (every value is refused); v1.8.2 fixed the CRD: upgrade to it and set spec.implementationVersion: v1.8.2", i.release)
		}
	}
}

// retries maps the proxy-next-upstream family to a retry policy. Once any of
// them is set, the policy spells out nginx's defaults for the others (error
// and timeout, 3 tries), because that is what ingress-nginx did; without
// any of them no policy is written and the routes keep Envoy Gateway's
// default of no retries, a difference the table's Note states.
func retries(b *policy.Builder) {
	rt, ok := envoy.ReadRetry(b, envoy.RetryHooks{
		Vendor:   "Envoy Gateway",
		Handle:   func(name string) { handle(b, name) },
		NoEffect: func(name, why string) { noEffect(b, name, why) },
	})
	if !ok {
		return
	}
	triggers, codes, numRetries, perTry := rt.Triggers, rt.Codes, rt.Retries, rt.PerTry
	if len(codes) > 0 {
		triggers = append(triggers, "retriable-status-codes") // sorts last
	}
	if numRetries == 0 || len(triggers) == 0 {
		return // one try, or nothing to retry on: Envoy Gateway's default
	}
	on := map[string]any{"triggers": policy.List(triggers)}
	if len(codes) > 0 {
		on["httpStatusCodes"] = policy.List(codes)
	}
	r := map[string]any{"numRetries": numRetries, "retryOn": on}
	if perTry != "" {
		r["perRetry"] = map[string]any{"timeout": perTry}
	}
	b.Spec(apiVersion, btp)["retry"] = r
}
