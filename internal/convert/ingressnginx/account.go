package ingressnginx

import (
	"sort"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/routeshift/routeshift/internal/annotations"
	"github.com/routeshift/routeshift/internal/load"
)

// translated are the ingress-nginx annotations whose meaning the standard
// conversion carries, with how. Where a value or its context makes the
// translation partial, parsing or emitting notes a different fate first.
var translated = map[string]string{
	"ssl-redirect":            "HTTP listener rules redirect to https with 308 (or not)",
	"force-ssl-redirect":      "HTTP listener rules redirect to https with 308",
	"use-regex":               "paths of the host become RegularExpression matches",
	"rewrite-target":          "URLRewrite path filter (ReplaceFullPath; ReplacePrefixMatch for a group capturing the rest after a literal prefix; with envoy-gateway, its HTTPRouteFilter regex rewrite)",
	"x-forwarded-prefix":      "RequestHeaderModifier sets X-Forwarded-Prefix",
	"upstream-vhost":          "URLRewrite hostname",
	"app-root":                "an Exact / rule redirecting with 302",
	"from-to-www-redirect":    "an HTTPRoute for the www/non-www twin host redirecting with 308",
	"permanent-redirect":      "RequestRedirect filter",
	"permanent-redirect-code": "RequestRedirect statusCode",
	"temporal-redirect":       "RequestRedirect filter",
	"temporal-redirect-code":  "RequestRedirect statusCode",
	"preserve-trailing-slash": "the https redirect keeps the path as it is",
	"enable-cors":             "CORS filter with ingress-nginx's defaults written out",
	"cors-allow-origin":       "CORS allowOrigins",
	"cors-allow-methods":      "CORS allowMethods",
	"cors-allow-headers":      "CORS allowHeaders",
	"cors-expose-headers":     "CORS exposeHeaders",
	"cors-allow-credentials":  "CORS allowCredentials",
	"cors-max-age":            "CORS maxAge",
	"custom-headers":          "ResponseHeaderModifier sets the ConfigMap's headers",
	"backend-protocol":        "GRPCRoute for GRPC and GRPCS; BackendTLSPolicy for HTTPS and GRPCS",
	"proxy-ssl-name":          "BackendTLSPolicy validation hostname",
	"proxy-ssl-verify":        "BackendTLSPolicy (which always verifies)",
	"proxy-ssl-secret":        "BackendTLSPolicy caCertificateRefs",
	"ssl-passthrough":         "a TLS passthrough listener and a TLSRoute to the host's / backend",
	"mirror-target":           "RequestMirror to the in-cluster Service",
	"mirror-request-body":     "RequestMirror mirrors the body",
	"canary":                  "the canary's backend joins its primary's rules",
	"canary-weight":           "backendRefs weights",
	"canary-weight-total":     "backendRefs weights",
	"canary-by-header":        "a header match rule that outranks the weighted rule",
	"canary-by-header-value":  "a header match rule with the value",
}

// approximated are translated with a difference worth a warning.
var approximated = map[string]string{
	"canary-by-header-pattern": "a RegularExpression header match: implementation-specific RE2 where ingress-nginx uses PCRE, unanchored",
}

// StandardFate is what the standard conversion does with an annotation
// (short name) in general, before any value is seen: the support matrix
// in the docs. Values can still make a particular Ingress's fate worse.
func StandardFate(name string) (Fate, string) {
	entry, ok := annotations.Lookup(name)
	switch {
	case !ok:
		return Unsupported, "not an ingress-nginx annotation"
	case entry.Tag() == annotations.Unsafe:
		return Unsafe, entry.Risk.String() + " risk: " + strings.TrimSuffix(entry.Gateway, ".")
	}
	if how, ok := translated[name]; ok {
		return Converted, how
	}
	if how, ok := approximated[name]; ok {
		return Approximated, how
	}
	if entry.Tag() == annotations.NotApplicable {
		return Ignored, "tunes nginx internals or observability; no effect on routing"
	}
	return Unsupported, entry.Tag().String() + ": " + strings.TrimSuffix(entry.Gateway, ".")
}

