package istio

import "github.com/routeshift/routeshift/internal/convert/implementations"

// The objects this implementation emits. Field paths in the table below
// were checked against the istio.io/api v1.31.1 CRDs kept in
// testdata/implementations/crds/istio.
const (
	securityAPI   = "security.istio.io/v1"
	networkingAPI = "networking.istio.io/v1"
	ap            = "AuthorizationPolicy"
	dr            = "DestinationRule"
)

type handling = implementations.Handling

// Notes shared by the three source-range annotations: where the policy
// lives and how its scope differs from nginx's location.
const (
	apWhere = "A DENY AuthorizationPolicy on each Gateway of the Ingress's routes (in the Gateway's namespace, targetRefs to the Gateway), never ALLOW: on a shared Gateway one ALLOW policy denies every request it does not allow, on every other route. "
	apScope = "Its rules are scoped to the Ingress's hosts (also with a port in the Host header) and paths: Exact p is p, PathPrefix p is p and p/*. The scope is wider than nginx's location where it cannot be narrower, never the other way: a longer path of the same host served by another Ingress is covered too; a route matching regular expressions is covered on its whole host, and a catch-all route (no hostname) on every host of its Gateway (a finding says so). Redirects (to https, permanent-redirect, app-root) are left out, as nginx answers them before checking the address. Both judge the address their client-IP detection yields (remoteIpBlocks: X-Forwarded-For per the Gateway's numTrustedProxies; nginx: use-forwarded-headers, proxy-real-ip-cidr); configure them alike."
)

// Notes shared by the load-balancing annotations: a DestinationRule is
// about a Service, not about the Ingress.
const drScope = " The DestinationRule (named after the Service, host <service>.<namespace>.svc.cluster.local, in the Service's namespace) applies to every client of the Service in the mesh, sidecars included, not only to the Gateway; ingress-nginx too applies one setting to each Service port for every Ingress using it. Two Ingresses asking different settings for one Service are reported and neither is generated. An existing DestinationRule for the Service conflicts with it: Istio applies one."

// supports is what Supports returns (a copy of it). Notes state every
// difference a user could observe, defaults included, because the
// documentation is generated from them.
var supports = map[string]handling{
	"allowlist-source-range": {Approximated: true, Resource: ap + ".spec.rules[].from[].source.notRemoteIpBlocks (action DENY, targetRefs Gateway)",
		Note: apWhere + "Clients outside the list get 403 in both. " + apScope},
	"whitelist-source-range": {Approximated: true, Resource: ap + ".spec.rules[].from[].source.notRemoteIpBlocks (action DENY, targetRefs Gateway)",
		Note: "The deprecated spelling of allowlist-source-range, which wins when both are set. " + apWhere + "Clients outside the list get 403 in both. " + apScope},
	"denylist-source-range": {Approximated: true, Resource: ap + ".spec.rules[].from[].source.remoteIpBlocks (action DENY, targetRefs Gateway)",
		Note: apWhere + "Listed clients get 403 in both, whatever the allowlist says, as nginx orders its deny lines first. " + apScope},
	"affinity": {Approximated: true, Resource: dr + ".spec.trafficPolicy.loadBalancer.consistentHash.httpCookie",
		Note: "cookie only. Envoy hashes the cookie's value onto the endpoints (ring hash) and sets the cookie when absent; nginx stores the chosen endpoint in it. When endpoints change, some sessions move to another endpoint, as in nginx's default balanced mode; affinity-mode persistent is not reproduced. Without session-cookie-max-age or -expires the cookie lasts for the browser session, as nginx's." + drScope},
	"session-cookie-name": {Resource: dr + ".spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.name",
		Note: "The cookie name; without the annotation nginx's default INGRESSCOOKIE is written out."},
	"session-cookie-max-age": {Resource: dr + ".spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.ttl",
		Note: "The cookie's Max-Age. Without it and session-cookie-expires the cookie lasts for the browser session in both (ttl 0s)."},
	"session-cookie-expires": {Approximated: true, Resource: dr + ".spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.ttl",
		Note: "Used when session-cookie-max-age is absent: Envoy sets Max-Age to it where nginx sets an Expires date; browsers treat both alike."},
	"session-cookie-path": {Resource: dr + ".spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.path",
		Note: "The cookie's Path. Without it nginx uses the location's path and Envoy none, so browsers default to the request's directory."},
	"session-cookie-domain": {Resource: dr + ".spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.attributes (Domain)",
		Note: "The cookie's Domain attribute."},
	"session-cookie-samesite": {Resource: dr + ".spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.attributes (SameSite)",
		Note: "The cookie's SameSite attribute (None, Lax or Strict)."},
	"session-cookie-secure": {Resource: dr + ".spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.attributes (Secure)",
		Note: "The cookie's Secure attribute."},
	"upstream-hash-by": {Approximated: true, Resource: dr + ".spec.trafficPolicy.loadBalancer.consistentHash",
		Note: "$remote_addr and $binary_remote_addr hash the client address (useSourceIp), $http_<name> a header (httpHeaderName), $cookie_<name> a cookie (httpCookie, never set by Envoy) and $arg_<name> a query parameter (httpQueryParameterName); other variables and combinations are not translated. A request without the value is balanced normally, where nginx hashes the empty value to one endpoint." + drScope},
	"load-balance": {Approximated: true, Resource: dr + ".spec.trafficPolicy.loadBalancer.simple",
		Note: "round_robin is ROUND_ROBIN; ewma becomes LEAST_REQUEST, which prefers endpoints with fewer outstanding requests rather than lower latency. Without the annotation nginx balances round robin and Istio by least request." + drScope},
}

