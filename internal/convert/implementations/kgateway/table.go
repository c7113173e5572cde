package kgateway

import "github.com/routeshift/routeshift/internal/convert/implementations"

// The objects this implementation emits. Field paths in the table below
// were checked against the v2.2.0 CRDs kept in
// testdata/implementations/crds/kgateway.
const (
	apiVersion = "gateway.kgateway.dev/v1alpha1"
	tp         = "TrafficPolicy"
	ge         = "GatewayExtension"
)

type handling = implementations.Handling

// supports is what Supports returns (a copy of it).
var supports = map[string]handling{
	"proxy-body-size": {Approximated: true, Resource: tp + ".spec.buffer.maxRequestSize",
		Note: "Requests above the limit get 413, as in nginx, but Envoy enforces the limit by buffering each request whole in memory, which breaks streaming uploads, gRPC streaming and WebSocket on these routes; limits above 64Mi and gRPC backends are therefore not translated. \"0\" (no limit) needs no policy. Without the annotation nginx limits bodies to 1m and kgateway sets no limit."},
	"proxy-read-timeout": {Approximated: true, Resource: tp + ".spec.timeouts.request",
		Note: "nginx limits the time between two successive reads of the response; Envoy limits the whole response, from the end of the request. A response that keeps streaming for longer than the value is cut off by Envoy but not by nginx. Without any timeout annotation nginx allows 60s between reads and Envoy 15s for the whole response."},
	"proxy-send-timeout": {Approximated: true, Resource: tp + ".spec.timeouts.streamIdle",
		Note: "nginx limits the time between two successive writes of the request to the upstream; Envoy's stream idle timeout limits the time without activity in either direction, so it is set to the larger of this value and the read timeout (60s when unset), lest it cut off a slow response that nginx waits for."},
	"proxy-next-upstream": {Approximated: true, Resource: tp + ".spec.retry.retryOn and statusCodes",
		Note: "error and timeout retry on connect-failure and reset, invalid_header on reset, http_<code> on that status; off retries nothing. Envoy retries requests of every method (nginx retries POST, LOCK and PATCH only with non_idempotent) and may pick the same endpoint again. Without retry annotations nginx retries error and timeout up to 3 tries, and kgateway not at all."},
	"proxy-next-upstream-tries": {Resource: tp + ".spec.retry.attempts",
		Note: "nginx counts the first attempt: tries N is N-1 retries."},
	"proxy-next-upstream-timeout": {Approximated: true, Resource: tp + ".spec.retry.perTryTimeout",
		Note: "nginx bounds the time spent on all attempts together; Envoy bounds each attempt, so the total may be longer. kgateway requires it to be below the read timeout; when it is not, it is left out."},
	"auth-type": {Resource: tp + ".spec.basicAuth",
		Note: "basic only; kgateway has no digest authentication. Every error (digest, a missing or unusable Secret) still emits the basicAuth section, so that kgateway answers 500 until it is fixed, as ingress-nginx denies the location."},
	"auth-secret": {Resource: tp + ".spec.basicAuth.secretRef",
		Note: "Envoy accepts only {SHA} hashes. An auth-file Secret whose lines are plain user:{SHA}hash is referenced as it is (key auth); otherwise its {SHA} users are copied into a generated Secret <ingress>-htpasswd (key .htpasswd). A Secret absent from the input is referenced unchecked, and kgateway answers 500 if any of its users has another hash."},
	"auth-secret-type": {Resource: tp + ".spec.basicAuth.secretRef",
		Note: "auth-file is referenced as it is when it can be; auth-map (one key per user) is copied into the generated .htpasswd Secret, and must therefore be in the input."},
	"auth-realm": {Approximated: true, Resource: tp + ".spec.basicAuth",
		Note: "kgateway cannot set the realm, so the login prompt's text differs; authentication is the same."},
	"auth-url": {Approximated: true, Resource: tp + ".spec.extAuth.extensionRef, GatewayExtension <ingress>-ext-auth (type ExtAuth, httpService)",
		Note: "Only an http URL naming a Service by its cluster DNS name with the path / translates: kgateway sends the check to the URL's path followed by the request's path, where nginx calls exactly the URL. The Service becomes the GatewayExtension's backendRef (with a ReferenceGrant when it is in another namespace). The auth service receives the request's Host, method, path, Content-Length and Authorization (the vendor's defaults) plus Cookie and X-Forwarded-For/-Host/-Proto, where nginx sends every header plus X-Original-URL and X-Original-Method. Only a 200 answer lets the request through (nginx accepts any 2xx); other answers reach the client as they are, where nginx returns 401 and 403 and turns the rest into 500; an unreachable auth service gives 403."},
	"auth-response-headers": {Resource: ge + ".spec.extAuth.httpService.authorizationResponse.headersToBackend",
		Note: "The named headers of the auth service's answer are copied onto the request to the backend, as nginx does."},
}

var unsupported = map[string]string{
	"proxy-connect-timeout":  "kgateway sets connect timeouts in BackendConfigPolicy, which applies to a Service for every route that uses it, not to one Ingress's routes.",
	"limit-rps":              "TrafficPolicy.rateLimit.local is one token bucket for all clients of a route, where nginx counts per client address: a per-client limit would become a limit for everyone. A per-client limit needs rateLimit.global and a rate-limit service.",
	"limit-rpm":              "TrafficPolicy.rateLimit.local is one token bucket for all clients of a route, where nginx counts per client address: a per-client limit would become a limit for everyone. A per-client limit needs rateLimit.global and a rate-limit service.",
	"limit-connections":      "kgateway has no per-client limit on concurrent connections.",
	"limit-burst-multiplier": "Not translated because limit-rps and limit-rpm are not.",
	"allowlist-source-range": "TrafficPolicy.rbac matches CEL expressions, and kgateway v2.2.0 documents no client CIDR matcher to write them with.",
	"whitelist-source-range": "TrafficPolicy.rbac matches CEL expressions, and kgateway v2.2.0 documents no client CIDR matcher to write them with.",
	"denylist-source-range":  "TrafficPolicy.rbac matches CEL expressions, and kgateway v2.2.0 documents no client CIDR matcher to write them with.",
	"affinity":               "kgateway sets load balancing in BackendConfigPolicy, which applies to a Service for every route that uses it, not to one Ingress's routes.",
	"upstream-hash-by":       "kgateway sets load balancing in BackendConfigPolicy, which applies to a Service for every route that uses it, not to one Ingress's routes.",
	"load-balance":           "kgateway sets load balancing in BackendConfigPolicy, which applies to a Service for every route that uses it, not to one Ingress's routes.",
	"auth-method":            "GatewayExtension.extAuth has no field for the method of the authorization request.",
	"auth-signin":            "kgateway's external authorization cannot redirect to a sign-in page on 401; GatewayExtension type OAuth2 runs a login flow itself.",
	"custom-http-errors":     "TrafficPolicy has no way to send error responses to ingress-nginx's default backend.",
}
