package envoygateway

import (
	"github.com/routeshift/routeshift/internal/convert/implementations/intent"
	"github.com/routeshift/routeshift/internal/convert/implementations/internal/policy"
	"github.com/routeshift/routeshift/internal/convert/implementations/internal/value"
	"github.com/routeshift/routeshift/internal/finding"
)

// loadBalancing follows ingress-nginx's balancer.lua: cookie affinity wins
// over upstream-hash-by, which wins over load-balance; the losers have no
// effect there, and none here.
func loadBalancing(b *policy.Builder) {
	lb, winner := affinity(b), "affinity"
	hashing := false
	if lb == nil {
		lb, hashing = hashBy(b)
		winner = "upstream-hash-by"
	} else if b.Has("upstream-hash-by") {
		noEffect(b, "upstream-hash-by", "ingress-nginx ignores it when affinity is set.")
	}
	if lb == nil && !hashing {
		lb = balance(b)
	} else if b.Has("load-balance") {
		noEffect(b, "load-balance", "ingress-nginx ignores it when "+winner+" is set.")
	}
	if lb != nil {
		b.Spec(apiVersion, btp)["loadBalancer"] = lb
	}
}

// affinity builds a cookie consistent hash, or returns nil when affinity is
// not (validly) set; session-cookie-* then have no effect in nginx either.
func affinity(b *policy.Builder) map[string]any {
	bal := b.Intent().Balance
	if !bal.Affinity.Set {
		for _, k := range intent.CookieAnnotations {
			if b.Has(k) {
				noEffect(b, k, "No effect without affinity: cookie.")
			}
		}
		return nil
	}
	if _, ok := policy.Valid(b, bal.Affinity, finding.Warning, "ingress-nginx applies no affinity, and neither do the routes"); !ok {
		return nil
	}
	c := bal.Cookie
	cookie := map[string]any{"name": c.CookieName()}
	if _, ok := policy.Valid(b, c.Name, finding.Warning, "the cookie is named INGRESSCOOKIE, nginx's default"); ok {
		handle(b, c.Name.Name)
	}
	// ttl must be set for Envoy to create the cookie at all; 0s makes it a
	// session cookie, which is what nginx sets without max-age or expires.
	for _, v := range []intent.Value[int64]{c.MaxAge, c.Expires} {
		switch _, ok := policy.Valid(b, v, finding.Warning, "the cookie gets no lifetime from it"); {
		case !ok:
		case v.Name == c.Expires.Name && c.ExpiresShadowed():
			noEffect(b, v.Name, "session-cookie-max-age sets the lifetime; browsers prefer Max-Age over Expires.")
		default:
			handle(b, v.Name)
		}
	}
	cookie["ttl"] = value.Duration(c.TTL())
	if attrs := attributes(b, c); len(attrs) > 0 {
		cookie["attributes"] = attrs
	}
	handle(b, bal.Affinity.Name)
	return map[string]any{"type": "ConsistentHash", "consistentHash": map[string]any{"type": "Cookie", "cookie": cookie}}
}

// attributes are the cookie attributes Envoy adds when it sets the cookie.
func attributes(b *policy.Builder, c intent.Cookie) map[string]any {
	const instead = "the cookie is set without this attribute"
	attrs := map[string]any{}
	for attr, v := range map[string]intent.Value[string]{"Path": c.Path, "Domain": c.Domain, "SameSite": c.SameSite} {
		if s, ok := policy.Valid(b, v, finding.Warning, instead); ok {
			attrs[attr] = s
			handle(b, v.Name)
		}
	}
	if secure, ok := policy.Valid(b, c.Secure, finding.Warning, instead); ok {
		if secure {
			attrs["Secure"] = "" // a flag: Envoy writes "; Secure"
		}
		handle(b, c.Secure.Name)
	}
	return attrs
}

// hashBy maps a single nginx variable to a consistent-hash source. The
// second result says whether nginx hashes at all: a well-formed key that
// Envoy cannot hash on (a composite such as $host$request_uri) still makes
// nginx ignore load-balance.
func hashBy(b *policy.Builder) (map[string]any, bool) {
	const name = "upstream-hash-by"
	key, ok, hashes := b.HashBy("routes", "Envoy Gateway")
	if !ok {
		return nil, hashes
	}
	var ch map[string]any
	switch key.Kind {
	case value.HashSourceIP:
		ch = map[string]any{"type": "SourceIP"}
	case value.HashHeader:
		ch = map[string]any{"type": "Header", "header": map[string]any{"name": key.Name}}
	case value.HashCookie:
		ch = map[string]any{"type": "Cookie", "cookie": map[string]any{"name": key.Name}}
	default:
		ch = map[string]any{"type": "QueryParams", "queryParams": []any{map[string]any{"name": key.Name}}}
	}
	handle(b, name)
	return map[string]any{"type": "ConsistentHash", "consistentHash": ch}, true
}

func balance(b *policy.Builder) map[string]any {
	const name = "load-balance"
	c := b.LoadBalance("routes", "Envoy Gateway")
	if c == "" {
		return nil
	}
	if c == "round_robin" {
		b.Handle(name, handling{Resource: supports[name].Resource, Note: "round_robin is RoundRobin."})
		return map[string]any{"type": "RoundRobin"}
	}
	handle(b, name)
	return map[string]any{"type": "LeastRequest"}
}
