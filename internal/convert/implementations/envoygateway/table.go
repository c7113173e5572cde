package envoygateway

import "github.com/routeshift/routeshift/internal/convert/implementations"

// The objects this implementation emits. Field paths in the table below
// were checked against the v1.9.1 CRDs kept in
// testdata/implementations/crds/envoy-gateway.
const (
	apiVersion = "gateway.envoyproxy.io/v1alpha1"
	btp        = "BackendTrafficPolicy"
	sp         = "SecurityPolicy"
)

type handling = implementations.Handling

// supports is what Supports returns (a copy of it). Notes state every
// difference a user could observe, defaults included, because the
// documentation is generated from them.
var supports = map[string]handling{
	"proxy-body-size": {Approximated: true, Resource: btp + ".spec.requestBuffer.limit",
		Note: "Requests above the limit get 413, as in nginx, but Envoy enforces the limit by buffering each request whole in memory, which breaks streaming uploads, gRPC streaming and WebSocket on these routes; limits above 64Mi and gRPC backends are therefore not translated. \"0\" (no limit) needs no policy. Without the annotation nginx limits bodies to 1m and Envoy Gateway sets no limit."},
	"proxy-connect-timeout": {Resource: btp + ".spec.timeout.tcp.connectTimeout",
		Note: "The same timeout for establishing the upstream connection (TLS handshake included in Envoy). Without the annotation nginx waits 5s and Envoy Gateway 10s."},
	"proxy-read-timeout": {Approximated: true, Resource: btp + ".spec.timeout.http.requestTimeout",
		Note: "nginx limits the time between two successive reads of the response; Envoy limits the whole response, from the end of the request. A response that keeps streaming for longer than the value is cut off by Envoy but not by nginx. Without any timeout annotation nginx allows 60s between reads and Envoy 15s for the whole response."},
	"proxy-send-timeout": {Approximated: true, Resource: btp + ".spec.timeout.http.streamIdleTimeout",
		Note: "nginx limits the time between two successive writes of the request to the upstream; Envoy's stream idle timeout limits the time without activity in either direction, so it is set to the larger of this value and the read timeout (60s when unset), lest it cut off a slow response that nginx waits for."},
	"limit-rps": {Approximated: true, Resource: btp + ".spec.rateLimit.local.rules (sourceCIDR Distinct: per client address)",
		Note: "Both count per client address and per proxy replica (Envoy tracks at most 10000 addresses per listener at a time). nginx lets a client burst limit-burst-multiplier (default 5) times the rate at once and answers 503; Envoy's token bucket holds one second's worth of requests, refilled every second, and answers 429."},
	"limit-rpm": {Approximated: true, Resource: btp + ".spec.rateLimit.local.rules (sourceCIDR Distinct: per client address)",
		Note: "Both count per client address and per proxy replica (Envoy tracks at most 10000 addresses per listener at a time). nginx spreads the requests over the minute with a burst of limit-burst-multiplier (default 5) times the per-minute rate and answers 503; Envoy's token bucket refills the whole minute's requests at once and answers 429."},
	"allowlist-source-range": {Resource: sp + ".spec.authorization (Allow rule with clientCIDRs, defaultAction Deny)",
		Note: "Other clients get 403 in both. Both judge the client address their own client-IP detection yields: nginx's use-forwarded-headers and proxy-real-ip-cidr, Envoy Gateway's ClientTrafficPolicy clientIPDetection; configure them alike."},
	"whitelist-source-range": {Resource: sp + ".spec.authorization (Allow rule with clientCIDRs, defaultAction Deny)",
		Note: "The deprecated spelling of allowlist-source-range, which wins when both are set. Other clients get 403 in both; client-IP detection must be configured alike."},
	"denylist-source-range": {Resource: sp + ".spec.authorization (Deny rule with clientCIDRs, first)",
		Note: "Listed clients get 403 in both, before any allowlist applies, as nginx orders its deny and allow lines; client-IP detection must be configured alike."},
	"auth-type": {Resource: sp + ".spec.basicAuth",
		Note: "basic only; Envoy Gateway has no digest authentication. Every error (digest, a missing or unusable Secret) still emits the SecurityPolicy, so that Envoy Gateway answers 500 until it is fixed, as ingress-nginx denies the location."},
	"auth-secret": {Resource: sp + ".spec.basicAuth.users (Secret <ingress>-htpasswd, key .htpasswd)",
		Note: "Envoy Gateway reads htpasswd lines from the key .htpasswd and accepts only {SHA} hashes. The user list is copied into a generated Secret when the input holds the Secret, in the Ingress's namespace, with only {SHA} hashes; otherwise an error says what to create."},
	"auth-secret-type": {Resource: sp + ".spec.basicAuth.users",
		Note: "auth-file (one htpasswd file under the key auth) and auth-map (one key per user) are both read into the generated .htpasswd Secret."},
	"auth-realm": {Approximated: true, Resource: sp + ".spec.basicAuth",
		Note: "Envoy Gateway cannot set the realm, so the login prompt's text differs; authentication is the same."},
	"auth-url": {Approximated: true, Resource: sp + ".spec.extAuth.http (backendRefs, pathOverride)",
		Note: "Only an http URL naming a Service by its cluster DNS name (http://<service>.<namespace>.svc.cluster.local:<port>/<path>) becomes a backendRef (with a ReferenceGrant when the Service is in another namespace). The auth service receives the request's Host, method, path, Content-Length and Authorization (the vendor's defaults) plus Cookie and X-Forwarded-For/-Host/-Proto to the URL's path, where nginx sends every header plus X-Original-URL and X-Original-Method. Only a 200 answer lets the request through (nginx accepts any 2xx: oauth2-proxy's /oauth2/auth answers 202); other answers reach the client as they are, where nginx returns 401 and 403 and turns the rest into 500; an unreachable auth service gives 403."},
	"auth-response-headers": {Resource: sp + ".spec.extAuth.http.headersToBackend",
		Note: "The named headers of the auth service's answer are copied onto the request to the backend, overriding headers of the same name, as nginx does."},
	"affinity": {Approximated: true, Resource: btp + ".spec.loadBalancer (ConsistentHash on a cookie)",
		Note: "cookie only. Envoy hashes the cookie's value onto the endpoints (Maglev) and sets the cookie when absent; nginx stores the chosen endpoint in it. When endpoints change, some sessions move to another endpoint, as in nginx's default balanced mode; affinity-mode persistent is not reproduced. Envoy's cookie is HttpOnly, as nginx's."},
	"session-cookie-name": {Resource: btp + ".spec.loadBalancer.consistentHash.cookie.name",
		Note: "The cookie name; without the annotation nginx's default INGRESSCOOKIE is written out."},
	"session-cookie-max-age": {Resource: btp + ".spec.loadBalancer.consistentHash.cookie.ttl",
		Note: "The cookie's Max-Age. Without it and session-cookie-expires the cookie lasts for the browser session in both."},
	"session-cookie-expires": {Approximated: true, Resource: btp + ".spec.loadBalancer.consistentHash.cookie.ttl",
		Note: "Used when session-cookie-max-age is absent: Envoy sets Max-Age to it where nginx sets an Expires date; browsers treat both alike."},
	"session-cookie-path": {Resource: btp + ".spec.loadBalancer.consistentHash.cookie.attributes.Path",
		Note: "The cookie's Path. Without it nginx uses the location's path and Envoy none, so browsers default to the request's directory."},
	"session-cookie-domain": {Resource: btp + ".spec.loadBalancer.consistentHash.cookie.attributes.Domain",
		Note: "The cookie's Domain attribute."},
	"session-cookie-samesite": {Resource: btp + ".spec.loadBalancer.consistentHash.cookie.attributes.SameSite",
		Note: "The cookie's SameSite attribute (None, Lax or Strict)."},
	"session-cookie-secure": {Resource: btp + ".spec.loadBalancer.consistentHash.cookie.attributes.Secure",
		Note: "The cookie's Secure attribute."},
	"upstream-hash-by": {Resource: btp + ".spec.loadBalancer (ConsistentHash)",
		Note: "$remote_addr and $binary_remote_addr hash the client address, $http_<name> a header, $cookie_<name> a cookie and $arg_<name> a query parameter; other variables and combinations are not translated. A request without the value is balanced normally, where nginx hashes the empty value to one endpoint."},
	"load-balance": {Approximated: true, Resource: btp + ".spec.loadBalancer.type",
		Note: "round_robin is RoundRobin; ewma becomes LeastRequest, which prefers endpoints with fewer outstanding requests rather than lower latency. Without the annotation nginx balances round robin and Envoy Gateway by least request."},
	"proxy-next-upstream": {Approximated: true, Resource: btp + ".spec.retry.retryOn",
		Note: "error and timeout retry on connect-failure and reset, invalid_header on reset, http_<code> on that status; off retries nothing. Envoy retries requests of every method (nginx retries POST, LOCK and PATCH only with non_idempotent) and may pick the same endpoint again. Without retry annotations nginx retries error and timeout up to 3 tries, and Envoy Gateway not at all."},
	"proxy-next-upstream-tries": {Resource: btp + ".spec.retry.numRetries",
		Note: "nginx counts the first attempt: tries N is N-1 retries."},
	"proxy-next-upstream-timeout": {Approximated: true, Resource: btp + ".spec.retry.perRetry.timeout",
		Note: "nginx bounds the time spent on all attempts together; Envoy bounds each retry, so the total may be longer."},
}

