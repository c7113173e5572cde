package carryover

import (
	"fmt"
	"slices"
	"strings"

	gwv1 "sigs.k8s.io/gateway-api/apis/v1"

	"github.com/routeshift/routeshift/internal/convert/gatewayapi"
	"github.com/routeshift/routeshift/internal/convert/ingressnginx"
	"github.com/routeshift/routeshift/internal/load"
)

// gatewayAPIPlugin is the name Argo Rollouts knows the Gateway API traffic
// router plugin by (argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi,
// docs/installation.md): the key under trafficRouting.plugins, and the
// name in the controller's trafficRouterPlugins configuration.
const gatewayAPIPlugin = "argoproj-labs/gatewayAPI"

// rollouts moves the progressive-delivery objects that steer converted
// Ingresses: Argo Rollouts Rollouts (trafficRouting.nginx) and Flagger
// Canaries (provider nginx with an ingressRef).
func (c *run) rollouts() {
	byName := map[string]*ingressnginx.Ingress{}
	for _, ing := range c.in.Converted {
		byName[ing.Namespace+"/"+ing.Name] = ing
	}
	for _, o := range c.in.Objects {
		switch {
		case o.Kind() == "Rollout" && strings.HasPrefix(o.APIVersion(), "argoproj.io/"):
			c.rollout(o, byName)
		case o.Kind() == "Canary" && strings.HasPrefix(o.APIVersion(), "flagger.app/"):
			c.canary(o, byName)
		}
	}
}

// rollout rewrites an Argo Rollout whose nginx traffic routing names
// converted Ingresses to the Gateway API plugin with their HTTPRoutes, and
// adds the canary Service to the routes' rules with weight 0 (the plugin
// shifts weights between the two backendRefs it finds in a rule). With
// keep, nginx routing stays beside the plugin (Argo Rollouts drives
// several traffic routers at once since v1.2,
// docs/features/traffic-management/mixed.md), so both paths shift
// together during the dual-stack period.
func (c *run) rollout(o *load.Object, byName map[string]*ingressnginx.Ingress) {
	v, err := decode(o)
	if err != nil {
		c.out.Findings.Errorf(o, "", "Argo Rollouts: cannot read the Rollout to move its traffic routing: %v", err)
		return
	}
	canary, _ := path(v, "spec", "strategy", "canary").(map[string]any)
	tr, _ := canary["trafficRouting"].(map[string]any)
	nginx, _ := tr["nginx"].(map[string]any)
	if nginx == nil {
		return
	}
	ns := o.Namespace()
	names := []string{}
	if s := str(nginx["stableIngress"]); s != "" {
		names = append(names, s)
	}
	for _, s := range asList(nginx["stableIngresses"]) {
		if s := str(s); s != "" && !slices.Contains(names, s) {
			names = append(names, s)
		}
	}
	stable, canarySvc := str(canary["stableService"]), str(canary["canaryService"])
	field := "spec.strategy.canary.trafficRouting.nginx"
	var ings []*ingressnginx.Ingress
	for _, n := range names {
		ing := byName[ns+"/"+n]
		if ing == nil {
			c.out.Findings.Warnf(o, field, "Argo Rollouts: the Rollout steers Ingress %s, which this run does not convert; its traffic routing is left on nginx", qualified(ns, n))
			return
		}
		ings = append(ings, ing)
	}
	if len(ings) == 0 {
		return
	}
	fail := func(format string, args ...any) {
		msg := fmt.Sprintf(format, args...)
		for _, ing := range ings {
			c.notCarriedf(ing.Object, "", "Argo Rollouts: Rollout %s steers this Ingress through nginx and cannot be moved: %s", qualified(ns, o.Name()), msg)
		}
		c.out.Findings.Warnf(o, field, "Argo Rollouts: %s", msg)
	}
	if stable == "" || canarySvc == "" {
		fail("it names no stableService and canaryService, which the Gateway API plugin needs")
		return
	}
	var routes []*gatewayapi.Object
	var others []string
	for _, ing := range ings {
		for _, r := range c.routes[ing] {
			switch r.Kind {
			case "HTTPRoute":
				if hasBackend(r, stable) {
					routes = append(routes, r)
				}
			default:
				others = append(others, r.Kind+" "+r.Name)
			}
		}
	}
	switch {
	case len(others) > 0:
		fail("Ingresses %s also became %s, which this conversion does not hand to the plugin; configure the plugin's grpcRoutes/tlsRoutes for them by hand", strings.Join(names, ", "), strings.Join(others, ", "))
		return
	case len(routes) == 0:
		fail("no generated HTTPRoute of Ingress %s forwards to stableService %s", strings.Join(names, ", "), stable)
		return
	}
	var routeNames []string
	for _, r := range routes {
		addCanaryBackend(r, stable, canarySvc)
		routeNames = append(routeNames, r.Name)
	}
	plugin := map[string]any{"namespace": ns}
	if len(routes) == 1 {
		plugin["httpRoute"] = routes[0].Name
	} else {
		var list []any
		for _, r := range routes {
			list = append(list, map[string]any{"name": r.Name})
		}
		plugin["httpRoutes"] = list
	}
	plugins, _ := tr["plugins"].(map[string]any)
	if plugins == nil {
		plugins = map[string]any{}
	}
	before := sameJSON(plugins[gatewayAPIPlugin], plugin)
	plugins[gatewayAPIPlugin] = plugin
	tr["plugins"] = plugins
	// nginx steers the Ingresses while they exist; remove drops them, and
	// their routing with them, unless one is kept for an error.
	dropNginx := c.in.Remove && !slices.ContainsFunc(ings, func(ing *ingressnginx.Ingress) bool { return c.in.Errors[ing.Object] })
	if dropNginx {
		delete(tr, "nginx")
	}
	for _, k := range []string{"additionalIngressAnnotations", "canaryIngressAnnotations"} {
		if _, ok := nginx[k]; ok {
			c.out.Findings.Warnf(o, field+"."+k, "Argo Rollouts: %s set annotations on the canary Ingress that the Gateway API plugin has no counterpart for; header-based canaries become setHeaderRoute steps with managedRoutes and useHeaderRoutes: true in the plugin configuration", k)
		}
	}
	if !before || dropNginx {
		if err := c.replace(o, v); err != nil {
			c.out.Findings.Errorf(o, "", "Argo Rollouts: cannot rewrite the Rollout: %v", err)
			return
		}
	}
	how := "added trafficRouting.plugins." + gatewayAPIPlugin + " beside nginx (both shift traffic until the Ingresses go)"
	if dropNginx {
		how = "replaced trafficRouting.nginx with trafficRouting.plugins." + gatewayAPIPlugin
	}
	c.out.Findings.Infof(o, "spec.strategy.canary.trafficRouting", "Argo Rollouts: %s, steering HTTPRoute %s (canaryService %s added with weight 0 beside %s). The plugin must be registered in the argo-rollouts-config ConfigMap (trafficRouterPlugins: name %s) and allowed to get, update and patch httproutes; Argo CD should ignore .spec.rules[].backendRefs[].weight of these routes, which the plugin writes",
		how, strings.Join(routeNames, ", "), canarySvc, stable, gatewayAPIPlugin)
}

