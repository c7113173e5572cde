package inventory

import (
	"fmt"
	"sort"
	"strings"

	"github.com/routeshift/routeshift/internal/annotations"
	"github.com/routeshift/routeshift/internal/convert/ingressnginx"
	"github.com/routeshift/routeshift/internal/finding"
	"github.com/routeshift/routeshift/internal/support"
)

// plainRouting are the converted annotations that add nothing beyond what
// the Ingress spec says: the https redirect every TLS host gets anyway.
// Every other converted annotation needs a filter or a feature past hosts,
// paths and backends, which is what makes an Ingress medium.
var plainRouting = map[string]bool{"ssl-redirect": true, "force-ssl-redirect": true, "preserve-trailing-slash": true}

// Fates of keys the support matrix has no row for.
const (
	fateUnknown = "unknown"
	fateOther   = "other controller"
)

// fate is what impl does with an annotation key: the matrix's cell for a
// catalogued annotation. std is the standard implementation's fate, which
// tells a vendor policy that approximates apart from a standard filter that
// approximates.
func (b *builder) fate(key, impl string) (f Fate, std string) {
	f = Fate{Implementation: impl}
	switch annotations.Classify(key, b.prefix) {
	case annotations.ClassNginx:
		name, _ := annotations.Split(key, b.prefix)
		row := b.matrix[name]
		c := row.Cells[impl]
		f.Fate, f.How = string(c.Fate), c.How
		return f, string(row.Cells["standard"].Fate)
	case annotations.ClassNginxUnknown:
		f.Fate, f.How = fateUnknown, "under the annotations prefix but not an ingress-nginx annotation (a typo, or another controller version's); ingress-nginx ignores it"
	case annotations.ClassIngressClass:
		f.Fate, f.How = string(support.Exact), "selects the ingress class"
	case annotations.ClassOtherController:
		f.Fate, f.How = fateOther, "annotation of another Ingress controller; ingress-nginx ignores it"
	default:
		f.Fate, f.How = string(support.NoEffect), "another tool's annotation; no effect on routing"
	}
	return f, f.Fate
}

// Reason codes (docs/inventory.md).
const (
	CodeUnsafe          = "unsafe-annotation"
	CodeRemovedAPI      = "removed-api-version"
	CodeNotServed       = "not-served"
	CodeInvalid         = "invalid"
	CodeUnresolvedPort  = "unresolved-port"
	CodeUnconvertible   = "unconvertible-value"
	CodeUnsupported     = "unsupported-annotation"
	CodePolicy          = "policy-annotation"
	CodeApproximated    = "approximated-annotation"
	CodeStandardFeature = "standard-feature"
	CodeUnknown         = "unknown-annotation"
	CodeOtherController = "other-controller-annotation"
	CodeRegexMode       = "regex-mode"
	CodeWildcardHost    = "wildcard-host"
	CodeTrailingSlash   = "prefix-trailing-slash"
	CodeResourceBackend = "resource-backend"
	CodeConflict        = "conflict"
	CodeCanaryNoPrimary = "canary-without-primary"
	CodeSnippetTriaged  = "snippet-triaged"
)

// triaged reports whether the Ingress's configuration-snippet is made of
// directives the conversion places (ingressnginx/snippet.go) on impl:
// allow and deny lines need a vendor's IP access policy.
func triaged(m *ingressnginx.Ingress, impl string) bool {
	if m == nil {
		return false
	}
	sn := m.Settings.Snippet
	return sn != nil && (impl != "standard" || !sn.HasAccess())
}

// annotationCode says what an annotation's fate makes an Ingress; "" for
// nothing (converted plain routing, no effect).
func (b *builder) annotationCode(key, impl string) (string, Class) {
	f, std := b.fate(key, impl)
	name, _ := annotations.Split(key, b.prefix)
	switch f.Fate {
	case string(support.Unsafe):
		if b.opt.UnsafeReviewed {
			return CodeUnsafe, Complex
		}
		return CodeUnsafe, Blocked
	case string(support.Unsupported):
		return CodeUnsupported, Complex
	case string(support.Policy):
		return CodePolicy, Complex
	case string(support.Approximated):
		if std == string(support.Unsupported) {
			return CodePolicy, Complex
		}
		return CodeApproximated, Medium
	case string(support.Exact):
		if plainRouting[name] || name == "" {
			return "", Simple
		}
		return CodeStandardFeature, Medium
	case fateUnknown:
		return CodeUnknown, Medium
	case fateOther:
		return CodeOtherController, Medium
	}
	return "", Simple
}

// classify puts one Ingress in its class on impl.
func (b *builder) classify(e *entry, impl string) Classification {
	byCode := map[string]*Reason{}
	var reasons []Reason
	for _, key := range e.out.Annotations {
		name, _ := annotations.Split(key, b.prefix)
		// ingress-nginx reads canary-* only on canary Ingresses.
		if (name == "canary" || strings.HasPrefix(name, "canary-")) && !e.out.Canary {
			continue
		}
		code, class := b.annotationCode(key, impl)
		if name == "configuration-snippet" && triaged(e.m, impl) {
			code, class = CodeSnippetTriaged, Medium
		}
		if code == "" {
			continue
		}
		r := byCode[code]
		if r == nil {
			r = &Reason{Class: class, Code: code}
			byCode[code] = r
		}
		r.Annotations = append(r.Annotations, key)
	}
	for code, r := range byCode {
		r.Message = b.annotationMessage(code, impl, r.Annotations)
		reasons = append(reasons, *r)
	}
	reasons = append(reasons, e.extra...)
	sortReasons(reasons)
	c := Classification{Implementation: impl, Class: Simple, Reasons: []Reason{}}
	for _, r := range reasons {
		if r.Class.rank() > c.Class.rank() {
			c.Class = r.Class
		}
	}
	c.Reasons = append(c.Reasons, reasons...)
	return c
}

