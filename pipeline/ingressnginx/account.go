package ingressnginx

import (
	"sort"

	"github.com/routeshift/routeshift/pipeline/annotations"
)

// translated are the ingress-nginx annotations whose meaning the model
// already carries into the generated objects.
var translated = map[string]string{
	"ssl-redirect":       "HTTP listener rules redirect to https with 308 (or not)",
	"force-ssl-redirect": "HTTP listener rules redirect to https with 308",
}

// account gives every annotation of a served Ingress exactly one fate, so
// that nothing on a converted Ingress is silently dropped. The catalogue
// decides what an annotation is; this function decides what the converter
// has done with it so far.
func (b *builder) account(ing *Ingress) {
	keys := make([]string, 0, len(ing.Spec.Annotations))
	for k := range ing.Spec.Annotations {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		a := Annotation{Key: k, Value: ing.Spec.Annotations[k]}
		a.Fate, a.Reason = b.fate(ing, k)
		ing.Annotations = append(ing.Annotations, a)
	}
}

func (b *builder) fate(ing *Ingress, key string) (Fate, string) {
	switch annotations.Classify(key, b.prefix()) {
	case annotations.ClassIngressClass:
		return Converted, "selects the ingress class"
	case annotations.ClassOtherController:
		return Unsupported, "annotation of another Ingress controller; ingress-nginx ignores it, and so does the conversion"
	case annotations.ClassForeign:
		return Ignored, "not an ingress-nginx annotation; no effect on routing"
	case annotations.ClassNginxUnknown:
		return Unsupported, "unknown ingress-nginx annotation (a typo, or one of another controller version); ingress-nginx ignores it"
	}
	name, _ := annotations.Split(key, b.prefix())
	entry, _ := annotations.Lookup(name)
	if how, ok := translated[name]; ok {
		return Converted, how
	}
	if ing.Canary && (name == "canary" || entry.Name != "" && len(name) > 7 && name[:7] == "canary-") {
		return Unsupported, "canary traffic is not translated yet: this Ingress generates nothing and its traffic stays with the primary backend"
	}
	switch entry.Tag {
	case annotations.Unsafe:
		return Unsafe, "raw nginx configuration or an injection vector (" + entry.Risk.String() + " risk); never translated, review what it did by hand"
	case annotations.NotApplicable:
		return Ignored, "tunes nginx internals or observability; no effect on routing"
	}
	return Unsupported, "not translated yet (" + entry.Tag.String() + ": " + entry.Gateway + ")"
}
