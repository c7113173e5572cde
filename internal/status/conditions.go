package status

import (
	gwv1 "sigs.k8s.io/gateway-api/apis/v1"
)

// Condition types and reasons are the API's own constants, so a rename in
// Gateway API breaks the build instead of the report.
const (
	condAccepted     = string(gwv1.GatewayConditionAccepted)
	condResolvedRefs = string(gwv1.GatewayConditionResolvedRefs)
	condProgrammed   = string(gwv1.GatewayConditionProgrammed)
	condConflicted   = string(gwv1.ListenerConditionConflicted)
	condOverlapping  = string(gwv1.ListenerConditionOverlappingTLSConfig)

	// reasonPending is the API's reason for a condition that is Unknown
	// because no controller has decided it yet (GatewayReasonPending,
	// ListenerReasonPending, RouteReasonPending); the check uses it for
	// everything that is Unknown, with a message saying what is missing.
	reasonPending = string(gwv1.GatewayReasonPending)
)

func cond(typ string, status Status, reason, msg string) Condition {
	return Condition{Type: typ, Status: status, Reason: reason, Message: msg}
}

func unknown(typ, msg string) Condition { return cond(typ, Unknown, reasonPending, msg) }