func sortReasons(rs []Reason) {
	sort.SliceStable(rs, func(i, j int) bool {
		if a, c := rs[i].Class.rank(), rs[j].Class.rank(); a != c {
			return a > c
		}
		if rs[i].Code != rs[j].Code {
			return rs[i].Code < rs[j].Code
		}
		return rs[i].Message < rs[j].Message
	})
}

func (b *builder) annotationMessage(code, impl string, keys []string) string {
	names := b.shortNames(keys)
	switch code {
	case CodeUnsafe:
		if b.opt.UnsafeReviewed {
			return "unsafe annotations, never translated (reviewed: spec.unsafeAnnotations is warning): " + names
		}
		return "unsafe annotations, never translated: " + names
	case CodeSnippetTriaged:
		return "snippet made only of triaged directives, translated with a warning that quotes it: " + names
	case CodeUnsupported:
		return "unsupported on " + impl + ": " + names
	case CodePolicy:
		return "need " + impl + " policies: " + names
	case CodeApproximated:
		return "approximated: " + names
	case CodeStandardFeature:
		return "standard filters or features: " + names
	case CodeUnknown:
		return "unknown annotations, ignored by ingress-nginx: " + names
	case CodeOtherController:
		return "another controller's annotations, ignored by ingress-nginx: " + names
	}
	return names
}

// shortNames drops the annotations prefix, which every reader knows.
func (b *builder) shortNames(keys []string) string {
	out := make([]string, len(keys))
	for i, k := range keys {
		if name, ok := annotations.Split(k, b.prefix); ok {
			out[i] = name
		} else {
			out[i] = k
		}
	}
	return strings.Join(out, ", ")
}

// conditions are the reasons that come from the manifest and the model
// rather than an annotation's fate, the same on every implementation.
func (b *builder) conditions(e *entry) []Reason {
	var out []Reason
	seen := map[string]bool{}
	add := func(class Class, code, format string, args ...any) {
		msg := fmt.Sprintf(format, args...)
		if !seen[code+"\x00"+msg] {
			seen[code+"\x00"+msg] = true
			out = append(out, Reason{Class: class, Code: code, Message: msg})
		}
	}
	m := e.m
	if removedAPIVersions[e.out.APIVersion] {
		// Converted as the API server converted it to v1; the manifest
		// itself still needs updating before Kubernetes 1.22+ takes it.
		add(Medium, CodeRemovedAPI, "%s Ingress: converted as the API server converted it to networking.k8s.io/v1; the manifest needs updating", e.out.APIVersion)
	}
	errors := 0
	for _, f := range b.findings[m.Object] {
		if f.Severity != finding.Error {
			continue
		}
		errors++
		msg := strings.TrimPrefix(f.Message, "not converted: ")
		switch {
		case strings.HasSuffix(f.Field, ".service.port.name"):
			add(Blocked, CodeUnresolvedPort, "%s", msg)
		default:
			add(Blocked, CodeInvalid, "%s", msg)
		}
	}
	if !m.Served && errors == 0 {
		for _, f := range b.findings[m.Object] {
			if strings.HasPrefix(f.Message, "not converted: ") {
				add(Blocked, CodeNotServed, "%s", strings.TrimPrefix(f.Message, "not converted: "))
			}
		}
		if len(out) == 0 {
			add(Blocked, CodeNotServed, "ingress-nginx does not serve it")
		}
	}
	if !m.Served || m.Spec == nil {
		return out
	}
	for _, why := range m.Settings.Unconvertible {
		add(Blocked, CodeUnconvertible, "%s", why)
	}
	for _, h := range e.out.Hosts {
		if strings.HasPrefix(h, "*.") {
			add(Medium, CodeWildcardHost, "wildcard host %q matches one label in ingress-nginx, any number in Gateway API", h)
		}
	}
	for _, h := range e.out.Hosts {
		s := b.servers[h]
		if s == nil {
			continue
		}
		for _, l := range s.Locations {
			if l.Ingress != m || l.Implicit {
				continue
			}
			if s.RegexMode && s.RegexBy != m {
				add(Medium, CodeRegexMode, "host %q is in ingress-nginx regex mode because of Ingress %s/%s: its paths become case-insensitive regular expressions",
					h, s.RegexBy.Namespace, s.RegexBy.Name)
			}
			if l.PathType == ingressnginx.Prefix && len(l.Path) > 1 && strings.HasSuffix(l.Path, "/") {
				add(Medium, CodeTrailingSlash, "Prefix path %q ends in '/': Gateway API also routes %q to it, ingress-nginx does not", l.Path, strings.TrimSuffix(l.Path, "/"))
			}
		}
	}
	for _, r := range m.Spec.Spec.Rules {
		if r.HTTP == nil {
			continue
		}
		for _, p := range r.HTTP.Paths {
			if p.Backend.Resource != nil {
				add(Medium, CodeResourceBackend, "resource backend %s %q: ingress-nginx ignores it, so nothing is generated for it", p.Backend.Resource.Kind, p.Backend.Resource.Name)
			}
		}
	}
	return out
}