// unsupported explains what this implementation cannot carry although an
// Envoy Gateway policy might be expected to; Unsupported returns a copy.
var unsupported = map[string]string{
	"limit-connections":                        "Envoy Gateway has no per-client limit on concurrent connections; BackendTrafficPolicy.circuitBreaker limits all clients of a backend together, which would turn a per-client limit into an outage.",
	"limit-burst-multiplier":                   "Envoy's local rate limit bucket holds exactly one interval's worth of requests; nginx's extra burst cannot be set.",
	"limit-allowlist":                          "A local rate-limit rule matches one source CIDR, so per-client counting cannot be combined with exempt ranges.",
	"limit-whitelist":                          "A local rate-limit rule matches one source CIDR, so per-client counting cannot be combined with exempt ranges.",
	"limit-rate":                               "BackendTrafficPolicy.bandwidthLimit is one bucket shared by every request of the route; nginx limits each response on its own.",
	"limit-rate-after":                         "Envoy Gateway's bandwidth limit has no initial unlimited amount.",
	"auth-method":                              "SecurityPolicy.extAuth has no field for the method of the authorization request.",
	"auth-signin":                              "SecurityPolicy.extAuth cannot redirect to a sign-in page on 401; the auth service's answer reaches the client. SecurityPolicy.oidc runs a login flow itself.",
	"auth-signin-redirect-param":               "SecurityPolicy.extAuth cannot redirect to a sign-in page.",
	"auth-cache-key":                           "SecurityPolicy.extAuth does not cache answers.",
	"auth-cache-duration":                      "SecurityPolicy.extAuth does not cache answers.",
	"auth-always-set-cookie":                   "SecurityPolicy.extAuth.http.headersToBackend copies headers to the backend request only, never to the client's response.",
	"satisfy":                                  "A SecurityPolicy requires every check it configures; satisfy any cannot be expressed.",
	"affinity-mode":                            "Consistent hashing moves some sessions when endpoints change, like balanced mode; persistent mode cannot be reproduced.",
	"session-cookie-change-on-failure":         "Envoy keeps hashing the same cookie value when its endpoint fails.",
	"session-cookie-conditional-samesite-none": "Cookie attributes are fixed; SameSite cannot depend on the browser.",
	"upstream-hash-by-subset":                  "Envoy Gateway's consistent hash has no subsets.",
	"upstream-hash-by-subset-size":             "Envoy Gateway's consistent hash has no subsets.",
	"custom-http-errors":                       "BackendTrafficPolicy.responseOverride can answer a fixed body or a redirect for given status codes, but cannot send the request to ingress-nginx's default backend with its X-Code headers.",
	"canary-by-cookie":                         "Envoy Gateway's HTTPRouteFilter matches cookies (spec.matches[].cookies), but only as an ExtensionRef filter on the canary rule of the HTTPRoute, which implementations do not write.",
}