// Prefix is the annotations prefix the model was built with.
func (m *Model) Prefix() string { return m.prefix }

// Annotations gives every annotation of a served Ingress exactly one fate,
// sorted by key, so that nothing on a converted Ingress is silently
// dropped. The catalogue says what an annotation is; parsing, the emitter
// and this table say what the conversion did with it. Call it after the
// Gateway API objects are generated, which may note fates too.
func (m *Model) Annotations(ing *Ingress) []Annotation {
	ann := ing.annotations()
	keys := make([]string, 0, len(ann))
	for k := range ann {
		if !bookkeeping(k) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	out := make([]Annotation, 0, len(keys))
	for _, k := range keys {
		a := Annotation{Key: k, Value: ann[k]}
		a.Fate, a.Reason = m.fate(ing, k)
		out = append(out, a)
	}
	return out
}

func (m *Model) fate(ing *Ingress, key string) (Fate, string) {
	// Another controller's annotation (cert-manager, ExternalDNS, ...) that
	// the carry-over moved or judged is noted under its full key; short
	// names never hold a '/'.
	if f, ok := ing.fates[key]; ok && strings.Contains(key, "/") {
		return f.fate, f.reason
	}
	switch annotations.Classify(key, m.prefix) {
	case annotations.ClassIngressClass:
		return Converted, "selects the ingress class"
	case annotations.ClassOtherController:
		return Unsupported, "annotation of another Ingress controller; ingress-nginx ignores it, and so does the conversion"
	case annotations.ClassForeign:
		return Ignored, "not an ingress-nginx annotation; no effect on routing"
	case annotations.ClassNginxUnknown:
		return Unsupported, "unknown ingress-nginx annotation (a typo, or one of another controller version); ingress-nginx ignores it"
	}
	name, _ := annotations.Split(key, m.prefix)
	if f, ok := ing.fates[name]; ok {
		return f.fate, f.reason
	}
	entry, _ := annotations.Lookup(name)
	if entry.Tag() == annotations.Unsafe {
		return Unsafe, entry.Risk.String() + " risk: " + strings.TrimSuffix(entry.Gateway, ".")
	}
	isCanaryKey := name == "canary" || len(name) > 7 && name[:7] == "canary-"
	if isCanaryKey && !ing.Canary {
		return Ignored, "only read on canary Ingresses"
	}
	if how, ok := translated[name]; ok {
		return Converted, how
	}
	if how, ok := approximated[name]; ok {
		return Approximated, how
	}
	if entry.Tag() == annotations.NotApplicable {
		return Ignored, "tunes nginx internals or observability; no effect on routing"
	}
	return Unsupported, "not translated (" + entry.Tag().String() + ": " + entry.Gateway + ")"
}

// annotations are the decoded Ingress's, or, for one that does not
// decode, the string values of its metadata.annotations as written.
func (ing *Ingress) annotations() map[string]string {
	if ing.Spec != nil {
		return ing.Spec.Annotations
	}
	out := map[string]string{}
	n := load.Lookup(ing.Object.Node, "metadata", "annotations")
	if n == nil || n.Kind != yaml.MappingNode {
		return out
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if v := n.Content[i+1]; v.Kind == yaml.ScalarNode {
			out[n.Content[i].Value] = v.Value
		}
	}
	return out
}

// bookkeeping recognises the annotations kpt and kustomize add to every
// object they pass to a function (file path and index, resource ids):
// not the user's, kept as they are, and no business of the accounting.
func bookkeeping(key string) bool {
	for _, p := range []string{"config.kubernetes.io/", "internal.config.kubernetes.io/", "config.k8s.io/", "kustomize.config.k8s.io/", "internal.kpt.dev/"} {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	return false
}
