// Package implementations carries what Gateway API's standard objects cannot:
// the implementation-specific policies (Envoy Gateway's BackendTrafficPolicy
// and SecurityPolicy, kgateway's TrafficPolicy, Istio's AuthorizationPolicy,
// NGINX Gateway Fabric's ClientSettingsPolicy, ...) that reproduce an
// ingress-nginx annotation's effect on one vendor's data plane.
//
// Each implementation is one sub-package with one Implementation value. It
// reads the annotations of one converted Ingress, already parsed by the
// catalogue's rules, and returns policy objects attached with targetRefs to
// the HTTPRoutes generated for that Ingress. Because routeshift generates one
// HTTPRoute per Ingress and host, an annotation (which applies to every path
// of its Ingress) maps onto whole routes and needs no per-rule targeting.
//
// Implementations never see or change the standard objects, and the
// converter never needs to know a vendor's CRDs: data flows one way, from
// the model to the standard objects to the policies.
package implementations

import "github.com/routeshift/routeshift/pipeline/finding"

// Route is an HTTPRoute generated for the Ingress; policies target it.
type Route struct {
	Namespace, Name string
	// Hostnames are the route's hostnames (empty for a catch-all route).
	Hostnames []string
}

// Input is one converted Ingress as an implementation sees it.
type Input struct {
	// Namespace and Name of the Ingress, for naming and messages.
	Namespace, Name string
	// Annotations are the Ingress's ingress-nginx annotations by short name
	// (prefix stripped: "proxy-body-size"), values untrusted and unparsed.
	Annotations map[string]string
	// Routes generated for the Ingress, sorted by namespace and name.
	Routes []Route
	// Secrets and ConfigMaps of the input that annotations may name (auth
	// secrets, custom headers), by "namespace/name"; values are the objects'
	// data maps (Secret data still base64-encoded).
	Secrets    map[string]map[string]string
	ConfigMaps map[string]map[string]string
}

// Object is one generated policy, as the unstructured object the vendor's
// CRD defines (apiVersion, kind, metadata, spec); small hand-written maps
// keep vendor module graphs out of the binary.
type Object struct {
	APIVersion, Kind, Namespace, Name string
	Value                             map[string]any
}

// Handling is what an implementation does with one annotation.
type Handling struct {
	// Fate is Converted (the policy reproduces the annotation) or
	// Approximated (it does, with the difference Note explains).
	Approximated bool
	// Resource names the vendor resource and field that carry it, e.g.
	// "BackendTrafficPolicy.spec.timeout.http.requestTimeout".
	Resource string
	Note     string
}

// Output is what an implementation made of one Ingress.
type Output struct {
	Objects []Object
	// Handled lists the annotations (short names) whose meaning the
	// Objects carry; every other annotation keeps the fate the standard
	// conversion gave it.
	Handled map[string]Handling
	// Findings about the Ingress: invalid values, partial support.
	Findings []Finding
}

// Finding is a message about the Ingress, at the given severity, about
// one annotation (short name) or none.
type Finding struct {
	Severity   finding.Severity
	Annotation string
	Message    string
}

// Implementation is one vendor.
type Implementation interface {
	// Name is the spec.implementation value: "envoy-gateway", ...
	Name() string
	// Supports is the static table of annotations (short names) this
	// implementation can carry and how; it drives the documentation and
	// the per-implementation counts, and must agree with Translate.
	Supports() map[string]Handling
	// Translate turns one Ingress's annotations into policies.
	Translate(in Input) Output
}
