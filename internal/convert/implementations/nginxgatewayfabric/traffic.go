package nginxgatewayfabric

import (
	"fmt"
	"math"

	"github.com/routeshift/routeshift/internal/convert/implementations/intent"
	"github.com/routeshift/routeshift/internal/convert/implementations/internal/policy"
	"github.com/routeshift/routeshift/internal/convert/implementations/internal/value"
	"github.com/routeshift/routeshift/internal/finding"
)

// bodySize writes client_max_body_size through a ClientSettingsPolicy per
// route, because that CRD's targetRef is a single object. "0" is written
// too: it turns the limit off in both, where NGF (nginx) would otherwise
// apply its 1m default.
func bodySize(b *policy.Builder) {
	v := b.Intent().BodySize
	n, ok := policy.Valid(b, v, finding.Warning, "ingress-nginx ignores it and limits bodies to 1m, as NGINX Gateway Fabric does by default")
	if !ok {
		return
	}
	s, ok := size(n)
	if !ok {
		b.Report(finding.Warning, v.Name, "annotation %s: %s not translated: NGINX Gateway Fabric takes a size of at most four digits and one unit (k, m, g), and %d bytes is none; the routes keep the 1m default", v.Name, value.Quote(b.Input().Annotations[v.Name]), n)
		return
	}
	for _, r := range b.Input().Routes {
		b.Add(apiVersion, csp, r.Namespace, policy.Fit(r.Name), map[string]any{"spec": map[string]any{
			"body":      map[string]any{"maxSize": s},
			"targetRef": map[string]any{"group": "gateway.networking.k8s.io", "kind": "HTTPRoute", "name": r.Name},
		}})
	}
	handle(b, v.Name)
}

// timeouts writes proxy_connect_timeout, proxy_read_timeout and
// proxy_send_timeout: the same directives, so the same meaning.
func timeouts(b *policy.Builder, spec map[string]any) {
	t := b.Intent().Timeouts
	out := map[string]any{}
	for _, f := range []struct {
		v     intent.Value[int64]
		field string
	}{{t.Connect, "connect"}, {t.Read, "read"}, {t.Send, "send"}} {
		s, ok := policy.Valid(b, f.v, finding.Warning, "ingress-nginx ignores it and uses its default; the routes keep NGINX Gateway Fabric's (nginx's 60s)")
		if !ok {
			continue
		}
		d, ok := duration(s)
		if !ok {
			b.Report(finding.Warning, f.v.Name, "annotation %s: %ds not translated: NGINX Gateway Fabric takes a duration of at most four digits and one unit, and no unit holds it exactly; the routes keep nginx's 60s", f.v.Name, s)
			continue
		}
		out[f.field] = d
		handle(b, f.v.Name)
	}
	if len(out) > 0 {
		spec["timeout"] = out
	}
}

