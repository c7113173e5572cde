package fn

import (
	"github.com/routeshift/routeshift/internal/convert/carryover"
	"github.com/routeshift/routeshift/internal/convert/gatewayapi"
	"github.com/routeshift/routeshift/internal/convert/ingressnginx"
	"github.com/routeshift/routeshift/internal/finding"
	"github.com/routeshift/routeshift/internal/load"
)

// carryOver moves what other controllers read from the converted
// Ingresses (cert-manager, ExternalDNS, Argo Rollouts, Flagger) to the
// generated objects (internal/convert/carryover). The annotations it adds
// go straight onto the generated objects; it returns new objects to place
// with their Ingress and input objects to write in rewritten form.
func carryOver(spec Spec, model *ingressnginx.Model, res *gatewayapi.Result, objs []*load.Object, errs map[*load.Object]bool) ([]*gatewayapi.Object, map[*load.Object]*load.Object, finding.List) {
	_, targets := spec.options()
	var converted []*ingressnginx.Ingress
	for _, ing := range model.Ingresses {
		if ing.Served && !res.Failed[ing] {
			converted = append(converted, ing)
		}
	}
	out := carryover.Run(carryover.Input{
		Converted: converted, Generated: res.Objects, Objects: objs, Targets: targets,
		Remove: spec.Ingress == "remove", IngressClasses: spec.IngressClassNames, IncludeUnclassed: *spec.IncludeUnclassed,
		ExternalDNSPrefix: spec.externalDNSPrefix(), Errors: errs, AnnotationsPrefix: spec.AnnotationsPrefix,
	})
	if len(out.Drop) > 0 {
		drop := map[*gatewayapi.Object]bool{}
		for _, g := range out.Drop {
			drop[g] = true
		}
		kept := res.Objects[:0]
		for _, g := range res.Objects {
			if !drop[g] {
				kept = append(kept, g)
			}
		}
		res.Objects = kept
	}
	for g, add := range out.Annotate {
		ann := annotationsOf(g.Value)
		if ann == nil {
			ann = map[string]string{}
		}
		for k, v := range add {
			ann[k] = v
		}
		setAnnotations(g.Value, ann)
	}
	return out.Objects, out.Replace, out.Findings
}

// replaceInput returns objs with the rewritten input objects in their
// places; the caller's slice is left as it was.
func replaceInput(objs []*load.Object, repl map[*load.Object]*load.Object) []*load.Object {
	if len(repl) == 0 {
		return objs
	}
	out := make([]*load.Object, len(objs))
	for i, o := range objs {
		if n := repl[o]; n != nil {
			o = n
		}
		out[i] = o
	}
	return out
}
