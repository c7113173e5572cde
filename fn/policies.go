package fn

import (
	"fmt"
	"sort"
	"strings"

	gwv1 "sigs.k8s.io/gateway-api/apis/v1"

	"github.com/routeshift/routeshift/pipeline/annotations"
	"github.com/routeshift/routeshift/pipeline/finding"
	"github.com/routeshift/routeshift/pipeline/gatewayapi"
	"github.com/routeshift/routeshift/pipeline/implementations"
	"github.com/routeshift/routeshift/pipeline/implementations/registry"
	"github.com/routeshift/routeshift/pipeline/ingressnginx"
	"github.com/routeshift/routeshift/pipeline/load"
)

// policies runs the configured implementation over every converted
// Ingress: its policy objects join the generated ones, and the annotations
// it carries get their fate from it (before accounting, which reads fates).
func policies(impl implementations.Implementation, model *ingressnginx.Model, res *gatewayapi.Result, objs []*load.Object, prefix string) ([]*gatewayapi.Object, finding.List) {
	if impl == nil {
		return nil, nil
	}
	secrets, configMaps := dataOf(objs, "Secret"), dataOf(objs, "ConfigMap")
	routes := map[*ingressnginx.Ingress][]implementations.Route{}
	for _, g := range res.Objects {
		if g.Kind == "HTTPRoute" {
			routes[g.Source] = append(routes[g.Source], implementations.Route{Namespace: g.Namespace, Name: g.Name, Hostnames: hostnames(g)})
		}
	}
	var out []*gatewayapi.Object
	var findings finding.List
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
		o := impl.Translate(in)
		names := make([]string, 0, len(o.Handled))
		for name := range o.Handled {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			h := o.Handled[name]
			fate, how := ingressnginx.Converted, impl.Name()+" "+h.Resource
			if h.Approximated {
				fate, how = ingressnginx.Approximated, how+": "+h.Note
			}
			ing.Note(name, fate, "%s", how)
		}
		for _, f := range o.Findings {
			field := "metadata.annotations"
			if f.Annotation != "" {
				field += "." + prefix + "/" + f.Annotation
			}
			findings.Add(f.Severity, ing.Object, field, "%s: %s", impl.Name(), f.Message)
		}
		for _, obj := range o.Objects {
			out = append(out, &gatewayapi.Object{Kind: obj.Kind, Namespace: obj.Namespace, Name: obj.Name, Source: ing, Value: obj.Value})
		}
	}
	return out, findings
}

func hostnames(g *gatewayapi.Object) []string {
	var out []string
	if r, ok := g.Value.(*gwv1.HTTPRoute); ok {
		for _, h := range r.Spec.Hostnames {
			out = append(out, string(h))
		}
	}
	return out
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
