package implementations

import (
	"github.com/routeshift/routeshift/internal/convert/features"
	"github.com/routeshift/routeshift/internal/finding"
)

// Route is an HTTPRoute generated for the Ingress; most policies target
// it. The fields after Hostnames describe what the route does, as plain
// data, for vendors whose policies cannot attach to a route and must
// attach elsewhere and scope themselves (Istio's AuthorizationPolicy
// attaches to the Gateway and matches hosts and paths; its DestinationRule
// applies to a Service).
type Route struct {
	Namespace, Name string
	// Hostnames are the route's hostnames (empty for a catch-all route).
	Hostnames []string
	// Parents are the Gateways the route attaches to, in parentRefs
	// order, with the namespace resolved (the route's when the parentRef
	// has none). Only parentRefs to a Gateway are listed.
	Parents []Parent
	// Paths are the path matches of all its rules, in rule order, without
	// repeats; a match without a path, or a rule without matches, is
	// listed as PathPrefix "/", as Gateway API defaults it.
	Paths []PathMatch
	// Backends are the Services its rules forward to, in rule order,
	// without repeats, with the namespace resolved. A canary's Service is
	// left out when it belongs to another Ingress: ingress-nginx takes that
	// upstream's load balancing from the canary Ingress.
	Backends []Backend
}

// Parent is a Gateway a route attaches to; SectionName is the listener,
// "" for all of them.
type Parent struct {
	Namespace, Name, SectionName string
}

// PathMatch is one HTTPRoute path match: Type is Exact, PathPrefix or
// RegularExpression, Value as the route writes it. Redirect marks a match
// of a rule that answers with a redirect and forwards nowhere (the https
// redirect of a plain-HTTP route, permanent-redirect, app-root):
// ingress-nginx answers those before its access checks.
type PathMatch struct {
	Type, Value string
	Redirect    bool
}

// Backend is a Service port a route forwards to.
type Backend struct {
	Namespace, Name string
	Port            int32
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

// Object is one generated object, as the unstructured object the vendor's
// CRD defines (apiVersion, kind, metadata, spec): usually a policy, sometimes
// a Secret or ReferenceGrant a policy needs (see the package comment). Small
// hand-written maps keep vendor module graphs out of the binary. Value holds
// the whole object, apiVersion to spec, with JSON-shaped values (integers as
// int64); metadata carries the managed-by label and source annotation that
// the standard objects carry.
type Object struct {
	APIVersion, Kind, Namespace, Name string
	Value                             map[string]any
	// Shared, when not empty, marks an object about something several
	// Ingresses may configure, not about this Ingress's routes (Istio's
	// DestinationRule configures a Service), and lists the annotations
	// (short names) it carries. Its name derives from that thing alone,
	// so several Ingresses may emit the same kind, namespace and name: the
	// converter emits it once when they agree and not at all when they
	// differ, reporting the conflict and taking back the listed
	// annotations' Handled fates on every Ingress involved.
	Shared []string
	// RouteFilter marks an HTTPRoute filter rather than a policy (NGINX
	// Gateway Fabric's AuthenticationFilter and SnippetsFilter attach no
	// other way): the converter references it with an ExtensionRef filter
	// (its API group, kind and name) from every rule of the Ingress's
	// HTTPRoutes in the object's namespace that forwards to a backend.
	// Rules that only redirect are left alone: ingress-nginx answers its
	// redirects before its access checks.
	RouteFilter bool
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
//
// Severity follows what the generated routes would do differently:
// Warning when a value is invalid and nothing is generated for it (the
// route does what the vendor does by default) or when behaviour differs
// beyond the static Note; Error when the difference opens access that
// ingress-nginx refused (an allowlist, basic or external auth that cannot be
// carried): ingress-nginx denies such a location, the generated route would
// not; Info for advice.
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

// Explainer is implemented by implementations that can say why they do not
// carry an annotation that a vendor policy might be expected to carry; the
// reasons feed the per-implementation documentation. Keys are short names
// and never keys of Supports().
type Explainer interface {
	Unsupported() map[string]string
}

// Versioned is implemented by implementations whose objects depend on the
// release they target: ForRelease returns the implementation for that
// release (Supports and Translate then describe what it accepts).
type Versioned interface {
	ForRelease(r *features.Release) Implementation
}
