package istio

import (
	"sort"
	"strconv"

	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/routeshift/routeshift/internal/convert/implementations/intent"
	"github.com/routeshift/routeshift/internal/convert/implementations/internal/policy"
	"github.com/routeshift/routeshift/internal/convert/implementations/internal/value"
	"github.com/routeshift/routeshift/internal/finding"
)

// loadBalancing follows ingress-nginx's balancer.lua: cookie affinity wins
// over upstream-hash-by, which wins over load-balance; the losers have no
// effect there, and none here. The winner becomes a DestinationRule for
// each Service the Ingress's routes forward to: ingress-nginx keeps these
// settings per upstream (Service port), not per location, so a
// Service-wide object is the right scope at the gateway. It returns the
// annotations the DestinationRules carry, for Object.Shared.
func loadBalancing(b *policy.Builder) []string {
	var carried []string
	carry := func(name string) {
		handle(b, name)
		carried = append(carried, name)
	}
	lb, winner := affinity(b, carry), "affinity"
	hashing := false
	if lb == nil {
		lb, hashing = hashBy(b, carry)
		winner = "upstream-hash-by"
	} else if b.Has("upstream-hash-by") {
		noEffect(b, "upstream-hash-by", "ingress-nginx ignores it when affinity is set.")
	}
	if lb == nil && !hashing {
		lb = balance(b, &carried)
	} else if b.Has("load-balance") {
		noEffect(b, "load-balance", "ingress-nginx ignores it when "+winner+" is set.")
	}
	if lb == nil {
		return nil
	}
	for _, svc := range services(b) {
		host := svc.name // relative to the rule's namespace, which is the Service's
		if svc.namespace != "" {
			host = svc.name + "." + svc.namespace + ".svc.cluster.local"
		}
		b.Add(networkingAPI, dr, svc.namespace, policy.Fit(svc.name), map[string]any{"spec": map[string]any{
			"host":          host,
			"trafficPolicy": map[string]any{"loadBalancer": lb},
		}})
	}
	sort.Strings(carried)
	return carried
}

type service struct{ namespace, name string }

// services are the Services of the Ingress's routes, sorted; ports are
// merged, because a DestinationRule's top-level policy covers them all. A
// name that is not a Service name is reported and skipped.
func services(b *policy.Builder) []service {
	seen := map[service]bool{}
	var out []service
	for _, r := range b.Input().Routes {
		for _, be := range r.Backends {
			s := service{be.Namespace, be.Name}
			if seen[s] {
				continue
			}
			seen[s] = true
			if s.namespace != "" && len(validation.IsDNS1123Label(s.namespace)) > 0 || len(validation.IsDNS1035Label(s.name)) > 0 {
				b.Report(finding.Warning, "", "Service %s of route %s is not a Service name; no DestinationRule is generated for it", value.Quote(ref(s.namespace, s.name)), routeName(r.Name))
				continue
			}
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].namespace != out[j].namespace {
			return out[i].namespace < out[j].namespace
		}
		return out[i].name < out[j].name
	})
	return out
}

