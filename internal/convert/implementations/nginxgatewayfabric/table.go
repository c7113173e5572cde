package nginxgatewayfabric

import "github.com/routeshift/routeshift/internal/convert/implementations"

// The objects this implementation emits. Field paths in the table below
// were checked against the v2.6.7 CRDs kept in
// testdata/implementations/crds/nginx-gateway-fabric, and what each field
// writes into nginx against the generators of nginx/nginx-gateway-fabric
// v2.6.7 (internal/controller/nginx/config/policies/...).
const (
	apiVersion = "gateway.nginx.org/v1alpha1"
	csp        = "ClientSettingsPolicy"
	psp        = "ProxySettingsPolicy"
	rlp        = "RateLimitPolicy"
	usp        = "UpstreamSettingsPolicy"
	af         = "AuthenticationFilter"
	sf         = "SnippetsFilter"
)

type handling = implementations.Handling

// Notes shared by several annotations.
const (
	uspScope  = " The UpstreamSettingsPolicy (named after the Service, in its namespace) applies to every route using the Service, as ingress-nginx keeps balancing per upstream; two Ingresses asking different settings for one Service are reported and neither is generated. Without any balancing annotation ingress-nginx balances round robin and NGINX Gateway Fabric by random two least_conn."
	sfNeeds   = " The lines are built from the parsed ranges, never copied from the annotation, and carried by a SnippetsFilter (context http.server.location) referenced from the routes' forwarding rules: NGINX Gateway Fabric must run with snippets enabled (Helm nginxGateway.snippets.enable), otherwise it cannot resolve the filter and answers 500 on these routes. Both judge the address their client-IP detection yields (ingress-nginx: use-forwarded-headers, proxy-real-ip-cidr; NGF: NginxProxy rewriteClientIP); configure them alike."
	pspTarget = psp + ".spec"
)

// supports is what Supports returns (a copy of it). Notes state every
// difference a user could observe, defaults included, because the
// documentation is generated from them.
var supports = map[string]handling{
	"proxy-body-size": {Resource: csp + ".spec.body.maxSize (one per route, targetRef HTTPRoute)",
		Note: "client_max_body_size, as ingress-nginx writes it; \"0\" turns the limit off in both. Without the annotation both limit bodies to 1m."},
	"proxy-connect-timeout": {Resource: pspTarget + ".timeout.connect",
		Note: "proxy_connect_timeout, as ingress-nginx writes it. Without the annotation ingress-nginx waits 5s and NGINX Gateway Fabric nginx's 60s."},
	"proxy-read-timeout": {Resource: pspTarget + ".timeout.read",
		Note: "proxy_read_timeout: the time between two reads of the response, in both. Without the annotation both allow 60s."},
	"proxy-send-timeout": {Resource: pspTarget + ".timeout.send",
		Note: "proxy_send_timeout: the time between two writes of the request, in both. Without the annotation both allow 60s."},
	"proxy-buffering": {Resource: pspTarget + ".buffering.disable",
		Note: "proxy_buffering on or off. Without the annotation ingress-nginx does not buffer responses (its ConfigMap default is off) and NGINX Gateway Fabric does (nginx's default), which delays streamed responses such as server-sent events; set proxy-buffering: \"off\" to keep them streaming."},
	"proxy-buffer-size": {Resource: pspTarget + ".buffering.bufferSize and buffers.size",
		Note: "proxy_buffer_size and the size of proxy_buffers, as ingress-nginx writes both; proxy-buffers-number defaults to 4 there."},
	"proxy-buffers-number": {Resource: pspTarget + ".buffering.buffers.number",
		Note: "The number of proxy_buffers (2 to 256 in NGF), of proxy-buffer-size each (4k by default, as in ingress-nginx)."},
	"proxy-busy-buffers-size": {Resource: pspTarget + ".buffering.busyBuffersSize",
		Note: "proxy_busy_buffers_size; a value nginx would refuse (not above the buffer size, not below all buffers but one) is not translated."},
	"limit-rps": {Resource: rlp + ".spec.rateLimit.local.rules (key $binary_remote_addr, rate N r/s, burst, noDelay)",
		Note: "The limit_req_zone and limit_req ingress-nginx writes: per client address, burst limit-burst-multiplier times the rate, nodelay, a 5m zone, 503 when exceeded (ingress-nginx's limit-req-status-code default and nginx's). The zone is per policy: one per Ingress and 16 routes."},
	"limit-rpm": {Resource: rlp + ".spec.rateLimit.local.rules (key $binary_remote_addr, rate N r/m, burst, noDelay)",
		Note: "As limit-rps, per minute; both apply together when both are set, as two limit_req do in ingress-nginx."},
	"limit-burst-multiplier": {Resource: rlp + ".spec.rateLimit.local.rules[].burst",
		Note: "The burst of each rule is the rate times the multiplier, as ingress-nginx computes it."},
	"allowlist-source-range": {Approximated: true, Resource: sf + ".spec.snippets (allow <range>; ... deny all;)",
		Note: "The allow lines and deny all that ingress-nginx writes; clients outside the list get 403 in both." + sfNeeds},
	"whitelist-source-range": {Approximated: true, Resource: sf + ".spec.snippets (allow <range>; ... deny all;)",
		Note: "The deprecated spelling of allowlist-source-range, which wins when both are set." + sfNeeds},
	"denylist-source-range": {Approximated: true, Resource: sf + ".spec.snippets (deny <range>; first)",
		Note: "The deny lines ingress-nginx writes before any allow line; listed clients get 403 in both." + sfNeeds},
	"auth-type": {Resource: af + ".spec.type Basic (ExtensionRef filter on the forwarding rules)",
		Note: "basic only (NGF has no digest authentication). auth_basic as ingress-nginx writes it. Every error (digest, a missing or unusable Secret) still emits the filter, so that NGF answers 500 until it is fixed, as ingress-nginx denies the location."},
	"auth-secret": {Resource: af + ".spec.basic.secretRef",
		Note: "auth_basic_user_file from the Secret's key auth, which is where an ingress-nginx auth-file Secret holds it: the Secret is referenced as it is, and every hash nginx reads works ($apr1$, crypt, {SHA}, ...). It must be in the Ingress's namespace (NGF reads no other). An auth-map Secret is copied into a generated auth-file Secret <ingress>-htpasswd."},
	"auth-secret-type": {Resource: af + ".spec.basic.secretRef",
		Note: "auth-file is referenced as it is; auth-map (one key per user) is copied into the generated Secret, and must therefore be in the input."},
	"auth-realm": {Resource: af + ".spec.basic.realm",
		Note: "auth_basic's realm, as ingress-nginx writes it (empty without the annotation). A realm with a backslash or $ is not translated: NGF writes it into its configuration unescaped."},
	"satisfy": {Resource: sf + ".spec.snippets (satisfy any;)",
		Note: "satisfy any, written into the access lines, which share the location with the AuthenticationFilter's auth_basic: an allowed address or a valid login is enough, as in ingress-nginx. all is nginx's default; any has an effect only beside both an access list and basic authentication."},
	"upstream-hash-by": {Approximated: true, Resource: usp + ".spec.loadBalancingMethod hash consistent, hashMethodKey",
		Note: "nginx's consistent hash (ketama) on the same variable, where ingress-nginx's Lua balancer uses its own consistent hash: both keep a key on one endpoint and move few keys when endpoints change, but not onto the same endpoints. A request with an empty value is balanced round robin by nginx, where ingress-nginx hashes the empty value to one endpoint. One nginx variable only (such as $remote_addr, $request_uri, $http_x_user, $cookie_session); composites are not translated." + uspScope},
	"load-balance": {Approximated: true, Resource: usp + ".spec.loadBalancingMethod",
		Note: "round_robin is nginx's round_robin, as in ingress-nginx; ewma (ingress-nginx's Lua, latency-weighted) becomes least_conn, which prefers endpoints with fewer active connections." + uspScope},
}

