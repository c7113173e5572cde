// Package inventory is the migration plan for a whole cluster or
// repository, made before anything is converted: which Ingresses there are,
// which annotations they use and what each becomes on the chosen Gateway
// API implementation, how hard each Ingress is to move, what shares a host
// or conflicts, and in which order to move them.
//
// Build reads the same objects the conversion reads (load.ReadPaths: files,
// directory trees, `kubectl get ingress,service,configmap -A -o yaml`
// dumps) and returns a Report; WriteTable, WriteMarkdown, WriteJSON and
// WriteHTML render it. Nothing here decides what an annotation becomes:
// every fate comes from the support matrix (package support), and what
// ingress-nginx serves, who owns a host and which Ingress wins a conflict
// come from the ingress-nginx model (package ingressnginx). The inventory
// only counts and sorts, so it cannot disagree with what `convert` does.
//
// # Scope
//
// An Ingress is in scope when ingress-nginx would pick it up with the
// configured classes (spec.ingressClassNames, and unclassed Ingresses with
// includeUnclassed), whatever else is wrong with it: an in-scope Ingress
// with a removed API version is exactly what the plan must show. Ingresses
// of other classes are counted and listed, never classified. Annotation
// usage is counted over in-scope Ingresses only, because annotations of an
// ALB or Traefik Ingress say nothing about this migration.
//
// # Classification
//
// Each in-scope Ingress gets one class per implementation: the highest
// class any of its reasons implies. The reasons are kept, each with the
// class it implies, so a report can say why and what is left once the
// worst is fixed.
//
//   - blocked: the Ingress cannot be converted as it is. An annotation whose
//     fate is unsafe (snippets and the CVE-2025-1974 family; complex instead
//     when spec.unsafeAnnotations is warning, i.e. someone reviewed them);
//     a removed API version (extensions/v1beta1, networking.k8s.io/v1beta1)
//     or an unknown one; every error the ingress-nginx model reports for the
//     object (invalid hosts or paths, named ports whose Service is not in the
//     input, fields the API server rejects); an annotation value Gateway API
//     cannot express (a redirect code it lacks).
//   - complex: it converts, but not with standard Gateway API alone. An
//     annotation whose fate is policy (the implementation's own resource
//     carries it), approximated where the standard conversion leaves it
//     unsupported (a vendor policy carries it with a difference), or
//     unsupported (nothing carries it: behaviour changes).
//   - medium: standard Gateway API carries it with filters or features
//     beyond hosts, paths and backends, or with a difference to review. A
//     converted annotation that is not plain routing (rewrites, regex paths,
//     redirects, CORS, headers, canaries, gRPC, backend TLS, passthrough:
//     everything but ssl-redirect, force-ssl-redirect,
//     preserve-trailing-slash and the class annotation); an approximated
//     annotation; an unknown annotation under the prefix (a typo ingress-nginx
//     ignores) or one of another controller; a host in regex mode because of
//     another Ingress's use-regex or rewrite-target; a wildcard host or a
//     Prefix path ending in '/' (both match differently in Gateway API); a
//     resource backend; losing a conflict to another Ingress or a canary
//     without a primary.
//   - simple: none of the above: hosts, paths, backends, TLS and the https
//     redirect, plus annotations of other tools (cert-manager, external-dns)
//     and annotations with no effect on routing.
//
// # Waves
//
// Traffic moves one hostname at a time (DNS, or the load balancer in front,
// points a name at the old or the new data plane), so the unit of a wave is
// a host group: the in-scope Ingresses connected by sharing a host, with
// every host they serve. A group has the class of its worst Ingress;
// a group with a blocked Ingress is blocked as a whole (moving the host would
// drop that Ingress's paths) and is listed apart, to be fixed first. The
// other groups are ordered by risk, as the migration guides advise:
//
//  1. simple groups whose hosts are all internal or non-production (a label
//     such as internal, intranet, corp, private, local, svc, dev, test,
//     staging, qa, sandbox, or an ingress class naming internal or private):
//     mistakes there hurt least and teach the most;
//  2. the other simple groups;
//  3. medium groups;
//  4. complex groups, once the implementation's policies are written;
//  5. last, the global entry: groups with the catch-all (rules without a
//     host, or a rule-less spec.defaultBackend) or a wildcard host. They
//     answer for names no other Ingress claims, so they move after every
//     named host, or requests for hosts still on ingress-nginx would be
//     answered by the new data plane's catch-all.
//
// Empty waves are left out and the others numbered from 1. Within a wave,
// internal groups come first, then by namespace and host. With several
// implementations each gets its own plan; text formats show the first.
package inventory
