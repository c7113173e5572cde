package fn

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	gwv1 "sigs.k8s.io/gateway-api/apis/v1"

	"github.com/routeshift/routeshift/internal/annotations"
	"github.com/routeshift/routeshift/internal/convert/gatewayapi"
	"github.com/routeshift/routeshift/internal/convert/implementations"
	"github.com/routeshift/routeshift/internal/convert/implementations/registry"
	"github.com/routeshift/routeshift/internal/convert/ingressnginx"
	"github.com/routeshift/routeshift/internal/finding"
	"github.com/routeshift/routeshift/internal/load"
)

// translated is one Ingress's Output.
type translated struct {
	ing *ingressnginx.Ingress
	out implementations.Output
}

// policies runs the configured implementation over every converted
// Ingress: its policy objects join the generated ones, and the annotations
// it carries get their fate from it (before accounting, which reads fates).
func policies(impl implementations.Implementation, model *ingressnginx.Model, res *gatewayapi.Result, objs []*load.Object, prefix string) ([]*gatewayapi.Object, finding.List) {
	if impl == nil {
		return nil, nil
	}
	secrets, configMaps := dataOf(objs, "Secret"), dataOf(objs, "ConfigMap")
	own := ownBackends(model)
	routes := map[*ingressnginx.Ingress][]implementations.Route{}
	grpc := map[*ingressnginx.Ingress][]string{}
	for _, g := range res.Objects {
		switch g.Kind {
		case "HTTPRoute":
			routes[g.Source] = append(routes[g.Source], routeOf(g, own[g.Source]))
		case "GRPCRoute":
			grpc[g.Source] = append(grpc[g.Source], g.Namespace+"/"+g.Name)
		}
	}
	var done []translated
	for _, ing := range model.Ingresses {
		if !ing.Served || res.Failed[ing] {
			continue
		}
		in := implementations.Input{Namespace: ing.Namespace, Name: ing.Name, Annotations: map[string]string{},
			Routes: routes[ing], Secrets: secrets, ConfigMaps: configMaps}
		for k, v := range ing.Spec.Annotations {
			if name, ok := annotations.Split(k, prefix); ok {
				in.Annotations[name] = v
			}
		}
		if sn := ing.Settings.Snippet; sn != nil && sn.HasAccess() {
			// A triaged snippet's allow and deny lines, written as the
			// annotations that render the same lines (the snippet is
			// only triaged when the Ingress sets none of them), so the
			// vendor's access mapping carries them.
			maps.Copy(in.Annotations, sn.Access())
		}
		done = append(done, translated{ing: ing, out: impl.Translate(in)})
	}
	skip, takeBack, findings := resolveShared(impl.Name(), done)

	var out []*gatewayapi.Object
	for i, t := range done {
		ing, o := t.ing, t.out
		names := make([]string, 0, len(o.Handled))
		for name := range o.Handled {
			if !takeBack[ing][name] {
				names = append(names, name)
			}
		}
		sort.Strings(names)
		if len(grpc[ing]) > 0 && len(names) > 0 {
			uncovered(&findings, impl.Name(), ing, grpc[ing], names)
			if len(routes[ing]) == 0 {
				// Nothing carries them: they keep the standard fate.
				names = nil
			}
		}
		for _, name := range names {
			h := o.Handled[name]
			fate, how := ingressnginx.Converted, impl.Name()+" "+h.Resource
			if h.Approximated {
				fate, how = ingressnginx.Approximated, how+": "+h.Note
			}
			ing.Note(name, fate, "%s", how)
		}
		snippetAccess := map[string]string{}
		if sn := ing.Settings.Snippet; sn != nil && sn.HasAccess() {
			snippetAccess = sn.Access()
			field := "metadata.annotations." + prefix + "/configuration-snippet"
			for _, name := range slices.Sorted(maps.Keys(snippetAccess)) {
				h := o.Handled[name]
				switch {
				case !slices.Contains(names, name):
					// Not handled, taken back, or only gRPC routes,
					// which the policies do not attach to.
					findings.Add(finding.Error, ing.Object, field,
						"%s does not carry the snippet's allow and deny lines (as %s), so the routes admit addresses ingress-nginx denied", impl.Name(), name)
				case h.Approximated:
					// The vendor's difference (client IP detection, NGF's
					// snippets switch) applies to the snippet's lines too.
					findings.Warnf(ing.Object, field, "the snippet's allow and deny lines are carried as %s would be: %s %s: %s", name, impl.Name(), h.Resource, h.Note)
				default:
					findings.Infof(ing.Object, field, "the snippet's allow and deny lines are carried as %s would be: %s %s", name, impl.Name(), h.Resource)
				}
			}
		}
		for _, f := range o.Findings {
			field := "metadata.annotations"
			if _, fromSnippet := snippetAccess[f.Annotation]; fromSnippet {
				field += "." + prefix + "/configuration-snippet"
			} else if f.Annotation != "" {
				field += "." + prefix + "/" + f.Annotation
			}
			findings.Add(f.Severity, ing.Object, field, "%s: %s", impl.Name(), f.Message)
		}
		for j, obj := range o.Objects {
			if skip[[2]int{i, j}] {
				continue
			}
			out = append(out, &gatewayapi.Object{Kind: obj.Kind, Namespace: obj.Namespace, Name: obj.Name, Source: ing, Value: obj.Value})
			if obj.RouteFilter {
				attachFilter(res, ing, obj)
			}
		}
	}
	return out, findings
}

