package gatewayapi

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	gwv1 "sigs.k8s.io/gateway-api/apis/v1"

	"github.com/routeshift/routeshift/internal/convert/implementations"
	"github.com/routeshift/routeshift/internal/convert/ingressnginx"
)

// RegexRewriter builds an implementation's regex path rewrite filter, named
// name in namespace, replacing the matches of pattern (RE2) in the request
// path with substitution (\n for group n): the object whose group and kind
// an HTTPRoute's ExtensionRef filter names (Envoy Gateway's
// HTTPRouteFilter). It must be a pure function: it is called while rules
// are built on all cores.
type RegexRewriter func(namespace, name, pattern, substitution string) implementations.Object

// extFilter is one location's regex rewrite filter: the ExtensionRef and
// the object it names.
type extFilter struct {
	ref gwv1.LocalObjectReference
	obj implementations.Object
}

// regexRewriteFilter is nginx's rewrite of a location as the
// implementation's regex rewrite, nil without one, for a target without
// capture groups (ReplaceFullPath is exact already) or for one a path
// replacement cannot carry.
func regexRewriteFilter(l *ingressnginx.Location, s *ingressnginx.Server, ext RegexRewriter) *extFilter {
	st := l.Ingress.Settings
	if ext == nil || !s.RegexMode || !strings.Contains(st.RewriteTarget, "$") {
		return nil
	}
	pattern, subst, why := regexRewrite(l.Path, st.RewriteTarget)
	if why != "" {
		return nil
	}
	name := extFilterName(l.Ingress.Name, pattern, subst)
	obj := ext(l.Ingress.Namespace, name, pattern, subst)
	group, _, _ := strings.Cut(obj.APIVersion, "/")
	return &extFilter{ref: gwv1.LocalObjectReference{Group: gwv1.Group(group), Kind: gwv1.Kind(obj.Kind), Name: gwv1.ObjectName(name)}, obj: obj}
}

// extFilterName is <ingress>-rewrite-<hash>: the same rewrite of one
// Ingress (on several hosts) is one filter, and the name stays a valid
// object name of at most 253 characters.
func extFilterName(ingress, pattern, subst string) string {
	sum := sha256.Sum256([]byte(pattern + "\x00" + subst))
	if len(ingress) > 230 {
		ingress = strings.TrimRight(ingress[:230], "-.")
	}
	return ingress + "-rewrite-" + hex.EncodeToString(sum[:5])
}

// extFilters are the regex rewrite filters the generated routes name, once
// each, in the order of the groups that use them, with the labels and the
// source annotation every generated object carries.
func (e *emitter) extFilters() []*Object {
	if e.opts.RegexRewrite == nil {
		return nil
	}
	var out []*Object
	seen := map[string]bool{}
	for _, g := range e.groups {
		if e.failed[g.ing] || !g.routes() {
			continue
		}
		for _, side := range []bool{false, true} {
			for _, en := range g.entries(side) {
				f := en.act.ext
				if f == nil || seen[f.obj.Namespace+"/"+f.obj.Name] {
					continue
				}
				seen[f.obj.Namespace+"/"+f.obj.Name] = true
				meta := e.meta(f.obj.Name, f.obj.Namespace, g.ing)
				value := map[string]any{}
				for k, v := range f.obj.Value {
					value[k] = v
				}
				md := map[string]any{"name": f.obj.Name, "namespace": f.obj.Namespace,
					"labels":      map[string]any{ManagedByLabel: meta.Labels[ManagedByLabel]},
					"annotations": map[string]any{SourceAnnotation: meta.Annotations[SourceAnnotation]}}
				value["metadata"] = md
				out = append(out, &Object{Kind: f.obj.Kind, Namespace: f.obj.Namespace, Name: f.obj.Name, Source: g.ing, Value: value})
			}
		}
	}
	return out
}
