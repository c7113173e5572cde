// Package validate checks Kubernetes objects against the Gateway API CRDs
// offline, reaching the verdict the API server would reach on create.
//
// A manifest that kubectl applies without complaint locally can still be
// refused by the cluster: the Gateway API CRDs carry OpenAPI constraints
// (patterns, enums, maxItems) and hundreds of CEL rules
// (x-kubernetes-validations) such as "When using URLRewrite filter with
// path.replacePrefixMatch, exactly one PathPrefix match must be specified".
// This package runs those same checks with the API server's own code from
// k8s.io/apiextensions-apiserver, so a pipeline can reject such an object
// before it is applied and say why in the server's words.
//
// # Where the CRDs come from
//
// The CRDs are the ones of the sigs.k8s.io/gateway-api version pinned in
// go.mod, copied into crds/ by `go generate` (go:embed cannot read the module
// cache) and embedded, each beside its protobuf encoding (crdpb/), which is
// what the validator decodes: a twentieth of the YAML's decoding time, which
// a one-Ingress run pays for every kind it emits. A test fails when the
// copies and the module differ, or the protobuf and the YAML, so bumping the
// module without regenerating is caught. The
// ValidatingAdmissionPolicy that ships beside them is not applied.
//
// # What happens to an object
//
// A Validator compiles, per served CRD version, what the server compiles
// when a CRD is established: the structural schema, the OpenAPI validator
// and the CEL validator; each version on first use, since compiling is most
// of the cost: about 45 ms of CPU for HTTPRoute v1's 89 CEL rules, 10 ms
// for Gateway's, 0.2 s and 80 MB of allocations for every kind of the
// standard channel. Of the CEL rules it compiles only those on the fields
// the objects have (celshape.go): the server's validator evaluates no other,
// so the verdict is the same, and a route without filters does not pay for
// the 40 rules on filters. ValidateAll compiles once for a whole batch. Build
// one Validator per process and share it; it is safe for concurrent use.
// Each object then takes about a millisecond, mostly CEL evaluation.
//
// Validate then follows the server's create path on a copy of the object:
//
//  1. pick the CRD version named by apiVersion; an unserved version is an error;
//  2. prune unknown fields, metadata included, reporting each one (the server
//     drops them, or rejects them under kubectl's strict field validation);
//  3. apply schema defaults, which CEL rules rely on (a path match's type
//     defaults to PathPrefix);
//  4. drop status, as PrepareForCreate does for the status subresource;
//  5. check metadata (name a DNS subdomain, namespace a DNS label, labels,
//     annotations), the OpenAPI schema, list-type map/set uniqueness, and the
//     CEL rules, skipping CEL after a blocking error just as the server does.
//
// Objects of other kinds return no errors; Knows tells them apart. Errors are
// *FieldError values whose text is the server's field error prefixed with the
// object, e.g.
//
//	HTTPRoute/shop/web: spec.rules[0]: Invalid value: When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified
//
// A namespaced object without a namespace is checked as if in "default",
// where kubectl would send it.
package validate