// accessControl are the annotations whose loss opens access that
// ingress-nginx refused.
var accessControl = map[string]bool{
	"allowlist-source-range": true, "whitelist-source-range": true, "denylist-source-range": true,
	"auth-type": true, "auth-secret": true, "auth-url": true, "satisfy": true,
}

// uncovered reports that the implementation's objects attach to the
// Ingress's HTTPRoutes only (Input.Routes lists no other kind), so its
// GRPCRoutes get none of the carried annotations: an error when one of them
// controls access, because those routes are then open where ingress-nginx
// checked.
func uncovered(findings *finding.List, vendor string, ing *ingressnginx.Ingress, grpcRoutes, carried []string) {
	sev := finding.Warning
	for _, name := range carried {
		if accessControl[name] {
			sev = finding.Error
		}
	}
	findings.Add(sev, ing.Object, "metadata.annotations", "%s: the policies attach to the Ingress's HTTPRoutes only; GRPCRoute %s gets none of %s, which ingress-nginx applied to its gRPC locations too",
		vendor, strings.Join(grpcRoutes, ", "), strings.Join(carried, ", "))
}

// attachFilter references a filter object (Object.RouteFilter) with an
// ExtensionRef from every forwarding rule of the Ingress's HTTPRoutes in
// its namespace. Rules that only redirect are left alone, as ingress-nginx
// answers redirects before its access checks.
func attachFilter(res *gatewayapi.Result, ing *ingressnginx.Ingress, obj implementations.Object) {
	group, _, _ := strings.Cut(obj.APIVersion, "/")
	ref := gwv1.HTTPRouteFilter{Type: gwv1.HTTPRouteFilterExtensionRef, ExtensionRef: &gwv1.LocalObjectReference{
		Group: gwv1.Group(group), Kind: gwv1.Kind(obj.Kind), Name: gwv1.ObjectName(obj.Name),
	}}
	for _, g := range res.Objects {
		hr, ok := g.Value.(*gwv1.HTTPRoute)
		if !ok || g.Source != ing || g.Namespace != obj.Namespace {
			continue
		}
		for i := range hr.Spec.Rules {
			if rule := &hr.Spec.Rules[i]; len(rule.BackendRefs) > 0 {
				rule.Filters = append(rule.Filters, ref)
			}
		}
	}
}