// affinity builds a cookie consistent hash, or returns nil when affinity is
// not (validly) set; session-cookie-* then have no effect in nginx either.
func affinity(b *policy.Builder, carry func(string)) map[string]any {
	bal := b.Intent().Balance
	if !bal.Affinity.Set {
		for _, k := range intent.CookieAnnotations {
			if b.Has(k) {
				noEffect(b, k, "No effect without affinity: cookie.")
			}
		}
		return nil
	}
	if _, ok := policy.Valid(b, bal.Affinity, finding.Warning, "ingress-nginx applies no affinity, and neither does the DestinationRule"); !ok {
		for _, k := range intent.CookieAnnotations {
			if b.Has(k) {
				noEffect(b, k, "No effect without a valid affinity: cookie.")
			}
		}
		return nil
	}
	c := bal.Cookie
	cookie := map[string]any{"name": c.CookieName()}
	if _, ok := policy.Valid(b, c.Name, finding.Warning, "the cookie is named INGRESSCOOKIE, nginx's default"); ok {
		carry(c.Name.Name)
	}
	// ttl must be set for Envoy to create the cookie at all; 0s makes it a
	// session cookie, which is what nginx sets without max-age or expires.
	for _, v := range []intent.Value[int64]{c.MaxAge, c.Expires} {
		switch _, ok := policy.Valid(b, v, finding.Warning, "the cookie gets no lifetime from it"); {
		case !ok:
		case v.Name == c.Expires.Name && c.ExpiresShadowed():
			noEffect(b, v.Name, "session-cookie-max-age sets the lifetime; browsers prefer Max-Age over Expires.")
		default:
			carry(v.Name)
		}
	}
	// Whole seconds ("172800s") read the same in protobuf's JSON form,
	// Go's durations and the CRD's CEL; "48h" would not be protobuf JSON.
	cookie["ttl"] = strconv.FormatInt(c.TTL(), 10) + "s"
	if p, ok := policy.Valid(b, c.Path, finding.Warning, "the cookie is set without a Path"); ok {
		cookie["path"] = p
		carry(c.Path.Name)
	}
	if attrs := attributes(b, c, carry); len(attrs) > 0 {
		cookie["attributes"] = attrs
	}
	carry(bal.Affinity.Name)
	return map[string]any{"consistentHash": map[string]any{"httpCookie": cookie}}
}

// attributes are the cookie attributes Envoy adds when it sets the cookie,
// in name order.
func attributes(b *policy.Builder, c intent.Cookie, carry func(string)) []any {
	const instead = "the cookie is set without this attribute"
	var attrs []any
	for _, a := range []struct {
		attr string
		v    intent.Value[string]
	}{{"Domain", c.Domain}, {"SameSite", c.SameSite}} {
		if s, ok := policy.Valid(b, a.v, finding.Warning, instead); ok {
			attrs = append(attrs, map[string]any{"name": a.attr, "value": s})
			carry(a.v.Name)
		}
	}
	if secure, ok := policy.Valid(b, c.Secure, finding.Warning, instead); ok {
		if secure {
			attrs = append(attrs, map[string]any{"name": "Secure"}) // a flag: Envoy writes "; Secure"
		}
		carry(c.Secure.Name)
	}
	return attrs
}

// hashBy maps a single nginx variable to a consistent-hash key. The second
// result says whether nginx hashes at all: a well-formed key that Istio
// cannot hash on (a composite such as $host$request_uri) still makes nginx
// ignore load-balance.
func hashBy(b *policy.Builder, carry func(string)) (map[string]any, bool) {
	const name = "upstream-hash-by"
	key, ok, hashes := b.HashBy("Services", "Istio")
	if !ok {
		return nil, hashes
	}
	var ch map[string]any
	switch key.Kind {
	case value.HashSourceIP:
		ch = map[string]any{"useSourceIp": true}
	case value.HashHeader:
		ch = map[string]any{"httpHeaderName": key.Name}
	case value.HashCookie:
		// Without ttl Envoy never sets the cookie, as nginx's hash only
		// reads it.
		ch = map[string]any{"httpCookie": map[string]any{"name": key.Name}}
	default:
		ch = map[string]any{"httpQueryParameterName": key.Name}
	}
	carry(name)
	return map[string]any{"consistentHash": ch}, true
}

func balance(b *policy.Builder, carried *[]string) map[string]any {
	const name = "load-balance"
	c := b.LoadBalance("Services", "Istio")
	if c == "" {
		return nil
	}
	*carried = append(*carried, name)
	if c == "round_robin" {
		b.Handle(name, handling{Approximated: true, Resource: supports[name].Resource, Note: "round_robin is ROUND_ROBIN." + drScope})
		return map[string]any{"simple": "ROUND_ROBIN"}
	}
	handle(b, name)
	return map[string]any{"simple": "LEAST_REQUEST"}
}
