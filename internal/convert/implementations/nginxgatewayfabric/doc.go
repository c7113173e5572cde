// Package nginxgatewayfabric translates ingress-nginx annotations into NGINX
// Gateway Fabric (gateway.nginx.org/v1alpha1, checked against the v2.6.7
// CRDs in testdata/implementations/crds/nginx-gateway-fabric and the
// generators of github.com/nginx/nginx-gateway-fabric at tag v2.6.7).
//
// NGINX Gateway Fabric is nginx, so most of what it carries is the very
// directive ingress-nginx wrote, and the translation is exact where the
// Envoy-based implementations approximate:
//
//   - ClientSettingsPolicy (one per route: its targetRef is singular)
//     writes client_max_body_size for proxy-body-size, "0" included.
//   - ProxySettingsPolicy writes proxy_connect_timeout, proxy_read_timeout
//     and proxy_send_timeout (nginx's per-read and per-write timeouts, not
//     Envoy's whole-response ones) and proxy_buffering, proxy_buffer_size,
//     proxy_buffers and proxy_busy_buffers_size.
//   - RateLimitPolicy writes limit_req_zone on $binary_remote_addr and
//     limit_req with burst (rate times limit-burst-multiplier) and nodelay,
//     as ingress-nginx's buildRateLimit does, one rule each for limit-rps
//     and limit-rpm.
//   - AuthenticationFilter (type Basic) writes auth_basic and
//     auth_basic_user_file from an Opaque Secret's key auth: the
//     ingress-nginx auth-file Secret itself, every hash nginx reads
//     included. An auth-map Secret is copied into an auth-file Secret
//     "<ingress>-htpasswd". Filters attach through ExtensionRef filters on
//     the routes' forwarding rules (implementations.Object.RouteFilter).
//   - SnippetsFilter carries allow and deny lines built here from parsed
//     address ranges, never a user's snippet: the same directives
//     ingress-nginx wrote for the source-range annotations.
//   - UpstreamSettingsPolicy, one per Service (as ingress-nginx keeps
//     balancing per upstream), writes the balancing method: round_robin,
//     least_conn for ewma, and hash ... consistent for upstream-hash-by.
//
// Policies that list targetRefs take at most 16 (the CRDs' maxItems), so an
// Ingress with more routes gets "<ingress>-2", ... as routes are split.
//
// Access control fails closed, as in the other implementations: NGF answers
// 500 on a rule whose filter cannot be resolved or is invalid, so basic
// authentication that cannot be carried still references the Secret it
// would have generated, and a source range that does not parse becomes
// "deny all".
//
// NGF reproduces ingress-nginx's location matching too, which the
// converter's standard objects rely on: a RegularExpression path becomes
// `location ~ ^<regex>`, a PCRE regex as in ingress-nginx (the (?i) the
// converter writes for regex mode makes it case-insensitive, as `~*`), and
// NGF orders locations by path length, longest first, as ingress-nginx
// does.
package nginxgatewayfabric
