// Package nginx is the ingress-nginx half of routeshift's semantic check: a
// model of what ingress-nginx (controller v1.15) serves for a set of
// Ingresses, written from the controller's documented behaviour and source
// (docs/semantics.md §1 gives each rule with its source) and sharing no
// code with the converter.
//
// Build reads networking.k8s.io/v1 Ingresses and the v1beta1 ones
// (extensions, networking.k8s.io) as the API server converted them to v1;
// an Ingress of another class that does not decode is left out. It follows
// the controller: Ingresses of the served classes (the legacy
// kubernetes.io/ingress.class annotation wins over spec.ingressClassName)
// sorted oldest first, ties by namespace/name descending, Ingresses without
// creationTimestamp after dated ones; the first Ingress of a host creates its
// server, whose implicit root location goes to that Ingress's
// spec.defaultBackend (or the controller's 404) and carries its annotations;
// a rule-less Ingress with a defaultBackend takes over the catch-all server;
// a duplicate host+path+pathType stays with the oldest Ingress;
// ImplementationSpecific is Prefix; a Prefix path P becomes "location P/"
// plus "= P"; any use-regex or rewrite-target on a host turns every location
// of the host into a case-insensitive, start-anchored regex, tried longest
// pattern first; canaries attach to the primary upstream (Service and port),
// so they split every location using it.
//
// Evaluate follows a request: server by exact name, then one-label
// wildcard, then "_"; HTTPS only where an Ingress with a rule for the host
// lists it in its own spec.tls (elsewhere the default certificate: Refused);
// app-root; location selection ("=" first, longest prefix, nginx's 301 for a
// URI that is a "P/" location without its slash; first matching regex in
// regex mode); permanent/temporal redirects (before the TLS redirect, as
// rewrite-module directives run before Lua; nginx variables in the URL
// expanded as controllers before v1.12 did, and temporal-redirect only
// when Go's url.Parse accepts it, as redirect.go's isValidURL); ssl-redirect and
// force-ssl-redirect with 308, the trailing slash dropped unless
// preserve-trailing-slash, locations under /.well-known/acme-challenge
// exempt; the canary decision (header value, pattern, always/never, then
// cookie, then weight with totals below 100 counted as 100); rewrite-target
// as a full-URI, case-insensitive, unanchored regex replacement;
// x-forwarded-prefix beside a rewrite; upstream-vhost; from-to-www-redirect.
//
// Unverifiable: locations whose Ingress carries an annotation the catalogue
// tags Unsafe (snippets, auth-tls-match-cn, auth-proxy-set-headers) and
// server-level ones on the Ingress that creates a host; auth-url (an outside
// service answers), ssl-passthrough, custom-headers (the controller denies
// the location unless the ConfigMap allows the headers); regular
// expressions Go's RE2 cannot compile (PCRE may accept them); plain HTTP to
// a gRPC backend.
//
// The controller's configuration comes from a Profile (profile.go): the
// settings that change what it accepts and routes (strict-validate-path-type,
// allow-snippet-annotations, use-forwarded-headers, ssl-redirect,
// --default-backend-service), the last release's defaults when unset. An
// Ingress the API server or the controller refuses (invalid names, hosts that
// are not lower-case DNS names, paths strict validation rejects) serves
// nothing, and Refused says why.
//
// Not modelled (the request routes as if they were absent): the other
// ConfigMap globals (http-redirect-code and the like take their defaults),
// CORS, rate limits, allow/deny lists, custom error pages, the
// default-backend annotation, session affinity and request normalisation
// beyond merging slashes and percent-decoding.
package nginx
