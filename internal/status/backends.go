package status

import (
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	gwv1 "sigs.k8s.io/gateway-api/apis/v1"
)

// resolveRefs decides a route's ResolvedRefs condition from its
// backendRefs, following RouteConditionResolvedRefs and BackendRef:
//
//   - a group or kind the check cannot resolve is InvalidKind ("a reference
//     to an unknown or unsupported Group and/or Kind"): Service in the core
//     group is Core; ServiceImport is Extended, so whether it resolves is
//     Unknown; anything else is implementation-specific and, as in
//     conformance test HTTPRouteInvalidBackendRefUnknownKind, InvalidKind.
//   - a reference to another namespace needs a ReferenceGrant there
//     (BackendObjectReference.Namespace), else RefNotPermitted — decided
//     before existence, so the check, like a controller, never reveals
//     whether an object it may not reference exists.
//   - a Service that is neither in the tree nor declared is BackendNotFound
//     ("a reference to a resource that does not exist").
//
// The condition is the same for every parent of the route. The first
// failing reference gives the reason; the message lists every failure.
func (w *world) resolveRefs(r *route) Condition {
	reason := ""
	var msgs, unsure []string
	for i, rule := range r.spec.Rules {
		for j, b := range rule.BackendRefs {
			res, msg := w.backendRef(r, b, fmt.Sprintf("spec.rules[%d].backendRefs[%d]", i, j))
			switch res {
			case "":
			case reasonPending:
				unsure = append(unsure, fmt.Sprintf("rules[%d].backendRefs[%d]: %s", i, j, msg))
			default:
				if reason == "" {
					reason = res
				}
				msgs = append(msgs, fmt.Sprintf("rules[%d].backendRefs[%d]: %s", i, j, msg))
			}
		}
	}
	switch {
	case reason != "":
		return cond(condResolvedRefs, False, reason, joinCapped(msgs))
	case len(unsure) > 0:
		return unknown(condResolvedRefs, joinCapped(unsure))
	}
	return cond(condResolvedRefs, True, string(gwv1.RouteReasonResolvedRefs), "")
}

// backendRef returns the reason for one reference ("" when it resolves,
// reasonPending when that cannot be known) and a message. Warnings about a
// reference that resolves (a port the Service lacks) are recorded here.
func (w *world) backendRef(r *route, b gwv1.BackendRef, field string) (string, string) {
	group, kind := coreGroup, kindService
	if b.Group != nil {
		group = string(*b.Group)
	}
	if b.Kind != nil {
		kind = string(*b.Kind)
	}
	key := nsName{r.key.ns, string(b.Name)}
	if b.Namespace != nil && *b.Namespace != "" {
		key.ns = string(*b.Namespace)
	}
	gk := groupKind(group, kind)
	isService := group == coreGroup && kind == kindService
	switch {
	case isService:
	case group == "multicluster.x-k8s.io" && kind == "ServiceImport":
	default:
		return string(gwv1.RouteReasonInvalidKind), fmt.Sprintf("%s %s: only Services (and Extended ServiceImports) are backends a conformant controller must resolve", gk, key)
	}
	if key.ns != r.key.ns && !w.permitted(refFrom{gatewayGroup, r.kind, r.key.ns}, refTo{group, kind, key.ns, key.name}) {
		return string(gwv1.RouteReasonRefNotPermitted), fmt.Sprintf("%s %s is in another namespace and no ReferenceGrant in %s allows %ss from %s to use it", gk, key, key.ns, r.kind, r.key.ns)
	}
	if !isService {
		return reasonPending, fmt.Sprintf("%s %s: ServiceImport support is Extended and not checked", gk, key)
	}
	svc, ok := w.service(key)
	if !ok {
		return string(gwv1.RouteReasonBackendNotFound), fmt.Sprintf("Service %s is neither in the manifests nor declared", key)
	}
	if svc != nil {
		w.servicePortWarnings(r, svc, key, b, field)
	}
	return "", ""
}

// servicePortWarnings reports what makes a resolved Service unusable
// without being a condition: the CRD requires a port for a Service
// reference, and a port the Service does not expose sends traffic nowhere.
func (w *world) servicePortWarnings(r *route, svc *corev1.Service, key nsName, b gwv1.BackendRef, field string) {
	if svc.Spec.Type == corev1.ServiceTypeExternalName {
		w.warnings = append(w.warnings, warnAt(r.obj, field, fmt.Sprintf(
			"Service %s is of type ExternalName, which implementations SHOULD NOT support (BackendObjectReference.Kind, CVE-2021-25740)", key)))
	}
	if b.Port == nil {
		w.warnings = append(w.warnings, warnAt(r.obj, field, fmt.Sprintf("the reference to Service %s has no port (the API server rejects it)", key)))
		return
	}
	if svc.Spec.Type == corev1.ServiceTypeExternalName {
		return
	}
	var ports []string
	for _, p := range svc.Spec.Ports {
		if p.Port == *b.Port {
			return
		}
		ports = append(ports, fmt.Sprint(p.Port))
	}
	w.warnings = append(w.warnings, warnAt(r.obj, field, fmt.Sprintf("Service %s has no port %d (ports: %s)", key, *b.Port, orNone(ports))))
}

// weightWarnings follows BackendRef.Weight: "If weight is set to 0, no
// traffic should be forwarded for this entry". A rule whose references all
// weigh 0 forwards nothing; a 0 beside positive weights starves that one
// backend, which is fine at the end of a canary but easy to leave by
// accident. HTTPRouteRule.BackendRefs adds that a rule without backendRefs
// or filters answers every request with a 500.
func (w *world) weightWarnings(r *route) {
	for i, rule := range r.spec.Rules {
		if len(rule.BackendRefs) == 0 {
			if r.kind == kindHTTPRoute && len(rule.Filters) == 0 {
				w.warnings = append(w.warnings, warnAt(r.obj, fmt.Sprintf("spec.rules[%d]", i),
					"the rule has neither backendRefs nor filters: every request it matches gets a 500"))
			}
			continue
		}
		var zero, positive []string
		for j, b := range rule.BackendRefs {
			name := fmt.Sprintf("backendRefs[%d] (%s)", j, b.Name)
			if b.Weight != nil && *b.Weight == 0 {
				zero = append(zero, name)
			} else {
				positive = append(positive, name)
			}
		}
		field := fmt.Sprintf("spec.rules[%d]", i)
		switch {
		case len(positive) == 0:
			w.warnings = append(w.warnings, warnAt(r.obj, field, fmt.Sprintf(
				"every backendRef has weight 0 (%s): the rule sends no traffic to any backend", strings.Join(zero, ", "))))
		case len(zero) > 0:
			w.warnings = append(w.warnings, warnAt(r.obj, field, fmt.Sprintf(
				"%s %s weight 0 beside %s: %s no traffic", strings.Join(zero, ", "), plural(len(zero), "has", "have"),
				strings.Join(positive, ", "), plural(len(zero), "it receives", "they receive"))))
		}
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// joinCapped joins messages, keeping the first few: a route with sixteen
// rules on a missing Service needs one line, not sixteen.
func joinCapped(msgs []string) string {
	const keep = 4
	if len(msgs) <= keep {
		return strings.Join(msgs, "; ")
	}
	return fmt.Sprintf("%s; and %d more", strings.Join(msgs[:keep], "; "), len(msgs)-keep)
}
