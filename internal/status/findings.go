package status

import (
	"fmt"

	gwv1 "sigs.k8s.io/gateway-api/apis/v1"

	"github.com/routeshift/routeshift/internal/finding"
	"github.com/routeshift/routeshift/internal/load"
)

// Findings turns a report into findings on the objects it was computed
// from, for the KRM function: a gate condition (Accepted, ResolvedRefs)
// that is False is an error, one that is Unknown is info (the function
// cannot see the cluster either), a warning stays a warning; a Conflicted
// listener is an error through its Accepted condition. objs must be the
// slice given to Run; objects are found by their Source.
func (r Report) Findings(objs []*load.Object) finding.List {
	bySource := map[string]*load.Object{}
	for _, o := range objs {
		bySource[o.Source.String()] = o
	}
	var out finding.List
	add := func(src, field, what string, cs []Condition) {
		for _, c := range cs {
			if !isGate(c.Type) || c.Status == True || summarizesListeners(c) {
				continue
			}
			sev := finding.Error
			if c.Status == Unknown {
				sev = finding.Info
			}
			out.Add(sev, bySource[src], field, "%s: %s %s %s: %s", what, c.Type, c.Status, c.Reason, c.Message)
		}
	}
	for _, g := range r.Gateways {
		add(g.Source, "", "Gateway", g.Conditions)
		for i, l := range g.Listeners {
			add(g.Source, fmt.Sprintf("spec.listeners[%d]", i), "listener "+l.Name, l.Conditions)
		}
	}
	for _, rt := range r.Routes {
		for i, p := range rt.Parents {
			add(rt.Source, fmt.Sprintf("spec.parentRefs[%d]", i), "parent "+p.describe(), p.Conditions)
		}
	}
	for _, w := range r.Warnings {
		out.Warnf(bySource[w.Source], w.Field, "%s", w.Message)
	}
	for _, e := range r.Errors {
		out.Errorf(nil, "", "check: %s", e)
	}
	return out
}

// summarizesListeners reports a Gateway condition that only repeats what
// its listeners' findings say.
func summarizesListeners(c Condition) bool {
	return c.Reason == string(gwv1.GatewayReasonListenersNotValid) || c.Reason == string(gwv1.GatewayReasonListenersNotResolved)
}
