// Package intent reads the annotation families that need a vendor's
// policies, once, into what the user asked of the data plane: a body size
// limit of so many bytes, these proxy timeouts, so many requests per second
// per client, these allowed and denied ranges, basic authentication from
// this Secret, external authentication at this Service, cookie affinity
// with these attributes, hashing on this variable. It is to the
// implementations what Envoy Gateway's IR (internal/ir) is between its
// Gateway API translator and its xDS translator: the one place where an
// annotation's grammar and ingress-nginx's precedence rules live, so that
// each vendor only maps intent to its own CRD fields.
//
// Intent is vendor-neutral and carries no findings: every field is a
// Value, which says whether the annotation was set and, when it was, either
// the parsed value or why it does not parse (the strict parsers of
// internal/value; an untrusted value never reaches a Value unparsed). What
// an invalid value means for a vendor's routes, and how that is worded, is
// the vendor's to say, because it differs: an allowlist that does not
// parse denies everyone on one vendor and cannot be carried on another.
//
// Precedence that ingress-nginx applies before any vendor sees the values
// is resolved here too: cookie affinity over upstream-hash-by over
// load-balance (Balancing.Winner), allowlist-source-range over its old
// name (Access.AllowName), session-cookie-max-age over -expires
// (Cookie.TTL).
//
// What each family means in ingress-nginx comes from its sources
// (kubernetes/ingress-nginx, controller-v1.x): the annotation parsers under
// internal/ingress/annotations (ratelimit, auth, ipallowlist, ipdenylist,
// proxy, sessionaffinity, loadbalancing, upstreamhashby), the location
// template's buildRateLimit and access lines
// (internal/ingress/controller/template), and rootfs/etc/nginx/lua/
// balancer.lua for the balancing precedence; the routing semantics the
// converter relies on are in docs/semantics.md.
//
// The families are those of the policy-carried annotations: body size,
// timeouts, buffering, rate limits, source ranges, basic and external
// authentication, balancing and cookie affinity, retries. CORS is carried
// by standard Gateway API and read by package ingressnginx.
package intent
