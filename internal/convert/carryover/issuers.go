package carryover

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	gwv1 "sigs.k8s.io/gateway-api/apis/v1"

	"github.com/routeshift/routeshift/internal/convert/gatewayapi"
	"github.com/routeshift/routeshift/internal/convert/ingressnginx"
	"github.com/routeshift/routeshift/internal/finding"
	"github.com/routeshift/routeshift/internal/load"
)

// issuers moves the ACME HTTP-01 solvers of the input's Issuers and
// ClusterIssuers that answer challenges through ingress-nginx (an
// http01.ingress solver whose Ingress ingress-nginx would serve) to
// cert-manager's Gateway API solver, http01.gatewayHTTPRoute, attached to
// the HTTP listeners the converted routes use. With spec.ingress keep the
// new solver goes right after the old one: cert-manager picks the first of
// equally specific solvers (pkg/util/solverpicker), so challenges keep
// going through ingress-nginx until the old solver is removed at cutover.
// With remove it takes the old one's place.
func (c *run) issuers() {
	inInput := map[string]bool{}
	for _, o := range c.in.Objects {
		kind := o.Kind()
		if (kind != "Issuer" && kind != "ClusterIssuer") || !strings.HasPrefix(o.APIVersion(), "cert-manager.io/") {
			continue
		}
		ref := issuerRef{Name: o.Name(), Kind: kind}
		if kind == "Issuer" {
			ref.Namespace = o.Namespace()
		}
		inInput[ref.key()] = true
		c.issuer(o, ref)
	}
	for _, key := range c.issuerOrder {
		if inInput[key] {
			continue
		}
		users := c.issuerUsers[key]
		ref := c.certIssuer(key)
		if ref.Group != "" && ref.Group != "cert-manager.io" {
			continue // an external issuer: no ACME solvers to move
		}
		parents := c.httpParents(users)
		sev := finding.Info
		if c.in.Remove {
			sev = finding.Warning
		}
		c.out.Findings.Add(sev, users[0].Object, "metadata.annotations",
			"cert-manager: %s is not in the input; if it is an ACME issuer whose HTTP-01 solver uses http01.ingress with ingress-nginx's class, give it a solver %s %s the old one (keep it first while ingress-nginx still answers for the hosts), or challenges for these certificates fail once ingress-nginx is gone",
			ref, solverText(parents), map[bool]string{true: "instead of", false: "beside"}[c.in.Remove])
	}
}

// certIssuer finds the issuerRef of a key recorded in issuerUsers.
func (c *run) certIssuer(key string) issuerRef {
	parts := strings.SplitN(key, "/", 4)
	return issuerRef{Group: parts[0], Kind: parts[1], Namespace: parts[2], Name: parts[3]}
}

