// Package implementations carries what Gateway API's standard objects cannot:
// the implementation-specific policies (Envoy Gateway's BackendTrafficPolicy
// and SecurityPolicy, kgateway's TrafficPolicy, Istio's AuthorizationPolicy,
// NGINX Gateway Fabric's ClientSettingsPolicy, ...) that reproduce an
// ingress-nginx annotation's effect on one vendor's data plane.
//
// Each implementation is one sub-package with one Implementation value. It
// reads the annotations of one converted Ingress (raw values, untrusted)
// and returns policy objects attached with targetRefs to
// the HTTPRoutes generated for that Ingress. Because routeshift generates one
// HTTPRoute per Ingress and host, an annotation (which applies to every path
// of its Ingress) maps onto whole routes and needs no per-rule targeting.
//
// Not every vendor can attach a policy to an HTTPRoute. Istio's
// AuthorizationPolicy attaches to a Gateway, where it sees every route, and
// its DestinationRule applies to a Service; so a Route also describes, as
// plain data, its Gateway parents, its path matches and its backend
// Services, and such an implementation scopes its objects with them. An
// object about something several Ingresses share (a Service) is marked
// Shared: the converter emits it once when the Ingresses agree, and reports
// a conflict rather than pick one when they do not.
//
// Implementations never see or change the standard objects, and the
// converter never needs to know a vendor's CRDs: data flows one way, from
// the model to the standard objects to the policies. The one exception is
// a filter object (Object.RouteFilter): the vendor says it is a filter, and
// the converter, not the vendor, adds the ExtensionRef that names it to the
// Ingress's forwarding rules.
//
// # Contract
//
// Translate is a pure function of its Input: the same Input gives the same
// Output, byte for byte once encoded (objects sorted by kind, namespace and
// name; findings sorted; map keys sorted by the encoder). It never panics on
// any annotation value. Values are untrusted and parsed strictly; a value
// that does not parse is a Finding naming the annotation and why, and is
// never copied into an object. Every annotation in Output.Handled is a key of
// Supports(), and every key of Supports() given a valid value (and the
// companions it needs, such as auth-type for auth-secret) is Handled.
//
// Objects are mostly policies, but an implementation may also emit what its
// policies need to work: a core/v1 Secret derived from one in the input (a
// basic-auth user list in the vendor's format) or a Gateway API
// ReferenceGrant for a policy's cross-namespace backendRef.
//
// Handled may name an annotation for which no object was needed: when the
// value asks for what the vendor does anyway (proxy-body-size "0": no
// limit), or when ingress-nginx ignores it in this combination
// (load-balance beside affinity); the Handling's Note then says so.
//
// Conversely, an object may be emitted for an annotation that is not
// Handled: access control fails closed. When ingress-nginx would deny a
// location (an unparsable allowlist, basic auth whose Secret is unusable),
// the policy denies too, and an error finding says what to fix.
//
// The implementations live in sub-packages (envoygateway, kgateway, istio,
// nginxgatewayfabric); package registry lists them. None parses an
// annotation itself: package intent reads each family once into what the
// user asked (these timeouts, basic auth from this Secret, cookie affinity
// with these attributes), with ingress-nginx's precedence rules applied, and
// each vendor maps that intent to its own fields, as Envoy Gateway's IR
// sits between Gateway API and xDS. They share the object builder of
// internal/policy, which holds the Intent of the Ingress it builds for.
package implementations