// resolveShared decides the objects that several Ingresses may emit under
// one name (Object.Shared): of equal ones only the first Ingress's is kept;
// when they differ none is, because picking one would silently drop the
// others' settings (ingress-nginx takes the oldest Ingress's, and
// manifests rarely carry creation times). Each Ingress of a conflict gets a
// warning and loses the Handled fates of the annotations the object
// carried. skip holds {Ingress index, object index} pairs not to emit.
func resolveShared(vendor string, done []translated) (skip map[[2]int]bool, takeBack map[*ingressnginx.Ingress]map[string]bool, findings finding.List) {
	skip, takeBack = map[[2]int]bool{}, map[*ingressnginx.Ingress]map[string]bool{}
	groups := map[string][][2]int{}
	var keys []string
	for i, t := range done {
		for j, o := range t.out.Objects {
			if len(o.Shared) == 0 {
				continue
			}
			k := identity(o.Kind, o.Namespace, o.Name)
			if groups[k] == nil {
				keys = append(keys, k)
			}
			groups[k] = append(groups[k], [2]int{i, j})
		}
	}
	object := func(at [2]int) implementations.Object { return done[at[0]].out.Objects[at[1]] }
	for _, k := range keys {
		group := groups[k]
		first := content(object(group[0]))
		agree := true
		for _, at := range group[1:] {
			agree = agree && content(object(at)) == first
			skip[at] = true
		}
		if agree {
			continue
		}
		skip[group[0]] = true
		var who []string
		for _, at := range group {
			who = append(who, qualifiedName(done[at[0]].ing))
		}
		who = sortedUnique(who)
		for _, at := range group {
			ing, o := done[at[0]].ing, object(at)
			if takeBack[ing] == nil {
				takeBack[ing] = map[string]bool{}
			}
			for _, name := range o.Shared {
				takeBack[ing][name] = true
			}
			findings.Warnf(ing.Object, "metadata.annotations", "%s: %s %s/%s is not generated: Ingresses %s ask for different settings in it, and one object serves them all (ingress-nginx applies the oldest Ingress's); %s not carried until they agree",
				vendor, o.Kind, o.Namespace, o.Name, strings.Join(who, ", "), strings.Join(sortedUnique(o.Shared), ", "))
		}
	}
	return skip, takeBack, findings
}

// content is an object without its metadata, whose source annotation
// names the Ingress: what two Ingresses must agree on.
func content(o implementations.Object) string {
	v := make(map[string]any, len(o.Value))
	for k, x := range o.Value {
		if k != "metadata" {
			v[k] = x
		}
	}
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(err) // unreachable for JSON-shaped values
	}
	return string(data)
}

func qualifiedName(ing *ingressnginx.Ingress) string {
	if ing.Namespace == "" {
		return ing.Name
	}
	return ing.Namespace + "/" + ing.Name
}

func sortedUnique(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	n := 0
	for i, x := range out {
		if i == 0 || x != out[n-1] {
			out[n] = x
			n++
		}
	}
	return out[:n]
}

// ownBackends are the Service ports each Ingress's own paths name. A
// primary's routes also forward to its canary's Service, whose load
// balancing ingress-nginx takes from the canary Ingress; Route.Backends
// leaves such Services out.
func ownBackends(m *ingressnginx.Model) map[*ingressnginx.Ingress]map[implementations.Backend]bool {
	out := map[*ingressnginx.Ingress]map[implementations.Backend]bool{}
	add := func(ing *ingressnginx.Ingress, b *ingressnginx.Backend) {
		if ing == nil || b == nil {
			return
		}
		if out[ing] == nil {
			out[ing] = map[implementations.Backend]bool{}
		}
		out[ing][implementations.Backend{Namespace: b.Namespace, Name: b.Service, Port: b.Port}] = true
	}
	for _, s := range m.Servers {
		for _, l := range s.Locations {
			add(l.Ingress, l.Backend)
		}
	}
	add(m.CatchAllIngress, m.CatchAll)
	return out
}

