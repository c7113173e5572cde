package annotations

import (
	"slices"
	"strconv"
	"strings"
)

// DefaultPrefix is the value of the controller flag --annotations-prefix when
// it is not set. Clusters running several ingress-nginx controllers sometimes
// give each its own prefix, which is why every function here takes one.
const DefaultPrefix = "nginx.ingress.kubernetes.io"

// Split returns the annotation name of key when key is "<prefix>/<name>".
// An empty prefix means DefaultPrefix, so that an unset flag can be passed
// straight through. The match is case-sensitive and the name may not contain
// a slash, because the controller looks annotations up by exact key and would
// never read such a key.
func Split(key, prefix string) (name string, ok bool) {
	if prefix == "" {
		prefix = DefaultPrefix
	}
	name, ok = strings.CutPrefix(key, prefix+"/")
	if !ok || name == "" || strings.Contains(name, "/") {
		return "", false
	}
	return name, true
}

// Lookup returns the catalogue entry for an annotation name given without
// prefix. Deprecated aliases are found under their own name; follow AliasOf
// to reach the entry they stand for.
func Lookup(name string) (Entry, bool) {
	i, found := slices.BinarySearchFunc(catalogue, name, func(e Entry, name string) int {
		return strings.Compare(e.Name, name)
	})
	if !found {
		return Entry{}, false
	}
	return clone(catalogue[i]), true
}

// All returns the whole catalogue sorted by name. It is a deep copy, so
// callers may sort or edit it without corrupting what Lookup answers.
func All() []Entry {
	out := make([]Entry, len(catalogue))
	for i, e := range catalogue {
		out[i] = clone(e)
	}
	return out
}

// clone copies Tags as well, since sharing the backing array would let a
// caller rewrite the catalogue through an Entry it was handed.
func clone(e Entry) Entry {
	e.Tags = slices.Clone(e.Tags)
	return e
}

// Class is what an annotation key tells the converter about an Ingress.
type Class int

const (
	// ClassNginx: a catalogued ingress-nginx annotation, which must be
	// translated or reported according to its Tag.
	ClassNginx Class = iota + 1
	// ClassNginxUnknown: the key carries the controller's prefix but names
	// no catalogued annotation. It is a typo, a wrong case, or an annotation
	// of an older or newer controller; either way this controller ignores it,
	// and the user probably expects it not to.
	ClassNginxUnknown
	// ClassIngressClass: the legacy kubernetes.io/ingress.class annotation,
	// which decides whether ingress-nginx picks the object up at all.
	ClassIngressClass
	// ClassOtherController: the key belongs to another Ingress controller,
	// which is evidence that the object is not meant for this ingress-nginx.
	ClassOtherController
	// ClassForeign: metadata of tools that are no Ingress controller
	// (cert-manager, external-dns, kubectl, Argo CD, ...); it configures no
	// routing. Foreign says what becomes of each known key.
	ClassForeign
)

func (c Class) String() string {
	switch c {
	case ClassNginx:
		return "nginx"
	case ClassNginxUnknown:
		return "nginx-unknown"
	case ClassIngressClass:
		return "ingress-class"
	case ClassOtherController:
		return "other-controller"
	case ClassForeign:
		return "foreign"
	}
	return "Class(" + strconv.Itoa(int(c)) + ")"
}

// ingressClassKey predates spec.ingressClassName and is still honoured by
// ingress-nginx.
const ingressClassKey = "kubernetes.io/ingress.class"

// otherControllerPrefixes are the annotation prefixes of other Ingress
// controllers. The list only needs the controllers people migrate from or
// mix up with ingress-nginx; anything missing falls back to ClassForeign,
// which loses a hint but no configuration.
var otherControllerPrefixes = []string{
	"nginx.org/",                     // F5 NGINX Ingress Controller
	"alb.ingress.kubernetes.io/",     // AWS Load Balancer Controller
	"traefik.ingress.kubernetes.io/", // Traefik
	"haproxy.org/",                   // HAProxy Ingress (HAProxy Technologies)
	"konghq.com/",                    // Kong
	"ingress.kubernetes.io/",         // generic keys of several controllers
	"appgw.ingress.kubernetes.io/",   // Azure Application Gateway
	"networking.gke.io/",             // GKE Ingress
	"ingress.gcp.kubernetes.io/",     // GKE Ingress (pre-shared-cert)
	"projectcontour.io/",             // Contour
}

// otherControllerKeys are single keys that other controllers put under the
// shared kubernetes.io/ prefix, so no prefix rule can catch them.
var otherControllerKeys = []string{
	"kubernetes.io/ingress.global-static-ip-name",   // GKE Ingress
	"kubernetes.io/ingress.regional-static-ip-name", // GKE internal Ingress
	"kubernetes.io/ingress.allow-http",              // GKE Ingress
}

// Classify sorts an annotation key found on an Ingress. prefix is the
// controller's --annotations-prefix; an empty prefix means DefaultPrefix.
//
// The prefix is checked first, so that a controller configured with another
// controller's prefix (early ingress-nginx releases used
// ingress.kubernetes.io) still recognises its own keys. Conversely, with a
// custom prefix, keys under DefaultPrefix are ClassOtherController: they are
// addressed to another ingress-nginx deployment, and this one ignores them.
func Classify(key, prefix string) Class {
	if prefix == "" {
		prefix = DefaultPrefix
	}
	if strings.HasPrefix(key, prefix+"/") {
		if name, ok := Split(key, prefix); ok {
			if _, ok := Lookup(name); ok {
				return ClassNginx
			}
		}
		return ClassNginxUnknown
	}
	if key == ingressClassKey {
		return ClassIngressClass
	}
	if strings.HasPrefix(key, DefaultPrefix+"/") || slices.Contains(otherControllerKeys, key) {
		return ClassOtherController
	}
	for _, p := range otherControllerPrefixes {
		if strings.HasPrefix(key, p) {
			return ClassOtherController
		}
	}
	return ClassForeign
}