// issuer rewrites one Issuer or ClusterIssuer when one of its solvers
// goes through ingress-nginx.
func (c *run) issuer(o *load.Object, ref issuerRef) {
	v, err := decode(o)
	if err != nil {
		c.out.Findings.Errorf(o, "", "cert-manager: cannot read %s to move its HTTP-01 solvers: %v", ref, err)
		return
	}
	solvers, _ := path(v, "spec", "acme", "solvers").([]any)
	if len(solvers) == 0 {
		return
	}
	parents := c.httpParents(c.issuerUsers[ref.key()])
	if len(parents) == 0 {
		parents = c.defaultParents()
	}
	var out []any
	var moved []string
	changed := false
	for i, s := range solvers {
		sm, _ := s.(map[string]any)
		ing, _ := path(sm, "http01", "ingress").(map[string]any)
		if ing == nil || !c.servedByNginx(ing) {
			out = append(out, s)
			continue
		}
		if len(parents) == 0 {
			c.out.Findings.Add(c.notCarried(), o, fmt.Sprintf("spec.acme.solvers[%d]", i), "cert-manager: %s answers HTTP-01 challenges through ingress-nginx, and no Gateway listener is known to move it to; add an http01.gatewayHTTPRoute solver with parentRefs to the Gateway's HTTP listener", ref)
			out = append(out, s)
			continue
		}
		repl := gatewaySolver(sm, parents)
		exists := slices.ContainsFunc(solvers, func(x any) bool { return sameJSON(x, repl) })
		if !c.in.Remove {
			out = append(out, s)
		}
		if !exists {
			out = append(out, repl)
			changed = true
		}
		if c.in.Remove {
			changed = true
		}
		if _, ok := ing["ingressTemplate"]; ok {
			c.out.Findings.Infof(o, fmt.Sprintf("spec.acme.solvers[%d].http01.ingress.ingressTemplate", i), "cert-manager: the solver's ingressTemplate has no counterpart in http01.gatewayHTTPRoute (which takes labels and podTemplate); it is not carried")
		}
		moved = append(moved, fmt.Sprintf("solvers[%d]", i))
	}
	if !changed {
		return
	}
	// A gateway solver that a keep run added stays exactly once.
	var dedup []any
	for _, s := range out {
		if !slices.ContainsFunc(dedup, func(x any) bool { return sameJSON(x, s) }) {
			dedup = append(dedup, s)
		}
	}
	v["spec"].(map[string]any)["acme"].(map[string]any)["solvers"] = dedup
	if err := c.replace(o, v); err != nil {
		c.out.Findings.Errorf(o, "", "cert-manager: cannot rewrite %s: %v", ref, err)
		return
	}
	how := "added an http01.gatewayHTTPRoute solver after " + strings.Join(moved, ", ") + " (cert-manager prefers the first of equally specific solvers, so ingress-nginx answers challenges until the old solver is removed at cutover)"
	if c.in.Remove {
		how = "replaced the http01.ingress solver " + strings.Join(moved, ", ") + " with an http01.gatewayHTTPRoute solver"
	}
	c.out.Findings.Infof(o, "spec.acme.solvers", "cert-manager: %s answered HTTP-01 challenges through ingress-nginx; %s, attached to %s", ref, how, parentsText(parents))
}

// servedByNginx reports whether ingress-nginx serves the challenge
// Ingresses an http01.ingress solver creates: its class or
// ingressClassName is one of ingress-nginx's, it edits an Ingress that is
// converted (name), or it sets none and ingress-nginx is the default class.
func (c *run) servedByNginx(ing map[string]any) bool {
	if cl := str(ing["ingressClassName"]); cl != "" {
		return slices.Contains(c.in.IngressClasses, cl)
	}
	if cl := str(ing["class"]); cl != "" {
		return slices.Contains(c.in.IngressClasses, cl)
	}
	if name := str(ing["name"]); name != "" {
		return c.converted(name)
	}
	return c.in.IncludeUnclassed
}

func (c *run) converted(name string) bool {
	for _, ing := range c.in.Converted {
		if ing.Name == name {
			return true
		}
	}
	return false
}

// parent is a parentRef of an HTTP listener.
type parent struct{ Namespace, Name, SectionName string }

// httpParents are the HTTP-side parents of the routes of users (the
// listeners that answer plain HTTP for their hosts), in first-seen order.
func (c *run) httpParents(users []*ingressnginx.Ingress) []parent {
	var out []parent
	for _, ing := range users {
		for _, r := range c.routes[ing] {
			for _, p := range routeParents(r) {
				if c.isHTTPListener(p) && !slices.Contains(out, p) {
					out = append(out, p)
				}
			}
		}
	}
	return out
}

