package fn

import (
	"github.com/routeshift/routeshift/internal/finding"
	"github.com/routeshift/routeshift/internal/load"
	"github.com/routeshift/routeshift/internal/status"
)

// attachCheck runs the check a Gateway API controller would make on the
// output, for the routes this run generated: a route that no listener
// would accept (allowedRoutes, hostnames, section names of a Gateway in
// the input) is an error, so a conversion never quietly produces routes
// that would not attach. Parents that are not in the input are unknown
// and left alone; backends are the user's (often in another repository)
// and so is their resolution.
func attachCheck(out []*load.Object, generated map[*load.Object]bool, findings *finding.List) {
	if len(generated) == 0 {
		return
	}
	// Routes attached to Gateways this run created attach by construction
	// (their listeners and allowedRoutes are derived from the routes; the
	// golden tests check it on every case), so the check, which costs a
	// tenth of a large run, only runs when the input holds a Gateway.
	userGateway := false
	for _, o := range out {
		if o.Kind() == "Gateway" && !generated[o] {
			userGateway = true
			break
		}
	}
	if !userGateway {
		return
	}
	attachCheckAll(out, generated, findings)
}

// attachCheckAll reports every generated route that would not attach.
func attachCheckAll(out []*load.Object, generated map[*load.Object]bool, findings *finding.List) {
	byID := map[string]*load.Object{}
	for o := range generated {
		byID[o.Kind()+"/"+o.Namespace()+"/"+o.Name()] = o
	}
	// Only what decides attachment: the check reads every object it is
	// given, and Services, Ingresses and the user's other objects do not
	// change whether a route attaches.
	var relevant []*load.Object
	whole := func(o *load.Object) {
		// Generated objects keep only their identity as a node; the check
		// reads them whole.
		tree, err := o.Tree()
		if err != nil {
			findings.Errorf(o, "", "cannot read back the generated %s: %v", o.Kind(), err)
			return
		}
		relevant = append(relevant, load.NewObject(tree, o.Source))
	}
	for _, o := range out {
		switch o.Kind() {
		case "Gateway", "ListenerSet", "Namespace", "ReferenceGrant":
			if generated[o] {
				whole(o)
			} else {
				relevant = append(relevant, o)
			}
		case "HTTPRoute", "GRPCRoute", "TLSRoute":
			if generated[o] {
				whole(o)
			}
		}
	}
	rep := status.Run(relevant, status.Declared{})
	for _, r := range rep.Routes {
		o := byID[r.Kind+"/"+r.Namespace+"/"+r.Name]
		if o == nil {
			continue
		}
		for _, p := range r.Parents {
			for _, c := range p.Conditions {
				if c.Type == "Accepted" && c.Status == status.False {
					target := p.Name
					if p.SectionName != "" {
						target += " listener " + p.SectionName
					}
					findings.Errorf(o, "spec.parentRefs", "the generated %s would not attach to Gateway %s: %s (%s)", r.Kind, target, c.Reason, c.Message)
				}
			}
		}
	}
}
