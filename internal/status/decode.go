package status

import (
	"fmt"
	"strings"

	sigsjson "sigs.k8s.io/json"

	"github.com/routeshift/routeshift/internal/load"
)

// decode fills a typed value from an object's node with the API server's
// reading: labels and annotations must be strings (load.CheckMetadata),
// scalars are YAML 1.1 (load.JSON), and field names are case-sensitive
// (sigs.k8s.io/json, the API server's decoder: "Spec" is not "spec"). It
// is lenient about unknown fields, as the API server is without strict
// field validation (schema validation is internal/validate's job, and a
// newer Gateway API field must not stop the check), but not about wrong
// types: those become an error naming the object and its file.
func decode(obj *load.Object, into any) error {
	if err := load.CheckMetadata(obj.Node); err != nil {
		return fmt.Errorf("%s: %w", obj.Ref(), err)
	}
	data, err := load.JSON(obj.Node)
	if err != nil {
		return fmt.Errorf("%s: %w", obj.Ref(), err)
	}
	if err := sigsjson.UnmarshalCaseSensitivePreserveInts(data, into); err != nil {
		return fmt.Errorf("%s: %s", obj.Ref(), strings.TrimPrefix(err.Error(), "json: "))
	}
	return nil
}

// API groups and kinds the check reads.
const (
	gatewayGroup = "gateway.networking.k8s.io"
	coreGroup    = ""

	kindGateway        = "Gateway"
	kindGatewayClass   = "GatewayClass"
	kindHTTPRoute      = "HTTPRoute"
	kindGRPCRoute      = "GRPCRoute"
	kindTLSRoute       = "TLSRoute"
	kindTCPRoute       = "TCPRoute"
	kindUDPRoute       = "UDPRoute"
	kindReferenceGrant = "ReferenceGrant"
	kindListenerSet    = "ListenerSet"
	kindService        = "Service"
	kindSecret         = "Secret"
	kindNamespace      = "Namespace"
)

// routeKinds are the route kinds the check evaluates.
var routeKinds = map[string]bool{
	kindHTTPRoute: true, kindGRPCRoute: true, kindTLSRoute: true, kindTCPRoute: true, kindUDPRoute: true,
}

// groupOf returns the API group of an apiVersion ("" for the core group).
func groupOf(apiVersion string) string {
	g, _, ok := strings.Cut(apiVersion, "/")
	if !ok {
		return coreGroup
	}
	return g
}

// namespaceOf returns an object's namespace, "default" when unset: what
// kubectl would apply a namespaced object to without a --namespace.
func namespaceOf(obj *load.Object) string {
	if ns := obj.Namespace(); ns != "" {
		return ns
	}
	return "default"
}