// hasBackend reports whether a route forwards to Service name.
func hasBackend(r *gatewayapi.Object, name string) bool {
	hr, ok := r.Value.(*gwv1.HTTPRoute)
	if !ok {
		return false
	}
	for _, rule := range hr.Spec.Rules {
		for _, b := range rule.BackendRefs {
			if isService(b.BackendObjectReference) && string(b.Name) == name {
				return true
			}
		}
	}
	return false
}

func isService(b gwv1.BackendObjectReference) bool {
	return (b.Group == nil || *b.Group == "") && (b.Kind == nil || *b.Kind == "Service")
}

// addCanaryBackend puts the canary Service beside the stable one in every
// rule that forwards to it, with weight 0 so nothing changes until the
// plugin shifts traffic.
func addCanaryBackend(r *gatewayapi.Object, stable, canary string) {
	hr := r.Value.(*gwv1.HTTPRoute)
	for i, rule := range hr.Spec.Rules {
		var out []gwv1.HTTPBackendRef
		has := slices.ContainsFunc(rule.BackendRefs, func(b gwv1.HTTPBackendRef) bool {
			return isService(b.BackendObjectReference) && string(b.Name) == canary
		})
		for _, b := range rule.BackendRefs {
			out = append(out, b)
			if !has && isService(b.BackendObjectReference) && string(b.Name) == stable {
				cb := gwv1.HTTPBackendRef{BackendRef: gwv1.BackendRef{BackendObjectReference: b.BackendObjectReference, Weight: ptr(int32(0))}}
				cb.Name = gwv1.ObjectName(canary)
				out = append(out, cb)
			}
		}
		hr.Spec.Rules[i].BackendRefs = out
	}
}

