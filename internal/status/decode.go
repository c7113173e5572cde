package status

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/routeshift/routeshift/internal/load"
)

// decode fills a typed value from an object's node, through JSON so that
// field names and types are the API's own. It is lenient about unknown
// fields (schema validation is internal/validate's job, and a newer
// Gateway API field must not stop the check) but not about wrong types:
// those become an error naming the object and its file.
func decode(obj *load.Object, into any) error {
	data, err := load.JSON(obj.Node)
	if err != nil {
		return fmt.Errorf("%s: %w", obj.Ref(), err)
	}
	if err := json.Unmarshal(data, into); err != nil {
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
