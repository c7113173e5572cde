package annotations

// The table is long because it is the one place the catalogue lives: every
// annotation, its risk, scope, tags and mapping, read by the conversion, the
// support matrix and the generated documentation alike.

// catalogue is every annotation ingress-nginx reads, sorted by Name so that
// Lookup can binary-search it. It is the union of the controller's documented
// annotations, annotations-risk.md (generated from the parsers) and
// limit-whitelist, which only the code still parses (the reference table
// testdata/annotations/reference.md). Mixed tags keep the reference's order,
// so Tags[0] is always the primary tag (Entry.Tag).
var catalogue = []Entry{
	{
		Name: "affinity", Risk: Low, Scope: Ingress,
		Tags:    []Tag{Experimental},
		Gateway: "Cookie affinity maps to the experimental sessionPersistence (deprecated in v1.7 in favour of XBackend), otherwise to an implementation policy. It picks the endpoint, never the Service.",
	},
	{
		Name: "affinity-canary-behavior", Risk: Low, Scope: Ingress,
		Tags:    []Tag{None},
		Gateway: "How stickiness interacts with canary selection; nothing comparable exists, so drop and warn.",
	},
	{
		Name: "affinity-mode", Risk: Medium, Scope: Ingress,
		Tags:    []Tag{Policy},
		Gateway: "Balanced versus persistent rebalancing of sticky sessions; implementation policy, no field.",
	},
	{
		Name: "allowlist-source-range", Risk: Medium, Scope: Location,
		Tags:    []Tag{Policy},
		Gateway: "403 outside the listed CIDRs; implementation policy whose meaning depends on how the client IP is found (forwarded headers, proxy protocol).",
	},
	{
		Name: "app-root", Risk: Medium, Scope: Location,
		Tags:    []Tag{Core, Extended},
		Gateway: "Adds an Exact \"/\" rule answering 302 with a ReplaceFullPath path redirect to the root (path redirect is Extended). nginx applies it to the whole host, before any location is matched.",
	},
	{
		Name: "auth-always-set-cookie", Risk: Low, Scope: Location,
		Tags:    []Tag{Policy},
		Gateway: "Passes the auth service's cookies on every response, not only on success; implementation policy.",
	},
	{
		Name: "auth-cache-duration", Risk: Medium, Scope: Location,
		Tags:    []Tag{Policy},
		Gateway: "Lifetime of cached external auth responses; implementation policy.",
	},
	{
		Name: "auth-cache-key", Risk: Medium, Scope: Location,
		Tags:    []Tag{Policy},
		Gateway: "Cache key for external auth responses; implementation policy.",
	},
	{
		Name: "auth-keepalive", Risk: Low, Scope: Location,
		Tags:    []Tag{NotApplicable},
		Gateway: "Connection pooling towards the auth service; no routing effect.",
	},
	{
		Name: "auth-keepalive-requests", Risk: Low, Scope: Location,
		Tags:    []Tag{NotApplicable},
		Gateway: "Request cap per pooled auth connection; no routing effect.",
	},
	{
		Name: "auth-keepalive-share-vars", Risk: Low, Scope: Location,
		Tags:    []Tag{NotApplicable},
		Gateway: "Variable sharing on pooled auth subrequests; no routing effect.",
	},
	{
		Name: "auth-keepalive-timeout", Risk: Low, Scope: Location,
		Tags:    []Tag{NotApplicable},
		Gateway: "Idle timeout of pooled auth connections; no routing effect.",
	},
	{
		Name: "auth-method", Risk: Low, Scope: Location,
		Tags:    []Tag{Policy},
		Gateway: "HTTP method of the auth subrequest; implementation policy.",
	},
	{
		Name: "auth-proxy-set-headers", Risk: Medium, Scope: Location,
		Tags:    []Tag{Unsafe},
		Gateway: "ConfigMap of headers sent to the auth service and an injection vector (CVE-2025-15566); never translated. ExternalAuth allowedHeaders can only list header names.",
	},
	{
		Name: "auth-realm", Risk: Medium, Scope: Location,
		Tags:    []Tag{Policy},
		Gateway: "Realm announced by basic auth; only an implementation basic-auth policy can carry it.",
	},
	{
		Name: "auth-request-redirect", Risk: Medium, Scope: Location,
		Tags:    []Tag{Policy},
		Gateway: "Value sent to the auth service as X-Auth-Request-Redirect; implementation policy.",
	},
	{
		Name: "auth-response-headers", Risk: Medium, Scope: Location,
		Tags:    []Tag{Experimental},
		Gateway: "ExternalAuth http.allowedResponseHeaders (experimental).",
	},
	{
		Name: "auth-secret", Risk: Medium, Scope: Location,
		Tags:    []Tag{Policy},
		Gateway: "htpasswd Secret for basic auth, translatable only into an implementation policy. Subject of a path traversal CVE (CVE-2025-24513).",
	},
	{
		Name: "auth-secret-type", Risk: Low, Scope: Location,
		Tags:    []Tag{Policy},
		Gateway: "Whether the basic-auth Secret is an auth-file or an auth-map; matters only to the policy replacing it.",
	},
	{
		Name: "auth-signin", Risk: High, Scope: Location,
		Tags:    []Tag{Policy},
		Gateway: "Redirects to a sign-in page on 401 (the oauth2-proxy pattern); ExternalAuth cannot redirect on denial.",
	},
	{
		Name: "auth-signin-redirect-param", Risk: Medium, Scope: Location,
		Tags:    []Tag{Policy},
		Gateway: "Name of the return URL parameter used by auth-signin; implementation policy.",
	},
	{
		Name: "auth-snippet", Risk: Critical, Scope: Location,
		Tags:    []Tag{Unsafe},
		Gateway: "Raw nginx in the auth location, Critical risk; never translated.",
	},
	{
		Name: "auth-tls-error-page", Risk: High, Scope: Location,
		Tags:    []Tag{None},
		Gateway: "Where to redirect when the client certificate fails; no field, drop and warn.",
	},
	{
		Name: "auth-tls-match-cn", Risk: High, Scope: Location,
		Tags:    []Tag{Unsafe},
		Gateway: "Regex on the client certificate CN and a known injection vector (CVE-2025-1097); never translated, at most replaced by an implementation policy.",
	},
	{
		Name: "auth-tls-pass-certificate-to-upstream", Risk: Low, Scope: Location,
		Tags:    []Tag{Policy},
		Gateway: "Forwards the client certificate to the backend in a header; implementation policy.",
	},
	{
		Name: "auth-tls-secret", Risk: Medium, Scope: Location,
		Tags:    []Tag{Extended},
		Gateway: "The client-certificate CA becomes Gateway frontend validation caCertificateRefs (Extended). That is scoped to a Gateway or port, whereas nginx scopes it to one server.",
	},
	{
		Name: "auth-tls-verify-client", Risk: Medium, Scope: Location,
		Tags:    []Tag{Extended},
		Gateway: "on enables frontend client-certificate validation; the optional modes need AllowInsecureFallback (its own Extended feature); off validates nothing.",
	},
	{
		Name: "auth-tls-verify-depth", Risk: Low, Scope: Location,
		Tags:    []Tag{Policy},
		Gateway: "Client certificate chain depth; implementation policy, no field.",
	},
	{
		Name: "auth-type", Risk: Low, Scope: Location,
		Tags:    []Tag{Policy},
		Gateway: "basic can become an implementation basic-auth policy; digest has no counterpart at all.",
	},
	{
		Name: "auth-url", Risk: High, Scope: Location,
		Tags:    []Tag{Experimental},
		Gateway: "The experimental ExternalAuth filter (protocol HTTP), whose backendRef must be a Service rather than an arbitrary URL. Known injection vector (CVE-2025-24514).",
	},
	{
		Name: "backend-protocol", Risk: Low, Scope: Location,
		Tags:    []Tag{Extended, Core},
		Gateway: "HTTPS maps to BackendTLSPolicy plus appProtocol https, GRPC to a GRPCRoute (Core) or an h2c appProtocol (Extended), GRPCS to both. AUTO_HTTP and FCGI have no equivalent.",
	},
	{
		Name: "canary", Risk: Low, Scope: Ingress,
		Tags:    []Tag{Core},
		Gateway: "Makes this Ingress an alternative backend of the primary upstream; converted by merging its backends into the primary's rule.",
	},
	{
		Name: "canary-by-cookie", Risk: Medium, Scope: Ingress,
		Tags:    []Tag{Policy},
		Gateway: "Gateway API has no cookie matcher, and a regex on the Cookie header is implementation-specific and brittle.",
	},
	{
		Name: "canary-by-header", Risk: Medium, Scope: Ingress,
		Tags:    []Tag{Core},
		Gateway: "A Core Exact header match on \"always\" picks the canary and a higher-precedence match on \"never\" pins the primary. nginx folds - into _ in the header name, so underscores behave differently.",
	},
	{
		Name: "canary-by-header-pattern", Risk: Medium, Scope: Ingress,
		Tags:    []Tag{Policy},
		Gateway: "An unanchored PCRE in nginx; a RegularExpression header match is implementation-specific and usually another dialect.",
	},
	{
		Name: "canary-by-header-value", Risk: Medium, Scope: Ingress,
		Tags:    []Tag{Core},
		Gateway: "An Exact header match selecting the canary; any other value falls through to cookie and weight.",
	},
	{
		Name: "canary-weight", Risk: Low, Scope: Ingress,
		Tags:    []Tag{Core},
		Gateway: "backendRefs weights (Core); nginx draws afresh for every request.",
	},
	{
		Name: "canary-weight-total", Risk: Low, Scope: Ingress,
		Tags:    []Tag{Core},
		Gateway: "Weights become (weight, total-weight); nginx treats a total below 100 as 100.",
	},
	{
		Name: "client-body-buffer-size", Risk: Low, Scope: Location,
		Tags:    []Tag{NotApplicable},
		Gateway: "nginx request body buffering; no routing effect.",
	},
	{
		Name: "configuration-snippet", Risk: Critical, Scope: Location,
		Tags:    []Tag{Unsafe},
		Gateway: "Raw nginx inside the location, Critical risk and off by default (allow-snippet-annotations: false). Never copied: translated only when made of the triaged directives (headers, redirects, allow/deny; docs/conversion.md), otherwise unsafe, naming the first directive that cannot be placed.",
	},
	{
		Name: "connection-proxy-header", Risk: Low, Scope: Location,
		Tags:    []Tag{None},
		Gateway: "Sets the hop-by-hop Connection header; a RequestHeaderModifier on it is not portable, so drop and warn.",
	},
	{
		Name: "cors-allow-credentials", Risk: Low, Scope: Ingress,
		Tags:    []Tag{Extended},
		Gateway: "allowCredentials; nginx defaults to true, Gateway to false.",
	},
	{
		Name: "cors-allow-headers", Risk: Medium, Scope: Ingress,
		Tags:    []Tag{Extended},
		Gateway: "allowHeaders; nginx has a non-empty default list that has to be written out.",
	},
	{
		Name: "cors-allow-methods", Risk: Medium, Scope: Ingress,
		Tags:    []Tag{Extended},
		Gateway: "allowMethods; nginx defaults to GET, PUT, POST, DELETE, PATCH, OPTIONS, so the default has to be written out.",
	},
	{
		Name: "cors-allow-origin", Risk: Medium, Scope: Ingress,
		Tags:    []Tag{Extended},
		Gateway: "allowOrigins; a * in an nginx origin matches one DNS label, a Gateway * matches greedily from the left.",
	},
	{
		Name: "cors-expose-headers", Risk: Medium, Scope: Ingress,
		Tags:    []Tag{Extended},
		Gateway: "exposeHeaders.",
	},
	{
		Name: "cors-max-age", Risk: Low, Scope: Ingress,
		Tags:    []Tag{Extended},
		Gateway: "maxAge; nginx defaults to 1728000 seconds, Gateway to 5.",
	},
	{
		Name: "custom-headers", Risk: Medium, Scope: Location,
		Tags:    []Tag{Extended},
		Gateway: "Response headers taken from a ConfigMap, set through ResponseHeaderModifier (Extended).",
	},
	{
		Name: "custom-http-errors", Risk: Low, Scope: Location,
		Tags:    []Tag{Policy},
		Gateway: "Intercepts upstream status codes and serves them from the default backend; implementation policy.",
	},
	{
		Name: "default-backend", Risk: Low, Scope: Location,
		Tags:    []Tag{None},
		Gateway: "Fallback Service for a primary without endpoints or for custom-http-errors; Gateway API has no fallback backend.",
	},
	{
		Name: "denylist-source-range", Risk: Medium, Scope: Location,
		Tags:    []Tag{Policy},
		Gateway: "403 for the listed CIDRs; implementation authorization policy.",
	},
	{
		Name: "disable-proxy-intercept-errors", Risk: Low, Scope: Location,
		Tags:    []Tag{Policy},
		Gateway: "Lets upstream error pages through despite custom-http-errors; implementation policy.",
	},
	{
		Name: "enable-access-log", Risk: Low, Scope: Location,
		Tags:    []Tag{NotApplicable},
		Gateway: "Access logging; no routing effect.",
	},
	{
		Name: "enable-cors", Risk: Low, Scope: Ingress,
		Tags:    []Tag{Extended},
		Gateway: "The CORS filter (Extended, standard channel since v1.7); nginx and Gateway defaults differ.",
	},
	{
		Name: "enable-global-auth", Risk: Low, Scope: Location,
		Tags:    []Tag{Policy},
		Gateway: "Opts a location out of the ConfigMap's global auth URL; Gateway-wide auth is an implementation policy.",
	},
	{
		Name: "enable-modsecurity", Risk: Low, Scope: Ingress,
		Tags:    []Tag{Policy},
		Gateway: "WAF; implementation policy.",
	},
	{
		Name: "enable-opentelemetry", Risk: Low, Scope: Location,
		Tags:    []Tag{NotApplicable},
		Gateway: "Tracing; no routing effect (an experimental XTelemetryPolicy exists).",
	},
	{
		Name: "enable-owasp-core-rules", Risk: Low, Scope: Ingress,
		Tags:    []Tag{Policy},
		Gateway: "WAF rule set; implementation policy.",
	},
	{
		Name: "enable-rewrite-log", Risk: Low, Scope: Location,
		Tags:    []Tag{NotApplicable},
		Gateway: "Rewrite debug logging; no routing effect.",
	},
	{
		Name: "fastcgi-index", Risk: Medium, Scope: Location,
		Tags:    []Tag{None},
		Gateway: "FastCGI backends have no Gateway equivalent.",
	},
	{
		Name: "fastcgi-params-configmap", Risk: Medium, Scope: Location,
		Tags:    []Tag{None},
		Gateway: "FastCGI backends have no Gateway equivalent.",
	},
	{
		Name: "force-ssl-redirect", Risk: Medium, Scope: Location,
		Tags:    []Tag{Core},
		Gateway: "A RequestRedirect to https on the HTTP listener even when the Ingress has no TLS; both the scheme redirect and the default 308 are Extended.",
	},
	{
		Name: "from-to-www-redirect", Risk: Low, Scope: Location,
		Tags:    []Tag{Core},
		Gateway: "An extra HTTPRoute for the www or bare twin host that redirects by hostname; 308 is Extended.",
	},
	{
		Name: "http2-push-preload", Risk: Low, Scope: Location,
		Tags:    []Tag{None},
		Gateway: "HTTP/2 server push is obsolete; drop and warn.",
	},
	{
		Name: "limit-allowlist", Risk: Low, Scope: Location,
		Tags:    []Tag{Policy},
		Gateway: "CIDRs exempt from rate limits; implementation policy.",
	},
	{
		Name: "limit-burst-multiplier", Risk: Low, Scope: Location,
		Tags:    []Tag{Policy},
		Gateway: "Burst allowance on top of the rate limit; implementation policy.",
	},
	{
		Name: "limit-connections", Risk: Low, Scope: Location,
		Tags:    []Tag{Policy},
		Gateway: "Concurrent connection limit (nginx rejects with 503); implementation rate-limit policy.",
	},
	{
		Name: "limit-rate", Risk: Low, Scope: Location,
		Tags:    []Tag{Policy},
		Gateway: "Response bandwidth limit; implementation policy.",
	},
	{
		Name: "limit-rate-after", Risk: Low, Scope: Location,
		Tags:    []Tag{Policy},
		Gateway: "Bytes sent at full speed before limit-rate applies; implementation policy.",
	},
	{
		Name: "limit-rpm", Risk: Low, Scope: Location,
		Tags:    []Tag{Policy},
		Gateway: "Requests per minute limit; implementation rate-limit policy.",
	},
	{
		Name: "limit-rps", Risk: Low, Scope: Location,
		Tags:    []Tag{Policy},
		Gateway: "Requests per second limit; implementation rate-limit policy.",
	},
	{
		Name: "limit-whitelist", Risk: Low, Scope: Location,
		Tags:    []Tag{Policy},
		AliasOf: "limit-allowlist",
		Gateway: "Deprecated name of limit-allowlist, still parsed by the controller.",
	},
	{
		Name: "load-balance", Risk: Low, Scope: Location,
		Tags:    []Tag{Policy},
		Gateway: "Balancing algorithm (round_robin, ewma); implementation policy.",
	},
	{
		Name: "mirror-host", Risk: High, Scope: Ingress,
		Tags:    []Tag{None},
		Gateway: "Host header of mirrored requests; no field. Injection vector (CVE-2025-1098).",
	},
	{
		Name: "mirror-request-body", Risk: Low, Scope: Ingress,
		Tags:    []Tag{Extended},
		Gateway: "RequestMirror always mirrors the body, as far as the implementation allows.",
	},
	{
		Name: "mirror-target", Risk: High, Scope: Ingress,
		Tags:    []Tag{Extended},
		Gateway: "RequestMirror backendRef (Extended) only when the URL names an in-cluster Service without a path template; anything else has no equivalent. Injection vector (CVE-2025-1098).",
	},
	{
		Name: "modsecurity-snippet", Risk: Critical, Scope: Ingress,
		Tags:    []Tag{Unsafe},
		Gateway: "Raw ModSecurity rules, Critical risk; never translated.",
	},
	{
		Name: "modsecurity-transaction-id", Risk: High, Scope: Ingress,
		Tags:    []Tag{Policy},
		Gateway: "WAF transaction id; implementation policy.",
	},
	{
		Name: "opentelemetry-operation-name", Risk: Medium, Scope: Location,
		Tags:    []Tag{NotApplicable},
		Gateway: "Tracing span name; no routing effect.",
	},
	{
		Name: "opentelemetry-trust-incoming-span", Risk: Low, Scope: Location,
		Tags:    []Tag{NotApplicable},
		Gateway: "Tracing; no routing effect.",
	},
	{
		Name: "permanent-redirect", Risk: Medium, Scope: Location,
		Tags:    []Tag{Core},
		Gateway: "A 301 RequestRedirect built from the URL's scheme, host, port and full path (Core). nginx drops the original path and query while Gateway keeps the query, which must be flagged.",
	},
	{
		Name: "permanent-redirect-code", Risk: Low, Scope: Location,
		Tags:    []Tag{Core, Extended},
		Gateway: "statusCode: 301 and 302 are Core, 303, 307 and 308 Extended; 300, 304, 305 and 306 have no equivalent.",
	},
	{
		Name: "preserve-trailing-slash", Risk: Medium, Scope: Location,
		Tags:    []Tag{None},
		Gateway: "nginx strips a trailing slash from ssl-redirect targets unless this is set, while a Gateway scheme redirect keeps the path; diff has to model it.",
	},
	{
		Name: "proxy-body-size", Risk: Medium, Scope: Location,
		Tags:    []Tag{Policy},
		Gateway: "Request body limit answered with 413 (nginx default 1m); implementation policy, and Gateways usually have no or a much larger limit.",
	},
	{
		Name: "proxy-buffer-size", Risk: Low, Scope: Location,
		Tags:    []Tag{NotApplicable},
		Gateway: "nginx buffer size; no routing effect.",
	},
	{
		Name: "proxy-buffering", Risk: Low, Scope: Location,
		Tags:    []Tag{NotApplicable},
		Gateway: "nginx response buffering; no routing effect.",
	},
	{
		Name: "proxy-buffers-number", Risk: Low, Scope: Location,
		Tags:    []Tag{NotApplicable},
		Gateway: "nginx buffer count; no routing effect.",
	},
	{
		Name: "proxy-busy-buffers-size", Risk: Low, Scope: Location,
		Tags:    []Tag{NotApplicable},
		Gateway: "nginx buffer tuning; no routing effect.",
	},
	{
		Name: "proxy-connect-timeout", Risk: Low, Scope: Location,
		Tags:    []Tag{Policy},
		Gateway: "Upstream connect timeout; timeouts.backendRequest bounds the whole request, so only a policy fits.",
	},
	{
		Name: "proxy-cookie-domain", Risk: Medium, Scope: Location,
		Tags:    []Tag{Policy},
		Gateway: "Rewrites Set-Cookie domains; implementation policy.",
	},
	{
		Name: "proxy-cookie-path", Risk: Medium, Scope: Location,
		Tags:    []Tag{Policy},
		Gateway: "Rewrites Set-Cookie paths; implementation policy.",
	},
	{
		Name: "proxy-http-version", Risk: Low, Scope: Location,
		Tags:    []Tag{None},
		Gateway: "HTTP/1.0 or 1.1 towards the upstream; HTTP/2 is chosen through appProtocol instead, so drop and warn.",
	},
	{
		Name: "proxy-max-temp-file-size", Risk: Low, Scope: Location,
		Tags:    []Tag{NotApplicable},
		Gateway: "nginx spooling of responses to disk; no routing effect.",
	},
	{
		Name: "proxy-next-upstream", Risk: Medium, Scope: Location,
		Tags:    []Tag{Extended},
		Gateway: "Rule retry codes and attempts (Extended). nginx retries error and timeout up to 3 tries by default, Gateway not at all.",
	},
	{
		Name: "proxy-next-upstream-timeout", Risk: Low, Scope: Location,
		Tags:    []Tag{Policy},
		Gateway: "Overall time budget for upstream retries; implementation policy.",
	},
	{
		Name: "proxy-next-upstream-tries", Risk: Low, Scope: Location,
		Tags:    []Tag{Extended},
		Gateway: "retry.attempts, one less than tries.",
	},
	{
		Name: "proxy-read-timeout", Risk: Low, Scope: Location,
		Tags:    []Tag{Policy},
		Gateway: "Timeout between two reads from the upstream (default 60s); timeouts.backendRequest (Extended) approximates it only for non-streaming responses.",
	},
	{
		Name: "proxy-redirect-from", Risk: Medium, Scope: Location,
		Tags:    []Tag{Policy},
		Gateway: "Rewrites Location headers of upstream responses; implementation policy.",
	},
	{
		Name: "proxy-redirect-to", Risk: Medium, Scope: Location,
		Tags:    []Tag{Policy},
		Gateway: "Replacement text for proxy-redirect-from; implementation policy.",
	},
	{
		Name: "proxy-request-buffering", Risk: Low, Scope: Location,
		Tags:    []Tag{NotApplicable},
		Gateway: "nginx request buffering; no routing effect.",
	},
	{
		Name: "proxy-send-timeout", Risk: Low, Scope: Location,
		Tags:    []Tag{Policy},
		Gateway: "Timeout between two writes to the upstream; not what timeouts.backendRequest means.",
	},
	{
		Name: "proxy-ssl-ciphers", Risk: Medium, Scope: Ingress,
		Tags:    []Tag{Policy},
		Gateway: "Upstream TLS ciphers; implementation policy.",
	},
	{
		Name: "proxy-ssl-name", Risk: High, Scope: Ingress,
		Tags:    []Tag{Core},
		Gateway: "BackendTLSPolicy validation hostname, which is also sent as SNI.",
	},
	{
		Name: "proxy-ssl-protocols", Risk: Low, Scope: Ingress,
		Tags:    []Tag{Policy},
		Gateway: "Upstream TLS versions; implementation policy.",
	},
	{
		Name: "proxy-ssl-secret", Risk: Medium, Scope: Ingress,
		Tags:    []Tag{Core, Extended},
		Gateway: "The CA goes to BackendTLSPolicy validation; a client certificate needs the Gateway's backend clientCertificateRef (Extended), which is Gateway-wide, not per route.",
	},
	{
		Name: "proxy-ssl-server-name", Risk: Low, Scope: Ingress,
		Tags:    []Tag{Core},
		Gateway: "on: BackendTLSPolicy always sends the hostname as SNI; off has no equivalent.",
	},
	{
		Name: "proxy-ssl-verify", Risk: Low, Scope: Ingress,
		Tags:    []Tag{Core},
		Gateway: "on becomes a BackendTLSPolicy; off (the nginx default) is TLS without verification, which BackendTLSPolicy cannot express.",
	},
	{
		Name: "proxy-ssl-verify-depth", Risk: Low, Scope: Ingress,
		Tags:    []Tag{Policy},
		Gateway: "Upstream certificate chain depth; implementation policy.",
	},
	{
		Name: "relative-redirects", Risk: Low, Scope: Location,
		Tags:    []Tag{None},
		Gateway: "Relative Location headers in nginx's own redirects (absolute_redirect off); no field.",
	},
	{
		Name: "rewrite-target", Risk: Medium, Scope: Ingress,
		Tags:    []Tag{Extended, Policy},
		Gateway: "A capture-free target is ReplaceFullPath; a group capturing the rest after a literal prefix (P(.*), P(.+), P/(.*), P(/|$)(.*) with X$n) is ReplacePrefixMatch, nearly; other captures need a regex rewrite (Envoy Gateway HTTPRouteFilter). Makes every path of the host a case-insensitive regex.",
	},
	{
		Name: "satisfy", Risk: Low, Scope: Location,
		Tags:    []Tag{Policy},
		Gateway: "Whether auth and allowlist must both pass or either suffices; implementation policy.",
	},
	{
		Name: "server-alias", Risk: High, Scope: Ingress,
		Tags:    []Tag{Core},
		Gateway: "Additional HTTPRoute hostnames; High risk because it can claim other hosts, and ignored when the alias already is a host.",
	},
	{
		Name: "server-snippet", Risk: Critical, Scope: Ingress,
		Tags:    []Tag{Unsafe},
		Gateway: "Raw nginx in the server block, Critical risk; never translated.",
	},
	{
		Name: "service-upstream", Risk: Low, Scope: Ingress,
		Tags:    []Tag{Policy},
		Gateway: "Proxies to the ClusterIP instead of the endpoints; changes only load balancing and keepalive.",
	},
	{
		Name: "session-cookie-change-on-failure", Risk: Low, Scope: Ingress,
		Tags:    []Tag{Policy},
		Gateway: "Reissues the affinity cookie when its endpoint fails; implementation policy.",
	},
	{
		Name: "session-cookie-conditional-samesite-none", Risk: Low, Scope: Ingress,
		Tags:    []Tag{Policy},
		Gateway: "Omits SameSite=None for clients that mishandle it; implementation policy.",
	},
	{
		Name: "session-cookie-domain", Risk: Medium, Scope: Ingress,
		Tags:    []Tag{Experimental},
		Gateway: "Partly sessionPersistence cookieConfig (experimental), otherwise policy.",
	},
	{
		Name: "session-cookie-expires", Risk: Medium, Scope: Ingress,
		Tags:    []Tag{Experimental},
		Gateway: "Partly sessionPersistence absoluteTimeout or cookieConfig lifetimeType (experimental).",
	},
	{
		Name: "session-cookie-max-age", Risk: Medium, Scope: Ingress,
		Tags:    []Tag{Experimental},
		Gateway: "Partly sessionPersistence absoluteTimeout or cookieConfig lifetimeType (experimental).",
	},
	{
		Name: "session-cookie-name", Risk: Medium, Scope: Ingress,
		Tags:    []Tag{Experimental},
		Gateway: "sessionPersistence sessionName (experimental).",
	},
	{
		Name: "session-cookie-path", Risk: Medium, Scope: Ingress,
		Tags:    []Tag{Policy},
		Gateway: "Path of the affinity cookie; implementation policy.",
	},
	{
		Name: "session-cookie-samesite", Risk: Low, Scope: Ingress,
		Tags:    []Tag{Policy},
		Gateway: "SameSite of the affinity cookie; implementation policy.",
	},
	{
		Name: "session-cookie-secure", Risk: Low, Scope: Ingress,
		Tags:    []Tag{Policy},
		Gateway: "Secure flag of the affinity cookie; implementation policy.",
	},
	{
		Name: "ssl-ciphers", Risk: Low, Scope: Ingress,
		Tags:    []Tag{Policy},
		Gateway: "Listener tls.options, whose keys are implementation-specific.",
	},
	{
		Name: "ssl-passthrough", Risk: Low, Scope: Ingress,
		Tags:    []Tag{Core},
		Gateway: "A TLSRoute on a Passthrough TLS listener (Core in v1.7). Requires --enable-ssl-passthrough and bypasses every HTTP rule of the host.",
	},
	{
		Name: "ssl-prefer-server-ciphers", Risk: Low, Scope: Ingress,
		Tags:    []Tag{Policy},
		Gateway: "Server cipher preference; an implementation TLS option.",
	},
	{
		Name: "ssl-redirect", Risk: Low, Scope: Location,
		Tags:    []Tag{Core},
		Gateway: "On by default: when the host has TLS, HTTP requests get a 308 to https with the trailing slash stripped (ACME challenge paths exempt). Needs an HTTP-listener RequestRedirect with scheme https (Extended).",
	},
	{
		Name: "stream-snippet", Risk: Critical, Scope: Ingress,
		Tags:    []Tag{Unsafe},
		Gateway: "Raw nginx stream configuration, Critical risk; never translated.",
	},
	{
		Name: "temporal-redirect", Risk: Medium, Scope: Location,
		Tags:    []Tag{Core},
		Gateway: "Like permanent-redirect but 302; wins when both are set.",
	},
	{
		Name: "temporal-redirect-code", Risk: Low, Scope: Location,
		Tags:    []Tag{Core, Extended},
		Gateway: "statusCode as for permanent-redirect-code; nginx accepts 300 to 307 and falls back to 302.",
	},
	{
		Name: "upstream-hash-by", Risk: High, Scope: Location,
		Tags:    []Tag{Policy},
		Gateway: "Consistent-hash load balancing; implementation policy.",
	},
	{
		Name: "upstream-hash-by-subset", Risk: Low, Scope: Location,
		Tags:    []Tag{Policy},
		Gateway: "Hashes to a subset of endpoints; implementation policy.",
	},
	{
		Name: "upstream-hash-by-subset-size", Risk: Low, Scope: Location,
		Tags:    []Tag{Policy},
		Gateway: "Size of the subsets for upstream-hash-by-subset; implementation policy.",
	},
	{
		Name: "upstream-vhost", Risk: Low, Scope: Location,
		Tags:    []Tag{Extended},
		Gateway: "URLRewrite hostname (Extended); setting Host through RequestHeaderModifier is not portable.",
	},
	{
		Name: "use-port-in-redirects", Risk: Low, Scope: Location,
		Tags:    []Tag{Extended},
		Gateway: "RequestRedirect port (Extended), partial: nginx applies it only to its own redirects.",
	},
	{
		Name: "use-regex", Risk: Low, Scope: Location,
		Tags:    []Tag{Policy},
		Gateway: "A RegularExpression path match is implementation-specific; nginx uses a case-insensitive, prefix-anchored ~* regex and applies it to every path of the host, across Ingresses.",
	},
	{
		Name: "whitelist-source-range", Risk: Medium, Scope: Location,
		Tags:    []Tag{Policy},
		AliasOf: "allowlist-source-range",
		Gateway: "Deprecated name of allowlist-source-range.",
	},
	{
		Name: "x-forwarded-prefix", Risk: Medium, Scope: Location,
		Tags:    []Tag{Core},
		Gateway: "RequestHeaderModifier setting X-Forwarded-Prefix (Core), though nginx sends it only together with rewrite-target.",
	},
}
