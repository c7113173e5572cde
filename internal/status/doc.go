// Package check computes, from manifests alone, the status conditions a
// conformant Gateway API controller would set once they are applied.
//
// The most common migration failures are invisible in git: a route that
// never attaches because the listener's allowedRoutes excludes its
// namespace, a cross-namespace backend or certificate without a
// ReferenceGrant, route hostnames that intersect no listener hostname, a
// sectionName that names no listener, a backend Service that does not
// exist, a weight that sends nothing to a backend. A controller reports
// them in status after the merge; this package reports them in the pull
// request, in the controller's own words.
//
// # What is computed
//
// For every Gateway of the tree: Accepted, ResolvedRefs, Programmed. For
// each of its listeners: Accepted (UnsupportedProtocol, UnsupportedValue,
// or the conflict reason), ResolvedRefs (InvalidCertificateRef,
// RefNotPermitted, InvalidRouteKinds), Programmed, Conflicted
// (HostnameConflict, ProtocolConflict), OverlappingTLSConfig when True, the
// supported kinds and the number of attached routes, and for a listener
// that terminates TLS where each certificate comes from: a Secret of the
// tree, a declared one, or cert-manager (a Certificate, an Ingress through
// ingress-shim, the Gateway's own annotations through gateway-shim; see
// certsource.go), which counts as resolved. For every ListenerSet:
// Accepted (NotAllowed by the Gateway's allowedListeners, ListenersNotValid)
// and its listeners, decided on the Gateway's merged listener list
// (listenersets.go). For every parentRef (to a Gateway or a ListenerSet)
// of every HTTPRoute, GRPCRoute, TLSRoute, TCPRoute and UDPRoute: Accepted
// (NotAllowedByListeners, NoMatchingListenerHostname, NoMatchingParent)
// and ResolvedRefs (RefNotPermitted, InvalidKind, BackendNotFound).
// Warnings carry what no condition does: weights of 0, a port the Service
// lacks, a rule that answers 500, a GRPCRoute on a cleartext listener, an
// HTTPRoute and a GRPCRoute claiming one hostname.
//
// Each rule cites, in a comment next to its code, the doc comment of the
// Gateway API types (sigs.k8s.io/gateway-api/apis/v1, v1.6.3) it follows,
// and where the text leaves a choice, the conformance test that settles
// it. The files follow the work: index.go reads the tree and the
// declaration, listeners.go, certs.go, conflicts.go and gateways.go decide
// Gateways and listeners, attach.go, selector.go and hostnames.go decide
// route attachment, backends.go and refgrant.go decide references, run.go
// puts it together and output.go prints it.
//
// # What "Unknown" means
//
// A controller reads the cluster; the check reads the tree and a small
// declaration of what lives elsewhere (Declared, read from a file by
// ReadDeclared). For what is in neither:
//
//   - A backend Service or a certificate Secret is part of what a tree
//     ships: missing, it is BackendNotFound or InvalidCertificateRef, as the
//     controller would say. A ReferenceGrant too: missing, the reference is
//     RefNotPermitted.
//   - A parent Gateway, the labels of a Namespace that a listener's selector
//     reads, a GatewayClass (once any is known) and the implementation's
//     optional features are often owned elsewhere: missing, the condition
//     is Unknown, reason Pending, with a message naming what to declare.
//     The label kubernetes.io/metadata.name needs no declaration: every
//     Namespace has it.
//
// Programmed is Unknown unless the object cannot be programmed at all:
// whether a data plane serves it is in no manifest.
//
// # Using it
//
// Run(objs, declared) takes the objects as internal/load reads them and
// returns a Report, plain data that WriteTable and WriteJSON print and
// Report.Failed judges: True when a Gateway, listener or route parent has
// Accepted or ResolvedRefs False (with strict, also Unknown). The CLI is
// `routeshift check [--declared FILE] [--format table|json] [--strict]
// PATH...`, exiting 1 when Failed and 2 when input cannot be read. The
// converter can run the same check on what it generates, declaring the
// Gateways it attaches to when they are not in its input.
//
// Objects without a namespace are taken to be in "default", as kubectl
// would apply them. An object both in the tree and declared is taken from
// the tree. Objects that cannot be decoded are named in Report.Errors and
// left out.
//
// # JSON form
//
// WriteJSON writes one document: {apiVersion: routeshift.dev/v1alpha1,
// kind: CheckReport, gateways, routes, warnings, errors, summary}, with
// the field names of the Report types (json tags); conditions are {type,
// status, reason, message}, a subset of metav1.Condition. Lists are never
// null, order is stable (Gateways and routes by namespace and name,
// listeners and parents in spec order), and fields are only ever added.
package status
