package status

import (
	"fmt"
	"strings"

	gwv1 "sigs.k8s.io/gateway-api/apis/v1"
)

// gatewayConditions summarises the listeners as GatewaySpec.Listeners and
// the Gateway condition docs say: "The implementation MUST set a
// ListenersNotValid condition on the Gateway Status when the Gateway
// contains Conflicted Listeners whether or not they accept the Gateway";
// ListenersNotValid goes with Accepted True when some listeners are valid
// and False when none is ("At least one distinct Listener MUST be present,
// or else the Gateway ... must be rejected"; conformance test
// GatewayInvalidListenersUnsupportedProtocol); ResolvedRefs is False with
// ListenersNotResolved when a listener's is. Programmed needs addresses and
// a data plane, so it is only known when the Gateway is not accepted.
func (w *world) gatewayConditions(g *gateway) []Condition {
	var invalid, undecided []string
	valid := 0
	own := g.ownListeners()
	for _, l := range own {
		switch l.accepted.Status {
		case True:
			valid++
		case False:
			invalid = append(invalid, l.name())
		default:
			undecided = append(undecided, l.name())
		}
	}
	notValid := string(gwv1.GatewayReasonListenersNotValid)
	var accepted Condition
	switch {
	case !w.classKnown(g):
		accepted = unknown(condAccepted, fmt.Sprintf("GatewayClass %q is neither in the manifests nor declared: no controller may reconcile this Gateway", g.class))
	case len(own) == 0:
		accepted = cond(condAccepted, False, string(gwv1.GatewayReasonInvalid), "the Gateway has no listeners (the API server rejects it)")
	case len(invalid) == 0 && len(undecided) == 0:
		accepted = cond(condAccepted, True, string(gwv1.GatewayReasonAccepted), "")
	case valid > 0 && len(invalid) > 0:
		accepted = cond(condAccepted, True, notValid, "listeners not accepted: "+strings.Join(invalid, ", "))
	case valid > 0:
		accepted = cond(condAccepted, True, string(gwv1.GatewayReasonAccepted), "undecided listeners: "+strings.Join(undecided, ", "))
	case len(undecided) > 0:
		accepted = unknown(condAccepted, "no listener is known to be accepted; undecided: "+strings.Join(undecided, ", "))
	default:
		accepted = cond(condAccepted, False, notValid, "no listener is accepted: "+strings.Join(invalid, ", "))
	}

	resolved := cond(condResolvedRefs, True, string(gwv1.GatewayReasonResolvedRefs), "")
	var bad, unsure []string
	for _, l := range own {
		switch l.resolved.Status {
		case False:
			bad = append(bad, l.name())
		case Unknown:
			unsure = append(unsure, l.name())
		}
	}
	switch {
	case len(bad) > 0:
		resolved = cond(condResolvedRefs, False, string(gwv1.GatewayReasonListenersNotResolved), "listeners with unresolved references: "+strings.Join(bad, ", "))
	case len(unsure) > 0:
		resolved = unknown(condResolvedRefs, "listeners with undecided references: "+strings.Join(unsure, ", "))
	}

	prog := unknown(condProgrammed, "set by the controller once addresses are assigned and the data plane is configured")
	if accepted.Status == False {
		prog = cond(condProgrammed, False, string(gwv1.GatewayReasonInvalid), "the Gateway is not accepted")
	}
	return []Condition{accepted, resolved, prog}
}

// classKnown reports whether a Gateway's GatewayClass may exist. Classes
// are cluster-wide and usually installed with the implementation, so they
// are only checked once the tree or the declaration lists some: then a
// class missing from the list means no controller owns the Gateway, whose
// status would stay Pending. A declared Gateway without a class is taken
// as its owner wrote it.
func (w *world) classKnown(g *gateway) bool {
	if len(w.classes) == 0 || (g.obj == nil && g.class == "") {
		return true
	}
	return w.classes[g.class]
}

// ownListeners are the Gateway's own listeners, without those of attached
// ListenerSets, whose problems are reported on the ListenerSet.
func (g *gateway) ownListeners() []*listener {
	var out []*listener
	for _, l := range g.listeners {
		if l.set == nil {
			out = append(out, l)
		}
	}
	return out
}
