package envoygateway

import (
	"errors"

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

const (
	defaultCookie = "INGRESSCOOKIE" // ingress-nginx's session-cookie-name default
	maxCookieAge  = 10 * 365 * 24 * 3600
)

var cookieAttributes = []string{"session-cookie-path", "session-cookie-domain", "session-cookie-samesite", "session-cookie-secure"}

// affinity builds a cookie consistent hash, or returns nil when affinity is
// not (validly) set; session-cookie-* then have no effect in nginx either.
func affinity(b *policy.Builder) map[string]any {
	const name = "affinity"
	cookieKeys := append([]string{"session-cookie-name", "session-cookie-max-age", "session-cookie-expires"}, cookieAttributes...)
	raw, ok := b.Raw(name)
	if !ok {
		for _, k := range cookieKeys {
			if b.Has(k) {
				noEffect(b, k, "No effect without affinity: cookie.")
			}
		}
		return nil
	}
	if c, err := value.Clean(raw, 16); err != nil || c != "cookie" {
		if err == nil {
			err = errors.New("only cookie is supported")
		}
		b.Invalid(finding.Warning, name, err, "ingress-nginx applies no affinity, and neither do the routes")
		return nil
	}
	cookie := map[string]any{"name": defaultCookie}
	if raw, ok := b.Raw("session-cookie-name"); ok {
		if n, err := value.Token(raw); err != nil {
			b.Invalid(finding.Warning, "session-cookie-name", err, "the cookie is named INGRESSCOOKIE, nginx's default")
		} else {
			cookie["name"] = n
			handle(b, "session-cookie-name")
		}
	}
	// ttl must be set for Envoy to create the cookie at all; 0s makes it a
	// session cookie, which is what nginx sets without max-age or expires.
	ttl := int64(0)
	for _, k := range []string{"session-cookie-max-age", "session-cookie-expires"} {
		raw, ok := b.Raw(k)
		if !ok {
			continue
		}
		n, err := value.Int(raw, 0, maxCookieAge)
		switch {
		case err != nil:
			b.Invalid(finding.Warning, k, err, "the cookie gets no lifetime from it")
		case k == "session-cookie-expires" && b.Has("session-cookie-max-age") && ttl > 0:
			noEffect(b, k, "session-cookie-max-age sets the lifetime; browsers prefer Max-Age over Expires.")
		default:
			ttl = n
			handle(b, k)
		}
	}
	cookie["ttl"] = value.Duration(ttl)
	if attrs := attributes(b); len(attrs) > 0 {
		cookie["attributes"] = attrs
	}
	handle(b, name)
	return map[string]any{"type": "ConsistentHash", "consistentHash": map[string]any{"type": "Cookie", "cookie": cookie}}
}

func attributes(b *policy.Builder) map[string]any {
	attrs := map[string]any{}
	for _, k := range cookieAttributes {
		raw, ok := b.Raw(k)
		if !ok {
			continue
		}
		var err error
		switch k {
		case "session-cookie-path":
			var p string
			if p, err = value.CookiePath(raw); err == nil {
				attrs["Path"] = p
			}
		case "session-cookie-domain":
			var d string
			if d, err = value.CookieDomain(raw); err == nil {
				attrs["Domain"] = d
			}
		case "session-cookie-samesite":
			var s string
			if s, err = value.SameSite(raw); err == nil {
				attrs["SameSite"] = s
			}
		case "session-cookie-secure":
			var secure bool
			if secure, err = value.Bool(raw); err == nil && secure {
				attrs["Secure"] = "" // a flag: Envoy writes "; Secure"
			}
		}
		if err != nil {
			b.Invalid(finding.Warning, k, err, "the cookie is set without this attribute")
			continue
		}
		handle(b, k)
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