// routeOf describes a generated HTTPRoute as package implementations
// documents Route: hostnames, Gateway parents, path matches and own
// backend Services.
func routeOf(g *gatewayapi.Object, own map[implementations.Backend]bool) implementations.Route {
	r := implementations.Route{Namespace: g.Namespace, Name: g.Name}
	hr, ok := g.Value.(*gwv1.HTTPRoute)
	if !ok {
		return r
	}
	for _, h := range hr.Spec.Hostnames {
		r.Hostnames = append(r.Hostnames, string(h))
	}
	for _, p := range hr.Spec.ParentRefs {
		if p.Group != nil && *p.Group != gwv1.GroupName || p.Kind != nil && *p.Kind != "Gateway" {
			continue
		}
		parent := implementations.Parent{Namespace: g.Namespace, Name: string(p.Name)}
		if p.Namespace != nil {
			parent.Namespace = string(*p.Namespace)
		}
		if p.SectionName != nil {
			parent.SectionName = string(*p.SectionName)
		}
		r.Parents = append(r.Parents, parent)
	}
	paths := map[implementations.PathMatch]bool{}
	addPath := func(m implementations.PathMatch) {
		if !paths[m] {
			paths[m] = true
			r.Paths = append(r.Paths, m)
		}
	}
	backends := map[implementations.Backend]bool{}
	for _, rule := range hr.Spec.Rules {
		redirect := len(rule.BackendRefs) == 0 && slices.ContainsFunc(rule.Filters, func(f gwv1.HTTPRouteFilter) bool {
			return f.Type == gwv1.HTTPRouteFilterRequestRedirect
		})
		if len(rule.Matches) == 0 {
			addPath(implementations.PathMatch{Type: string(gwv1.PathMatchPathPrefix), Value: "/", Redirect: redirect})
		}
		for _, m := range rule.Matches {
			pm := implementations.PathMatch{Type: string(gwv1.PathMatchPathPrefix), Value: "/", Redirect: redirect}
			if m.Path != nil && m.Path.Type != nil {
				pm.Type = string(*m.Path.Type)
			}
			if m.Path != nil && m.Path.Value != nil {
				pm.Value = *m.Path.Value
			}
			addPath(pm)
		}
		for _, b := range rule.BackendRefs {
			if b.Group != nil && *b.Group != "" || b.Kind != nil && *b.Kind != "Service" || b.Port == nil {
				continue
			}
			be := implementations.Backend{Namespace: g.Namespace, Name: string(b.Name), Port: int32(*b.Port)}
			if b.Namespace != nil {
				be.Namespace = string(*b.Namespace)
			}
			if own[be] && !backends[be] {
				backends[be] = true
				r.Backends = append(r.Backends, be)
			}
		}
	}
	return r
}

// dataOf reads the data of the input's Secrets or ConfigMaps by
// "namespace/name" (Secret values stay base64-encoded).
func dataOf(objs []*load.Object, kind string) map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, o := range objs {
		if o.Kind() != kind || o.APIVersion() != "v1" {
			continue
		}
		data := map[string]string{}
		if n := load.Lookup(o.Node, "data"); n != nil {
			for i := 0; i+1 < len(n.Content); i += 2 {
				data[n.Content[i].Value] = n.Content[i+1].Value
			}
		}
		out[o.Namespace()+"/"+o.Name()] = data
	}
	return out
}

// carriers says, for an annotation the standard output cannot carry,
// which implementations' policies would: what a user of implementation
// standard needs to choose one.
func carriers(name string) string {
	var parts []string
	for _, impl := range registry.All() {
		if h, ok := impl.Supports()[name]; ok {
			parts = append(parts, fmt.Sprintf("%s %s", impl.Name(), h.Resource))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "; with spec.implementation it is carried by " + strings.Join(parts, ", ")
}