const plusCookie = "NGINX Gateway Fabric's cookie session persistence (HTTPRoute rules[].sessionPersistence, an experimental field the converter does not write) needs NGINX Plus: nginx open source has no sticky cookie."

// unsupported explains what this implementation cannot carry although an
// NGF resource might be expected to; Unsupported returns a copy.
var unsupported = map[string]string{
	"affinity":                                 plusCookie,
	"affinity-mode":                            plusCookie,
	"session-cookie-name":                      plusCookie,
	"session-cookie-max-age":                   plusCookie,
	"session-cookie-expires":                   plusCookie,
	"session-cookie-path":                      plusCookie,
	"session-cookie-domain":                    plusCookie,
	"session-cookie-samesite":                  plusCookie,
	"session-cookie-secure":                    plusCookie,
	"session-cookie-change-on-failure":         plusCookie,
	"session-cookie-conditional-samesite-none": plusCookie,
	"upstream-hash-by-subset":                  "NGF's UpstreamSettingsPolicy hash has no subsets.",
	"upstream-hash-by-subset-size":             "NGF's UpstreamSettingsPolicy hash has no subsets.",
	"limit-connections":                        "RateLimitPolicy writes limit_req only; no NGF policy writes limit_conn.",
	"limit-allowlist":                          "RateLimitPolicy's key cannot exempt ranges: ingress-nginx keys its zone on a map that gives allowlisted clients an empty key, which NGF cannot define.",
	"limit-whitelist":                          "RateLimitPolicy's key cannot exempt ranges: ingress-nginx keys its zone on a map that gives allowlisted clients an empty key, which NGF cannot define.",
	"limit-rate":                               "No NGF policy sets limit_rate.",
	"limit-rate-after":                         "No NGF policy sets limit_rate_after.",
	"proxy-next-upstream":                      "NGF v2.6.7 supports neither HTTPRoute retries nor a retry policy; proxy_next_upstream could only come from a snippet, which routeshift does not write for it.",
	"proxy-next-upstream-tries":                "NGF v2.6.7 supports neither HTTPRoute retries nor a retry policy.",
	"proxy-next-upstream-timeout":              "NGF v2.6.7 supports neither HTTPRoute retries nor a retry policy.",
	"auth-url":                                 "NGINX Gateway Fabric open source has no external authentication (AuthenticationFilter's OIDC and JWT need NGINX Plus); auth_request would need a snippet, which routeshift does not write.",
	"auth-response-headers":                    "auth-url is not translated for NGINX Gateway Fabric.",
	"auth-method":                              "auth-url is not translated for NGINX Gateway Fabric.",
	"auth-signin":                              "auth-url is not translated for NGINX Gateway Fabric.",
	"auth-cache-key":                           "auth-url is not translated for NGINX Gateway Fabric.",
	"auth-cache-duration":                      "auth-url is not translated for NGINX Gateway Fabric.",
	"custom-http-errors":                       "No NGF policy sends error responses to ingress-nginx's default backend.",
	"canary-by-cookie":                         "HTTPRoute has no cookie match, and no NGF filter adds one.",
}
