// Package ingressnginx models what an ingress-nginx controller serves for a
// set of Ingress manifests: the nginx servers (one per host) and their
// locations, built the way the controller builds them, so that everything
// downstream converts behaviour rather than the Ingress spec's wording.
//
// The controller's rules that the model applies, each of which changes where
// a request goes (docs/semantics.md §1 has each rule with its source):
//
//   - Class selection: only Ingresses of the watched classes are served; an
//     Ingress without a class is served when the controller watches
//     unclassed Ingresses (the kubernetes.io/ingress.class annotation wins
//     over spec.ingressClassName).
//   - Order: Ingresses are processed oldest first (creationTimestamp), ties
//     broken by namespace/name descending. The first Ingress that names a
//     host creates its server and owns the server-level settings; the first
//     Ingress that defines a host+path+pathType keeps that location.
//   - pathType ImplementationSpecific (and a missing pathType) is Prefix.
//   - Every server has a "/" location: the one an Ingress defines, or an
//     implicit one that proxies to the creating Ingress's spec.defaultBackend
//     (404 without one) and carries that Ingress's annotations.
//   - A rule-less Ingress with spec.defaultBackend replaces the catch-all
//     server's backend for every unknown host.
//   - TLS: a host with a certificate in any Ingress's spec.tls (oldest wins)
//     redirects plain HTTP with 308 on every location whose Ingress keeps
//     ssl-redirect (default true), except locations whose path starts with
//     /.well-known/acme-challenge; force-ssl-redirect redirects regardless.
//   - Canary Ingresses create no locations.
//   - extensions/v1beta1 and networking.k8s.io/v1beta1 Ingresses are read
//     as the API server converted them to v1 (v1beta1.go), with a warning.
//   - An Ingress with errors is still parsed, so that every error and
//     every annotation's fate is reported in one run.
//
// Snippet triage (snippet.go, snippettok.go): a configuration-snippet made
// only of a fixed list of directives (response and request headers,
// redirects, allow and deny lines) is parsed with a strict tokenizer for
// nginx's syntax into Settings.Snippet, whose values gatewayapi and the
// implementations' access mapping place like the annotations'; any other
// snippet keeps the unsafe fate, naming the first directive it could not
// place. Nothing of a snippet is copied as text.
//
// Build reads load.Objects and returns a Model plus findings; it never
// produces Gateway API objects (that is package gatewayapi's job) and never
// fails as a whole: a broken Ingress is reported and left out. Ingresses
// are read as the API server reads them (decode.go: unknown, duplicate and
// mistyped fields are errors); the common shape is decoded straight from
// the tree (fastdecode.go), held to the strict reader by a test and a
// fuzz target, and reading them into the model runs on every core.
package ingressnginx
