// Package fn is the KRM function: it takes the objects a render pipeline
// hands over, converts the ingress-nginx Ingresses among them into Gateway
// API objects, and gives everything back with results that account for
// every annotation.
//
// The story of one run, in order:
//
//   - ParseConfig reads the functionConfig (an IngressToGateway object, or
//     a ConfigMap with flat keys as `kpt fn eval -- key=value` passes) and
//     fills every default; a wrong field is an error that names it.
//   - Convert models what ingress-nginx serves (internal/convert/ingressnginx),
//     emits Gateway API objects for the configured targets
//     (internal/convert/gatewayapi) and, with an implementation, its policies
//     (internal/convert/implementations), for the release that
//     spec.implementationVersion names; it adapts the objects to what that
//     release accepts and reports the Gateway API features they use that
//     the target is not known to support (features.go, with
//     internal/convert/features); what other controllers read from
//     the Ingresses follows them (internal/convert/carryover, wired in
//     carryover.go: cert-manager certificates and solvers, ExternalDNS
//     annotations, Argo Rollouts and Flagger Canaries), rewriting the input
//     objects that steer them; then it places the output: every input
//     object where it was and byte for byte, generated objects right after
//     their Ingress (or where an earlier run put them, which makes a second
//     run change nothing), and checks what it generated against the CRDs
//     and for attachment.
//   - Function wraps Convert for a ResourceList on stdin; the convert
//     command wraps it for plain files. Both print a summary to stderr,
//     because kustomize and Argo CD show nothing else, and exit non-zero
//     when a result reaches spec.failOn.
package fn