// unsupported explains what this implementation cannot carry although an
// Istio resource might be expected to; Unsupported returns a copy.
var unsupported = map[string]string{
	"proxy-body-size":                  "Istio has no body size limit of its own; Envoy's buffer filter needs an EnvoyFilter, which routeshift does not write.",
	"proxy-connect-timeout":            "DestinationRule.trafficPolicy.connectionPool.tcp.connectTimeout applies to the Service for every client and every Ingress, where nginx sets it per location; one Ingress's timeout would become everyone's.",
	"proxy-read-timeout":               "Istio has no per-read upstream timeout; HTTPRoute rules[].timeouts limit the whole request, and Istio policies cannot change a route's timeouts.",
	"proxy-send-timeout":               "Istio has no per-write upstream timeout; HTTPRoute rules[].timeouts limit the whole request, and Istio policies cannot change a route's timeouts.",
	"proxy-next-upstream":              "Istio's retry settings (VirtualService.http[].retries) apply to Istio's own routes, not to an HTTPRoute, and no Istio policy attaches them to one.",
	"proxy-next-upstream-tries":        "Istio's retry settings (VirtualService.http[].retries) apply to Istio's own routes, not to an HTTPRoute, and no Istio policy attaches them to one.",
	"proxy-next-upstream-timeout":      "Istio's retry settings (VirtualService.http[].retries) apply to Istio's own routes, not to an HTTPRoute, and no Istio policy attaches them to one.",
	"limit-rps":                        "Istio has no rate-limit API: Envoy's local rate limit needs an EnvoyFilter, which routeshift does not write.",
	"limit-rpm":                        "Istio has no rate-limit API: Envoy's local rate limit needs an EnvoyFilter, which routeshift does not write.",
	"limit-burst-multiplier":           "Istio has no rate-limit API: Envoy's local rate limit needs an EnvoyFilter, which routeshift does not write.",
	"limit-allowlist":                  "Istio has no rate-limit API: Envoy's local rate limit needs an EnvoyFilter, which routeshift does not write.",
	"limit-whitelist":                  "Istio has no rate-limit API: Envoy's local rate limit needs an EnvoyFilter, which routeshift does not write.",
	"limit-connections":                "Istio has no per-client connection limit; DestinationRule connectionPool.tcp.maxConnections limits all clients of a Service together, which would turn a per-client limit into an outage.",
	"limit-rate":                       "Istio has no response bandwidth limit outside an EnvoyFilter.",
	"limit-rate-after":                 "Istio has no response bandwidth limit outside an EnvoyFilter.",
	"auth-type":                        "Istio has no basic authentication: it needs a Wasm plugin or an external authorization service.",
	"auth-secret":                      "Istio has no basic authentication: it needs a Wasm plugin or an external authorization service.",
	"auth-secret-type":                 "Istio has no basic authentication: it needs a Wasm plugin or an external authorization service.",
	"auth-realm":                       "Istio has no basic authentication: it needs a Wasm plugin or an external authorization service.",
	"auth-url":                         "An AuthorizationPolicy with action CUSTOM names an extension provider that must be declared in meshConfig (extensionProviders[].envoyExtAuthzHttp): mesh configuration, not a manifest routeshift can write.",
	"auth-response-headers":            "Istio sets the headers copied from the auth answer on the meshConfig extension provider (headersToUpstreamOnAllow), not per route; auth-url is not translated either.",
	"auth-method":                      "Istio's external authorization is configured in meshConfig, not per route; auth-url is not translated either.",
	"auth-signin":                      "Istio's external authorization cannot redirect to a sign-in page on 401; the auth service's answer reaches the client.",
	"auth-cache-key":                   "Istio's external authorization does not cache answers.",
	"auth-cache-duration":              "Istio's external authorization does not cache answers.",
	"satisfy":                          "AuthorizationPolicies combine as deny-then-allow; satisfy any (an allowed address or a login) cannot be expressed, and authentication is not translated.",
	"affinity-mode":                    "Consistent hashing moves some sessions when endpoints change, like balanced mode; persistent mode cannot be reproduced.",
	"session-cookie-change-on-failure": "Envoy keeps hashing the same cookie value when its endpoint fails.",
	"session-cookie-conditional-samesite-none": "Cookie attributes are fixed; SameSite cannot depend on the browser.",
	"upstream-hash-by-subset":                  "Istio's consistent hash has no subsets.",
	"upstream-hash-by-subset-size":             "Istio's consistent hash has no subsets.",
	"custom-http-errors":                       "Istio cannot send error responses to ingress-nginx's default backend without an EnvoyFilter.",
	"canary-by-cookie":                         "HTTPRoute has no cookie match, and no Istio policy adds one to an HTTPRoute (VirtualService could, on Istio's own routes).",
}