// defaultParents are the HTTP listeners of every target, for an issuer no
// converted Ingress names.
func (c *run) defaultParents() []parent {
	var out []parent
	for _, t := range c.in.Targets {
		var p parent
		switch {
		case t.Create && c.gateways[t.Namespace+"/"+t.Name] != nil:
			p = parent{Namespace: t.Namespace, Name: t.Name, SectionName: "http"}
		case !t.Create:
			p = parent{Namespace: t.Namespace, Name: t.Name, SectionName: t.SectionNames.HTTP}
		default:
			continue
		}
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// isHTTPListener reports whether a route parent is a plain-HTTP listener:
// "http" of a created Gateway, sectionNames.http of an attach target (or
// the whole Gateway when no section names are configured).
func (c *run) isHTTPListener(p parent) bool {
	if c.gateways[p.Namespace+"/"+p.Name] != nil {
		return p.SectionName == "http"
	}
	for _, t := range c.in.Targets {
		if !t.Create && t.Name == p.Name && t.Namespace == p.Namespace {
			return p.SectionName == t.SectionNames.HTTP
		}
	}
	return false
}

// gatewaySolver is the http01.gatewayHTTPRoute solver standing for an
// http01.ingress solver: same selector, serviceType and podTemplate.
func gatewaySolver(old map[string]any, parents []parent) map[string]any {
	route := map[string]any{"parentRefs": parentRefs(parents)}
	ing, _ := path(old, "http01", "ingress").(map[string]any)
	for _, k := range []string{"serviceType", "podTemplate"} {
		if v, ok := ing[k]; ok {
			route[k] = v
		}
	}
	s := map[string]any{"http01": map[string]any{"gatewayHTTPRoute": route}}
	if sel, ok := old["selector"]; ok {
		s["selector"] = sel
	}
	return s
}

func parentRefs(parents []parent) []any {
	var out []any
	for _, p := range parents {
		ref := map[string]any{"group": "gateway.networking.k8s.io", "kind": "Gateway", "name": p.Name}
		if p.Namespace != "" {
			ref["namespace"] = p.Namespace
		}
		if p.SectionName != "" {
			ref["sectionName"] = p.SectionName
		}
		out = append(out, ref)
	}
	return out
}

func parentsText(parents []parent) string {
	var parts []string
	for _, p := range parents {
		s := "Gateway " + qualified(p.Namespace, p.Name)
		if p.SectionName != "" {
			s += " listener " + p.SectionName
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

// solverText is the solver to add, as one line of YAML flow.
func solverText(parents []parent) string {
	if len(parents) == 0 {
		return "{http01: {gatewayHTTPRoute: {parentRefs: [<the Gateway's HTTP listener>]}}}"
	}
	return "{http01: {gatewayHTTPRoute: {parentRefs: " + refsText(parents) + "}}}"
}

// refsText is a list of Gateway parentRefs as one line of YAML flow.
func refsText(parents []parent) string {
	var refs []string
	for _, p := range parents {
		r := fmt.Sprintf("{name: %s", p.Name)
		if p.Namespace != "" {
			r += ", namespace: " + p.Namespace
		}
		r += ", kind: Gateway"
		if p.SectionName != "" {
			r += ", sectionName: " + p.SectionName
		}
		refs = append(refs, r+"}")
	}
	return "[" + strings.Join(refs, ", ") + "]"
}

func sameJSON(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(x) == string(y)
}

// routeParents are a generated route's Gateway parents, namespaces
// filled in.
func routeParents(r *gatewayapi.Object) []parent {
	var refs []gwv1.ParentReference
	switch v := r.Value.(type) {
	case *gwv1.HTTPRoute:
		refs = v.Spec.ParentRefs
	case *gwv1.GRPCRoute:
		refs = v.Spec.ParentRefs
	}
	var out []parent
	for _, p := range refs {
		if p.Kind != nil && *p.Kind != "Gateway" {
			continue
		}
		q := parent{Namespace: r.Namespace, Name: string(p.Name)}
		if p.Namespace != nil {
			q.Namespace = string(*p.Namespace)
		}
		if p.SectionName != nil {
			q.SectionName = string(*p.SectionName)
		}
		out = append(out, q)
	}
	return out
}