// canary moves a Flagger Canary from provider nginx to gatewayapi:v1.
// Flagger then generates and owns the HTTPRoute (named after the apex
// Service, with spec.service.hosts and gatewayRefs, pkg/router/gateway_api.go
// of v1.36.1), so the converted routes that forward to the apex Service
// are left out. That is only exact when they hold nothing but a "/"
// prefix; anything else is reported with the change to make. With keep the
// Canary stays on nginx (one provider at a time, and the Ingress is still
// the way in): the result names the change for cutover.
func (c *run) canary(o *load.Object, byName map[string]*ingressnginx.Ingress) {
	v, err := decode(o)
	if err != nil {
		c.out.Findings.Errorf(o, "", "Flagger: cannot read the Canary: %v", err)
		return
	}
	spec, _ := v["spec"].(map[string]any)
	if str(spec["provider"]) != "nginx" {
		return
	}
	ref, _ := spec["ingressRef"].(map[string]any)
	ns := o.Namespace()
	ing := byName[ns+"/"+str(ref["name"])]
	if ing == nil {
		if ref != nil {
			c.out.Findings.Warnf(o, "spec.ingressRef", "Flagger: the Canary steers Ingress %s, which this run does not convert; it is left on provider nginx", qualified(ns, str(ref["name"])))
		}
		return
	}
	svc, ok := spec["service"].(map[string]any)
	if !ok && spec["service"] != nil {
		c.out.Findings.Warnf(o, "spec.service", "Flagger: spec.service is not an object; the Canary is left as it is")
		return
	}
	apex := str(svc["name"])
	if apex == "" {
		apex = str(path(spec, "targetRef", "name"))
	}
	var backend []*gatewayapi.Object
	var parents []parent
	var hosts []string
	why := ""
	for _, r := range c.routes[ing] {
		hr, ok := r.Value.(*gwv1.HTTPRoute)
		if !ok {
			if why == "" {
				why = fmt.Sprintf("the Ingress also became %s %s", r.Kind, r.Name)
			}
			continue
		}
		if !hasBackend(r, apex) {
			continue
		}
		if why == "" && !flaggerExpressible(hr, apex) {
			why = fmt.Sprintf("HTTPRoute %s has rules Flagger's generated route cannot hold (its route forwards \"/\" of each host to the apex Service only)", r.Name)
		}
		backend = append(backend, r)
		for _, p := range routeParents(r) {
			if !slices.Contains(parents, p) {
				parents = append(parents, p)
			}
		}
		for _, h := range hr.Spec.Hostnames {
			if !slices.Contains(hosts, string(h)) {
				hosts = append(hosts, string(h))
			}
		}
	}
	if why == "" && len(backend) == 0 {
		why = fmt.Sprintf("no generated HTTPRoute forwards to the apex Service %s", apex)
	}
	change := fmt.Sprintf("provider: gatewayapi:v1, no ingressRef, spec.service.hosts [%s], spec.service.gatewayRefs %s", strings.Join(hosts, ", "), refsText(parents))
	if why != "" {
		c.notCarriedf(ing.Object, "", "Flagger: Canary %s steers this Ingress through nginx and cannot be moved: %s; move it by hand (%s)", qualified(ns, o.Name()), why, change)
		return
	}
	names := make([]string, 0, len(backend))
	for _, r := range backend {
		names = append(names, r.Name)
	}
	if !c.in.Remove || c.in.Errors[ing.Object] {
		c.out.Findings.Warnf(o, "spec.provider", "Flagger: the Canary steers Ingress %s through nginx; at cutover set %s, and drop the converted HTTPRoute %s, which Flagger's own route (named %s) replaces. Flagger's built-in request-success-rate and request-duration metrics are nginx's: give the analysis MetricTemplates of your Gateway implementation",
			qualified(ns, ing.Name), change, strings.Join(names, ", "), apex)
		return
	}
	spec["provider"] = "gatewayapi:v1"
	delete(spec, "ingressRef")
	if svc == nil {
		svc = map[string]any{}
		spec["service"] = svc
	}
	svc["hosts"] = toAny(hosts)
	svc["gatewayRefs"] = parentRefs(parents)
	if err := c.replace(o, v); err != nil {
		c.out.Findings.Errorf(o, "", "Flagger: cannot rewrite the Canary: %v", err)
		return
	}
	c.out.Drop = append(c.out.Drop, backend...)
	// On the Ingress too: its requests are not served by the manifests
	// until Flagger writes its route, which a comparison of them (diff
	// --converter-results) must be able to attribute.
	c.out.Findings.Infof(ing.Object, "", "Flagger: the converted HTTPRoute %s is left out: Flagger generates HTTPRoute %s for Canary %s in the cluster, so these manifests alone do not serve %s",
		strings.Join(names, ", "), qualified(ns, apex), qualified(ns, o.Name()), strings.Join(hosts, ", "))
	c.out.Findings.Infof(o, "spec.provider", "Flagger: moved the Canary from nginx to provider gatewayapi:v1 on %s for %s; Flagger generates and owns HTTPRoute %s, so the converted HTTPRoute %s is left out. Flagger's built-in request-success-rate and request-duration metrics are nginx's: give the analysis MetricTemplates of your Gateway implementation",
		parentsText(parents), strings.Join(hosts, ", "), qualified(ns, apex), strings.Join(names, ", "))
}

// flaggerExpressible reports whether a route is what Flagger's generated
// route would be: one rule matching the "/" prefix (or everything),
// forwarding to the apex Service without filters.
func flaggerExpressible(hr *gwv1.HTTPRoute, apex string) bool {
	if len(hr.Spec.Rules) != 1 {
		return false
	}
	rule := hr.Spec.Rules[0]
	if len(rule.Filters) > 0 || len(rule.BackendRefs) != 1 || string(rule.BackendRefs[0].Name) != apex || len(rule.BackendRefs[0].Filters) > 0 {
		return false
	}
	for _, m := range rule.Matches {
		if len(m.Headers) > 0 || len(m.QueryParams) > 0 || m.Method != nil {
			return false
		}
		if m.Path != nil && (m.Path.Type == nil || *m.Path.Type != gwv1.PathMatchPathPrefix || m.Path.Value == nil || *m.Path.Value != "/") {
			return false
		}
	}
	return true
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

func ptr[T any](v T) *T { return &v }