// buffering writes nginx's response buffering directives as ingress-nginx
// does: proxy_buffering from proxy-buffering; proxy_buffer_size and
// proxy_buffers (number times buffer size) whenever either size or number
// is set, with ingress-nginx's defaults (4 and 4k) for the other, because
// ingress-nginx writes both into every location; proxy_busy_buffers_size
// when it is set and nginx would accept it.
func buffering(b *policy.Builder, spec map[string]any) {
	bf := b.Intent().Buffers
	out := map[string]any{}
	if on, ok := policy.Valid(b, bf.On, finding.Warning, "ingress-nginx buffers responses or not by its ConfigMap (off by default); the routes keep nginx's default (on)"); ok {
		out["disable"] = !on
		handle(b, bf.On.Name)
	}
	const sizeInstead = "ingress-nginx ignores it and uses its default; the routes keep nginx's"
	_, sizeOK := policy.Valid(b, bf.Size, finding.Warning, sizeInstead)
	number, numberOK := policy.Valid(b, bf.Number, finding.Warning, sizeInstead)
	if numberOK && (number < 2 || number > 256) {
		b.Report(finding.Warning, bf.Number.Name, "annotation %s: %d not translated: NGINX Gateway Fabric takes 2 to 256 buffers; the routes keep nginx's default", bf.Number.Name, number)
		numberOK = false
	}
	busy, busyOK := policy.Valid(b, bf.Busy, finding.Warning, sizeInstead)
	if !sizeOK && !numberOK && !busyOK {
		if len(out) > 0 {
			spec["buffering"] = out
		}
		return
	}
	bufSize, n := bf.SizeOrDefault(), bf.NumberOrDefault()
	if !numberOK {
		n = intent.DefaultBuffersNumber
	}
	sz, ok := size(bufSize)
	if !ok {
		b.Report(finding.Warning, bf.Size.Name, "annotation %s: not translated: NGINX Gateway Fabric takes a size of at most four digits and one unit, and %d bytes is none; the routes keep nginx's buffer sizes", bf.Size.Name, bufSize)
		if len(out) > 0 {
			spec["buffering"] = out
		}
		return
	}
	busyAccepted := false
	if busyOK {
		// nginx (and NGF's validator) require more than one buffer's size
		// and less than all buffers but one; a value outside would fail
		// nginx's configuration test in ingress-nginx too.
		bs, ok := size(busy)
		switch {
		case busy <= bufSize || busy >= n*bufSize-bufSize:
			b.Report(finding.Warning, bf.Busy.Name, "annotation %s: %s not translated: nginx needs it above the buffer size (%s) and below all buffers but one (%s)", bf.Busy.Name, value.Quantity(busy), value.Quantity(bufSize), value.Quantity(n*bufSize-bufSize))
		case !ok:
			b.Report(finding.Warning, bf.Busy.Name, "annotation %s: not translated: NGINX Gateway Fabric takes a size of at most four digits and one unit, and %d bytes is none", bf.Busy.Name, busy)
		default:
			out["busyBuffersSize"] = bs
			handle(b, bf.Busy.Name)
			busyAccepted = true
		}
	}
	if sizeOK || numberOK || busyAccepted {
		out["bufferSize"] = sz
		out["buffers"] = map[string]any{"number": n, "size": sz}
		if sizeOK {
			handle(b, bf.Size.Name)
		}
		if numberOK {
			handle(b, bf.Number.Name)
		}
	}
	if len(out) > 0 {
		spec["buffering"] = out
	}
}

// rateLimits writes ingress-nginx's limit_req lines: a zone keyed on
// $binary_remote_addr of 5m (ingress-nginx's size) at the annotation's
// rate, and limit_req with burst rate times limit-burst-multiplier and
// nodelay, for each of limit-rps and limit-rpm.
func rateLimits(b *policy.Builder) {
	r := b.Intent().Rate
	var rules []any
	for _, l := range []struct {
		v    intent.Value[int64]
		unit string
	}{{r.RPS, "s"}, {r.RPM, "m"}} {
		n, ok := policy.Valid(b, l.v, finding.Warning, "ingress-nginx ignores it; the routes are not rate limited")
		if !ok {
			continue
		}
		if n == 0 {
			noEffect(b, l.v.Name, "0 turns nginx's limit off; NGINX Gateway Fabric sets none.")
			continue
		}
		burst := n * r.Multiplier()
		if burst > math.MaxInt32 {
			b.Report(finding.Warning, l.v.Name, "annotation %s: not translated: its burst (%d) exceeds what NGINX Gateway Fabric takes; the routes are not rate limited", l.v.Name, burst)
			continue
		}
		rule := map[string]any{"key": "$binary_remote_addr", "rate": fmt.Sprintf("%dr/%s", n, l.unit), "zoneSize": "5m", "noDelay": true}
		if burst > 0 {
			rule["burst"] = burst
		}
		rules = append(rules, rule)
		handle(b, l.v.Name)
	}
	if m := r.BurstMultiplier; m.Set {
		switch {
		case len(rules) == 0:
			noEffect(b, m.Name, "No effect without limit-rps or limit-rpm.")
		default:
			if _, ok := policy.Valid(b, m, finding.Warning, "ingress-nginx uses its default of 5, and so do the rules"); ok {
				handle(b, m.Name)
			}
		}
	}
	if len(rules) > 0 {
		attach(b, rlp, map[string]any{"rateLimit": map[string]any{"local": map[string]any{"rules": rules}}})
	}
}
