package policy

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"

	"github.com/routeshift/routeshift/internal/convert/implementations"
	"github.com/routeshift/routeshift/internal/convert/implementations/intent"
	"github.com/routeshift/routeshift/internal/convert/implementations/internal/value"
	"github.com/routeshift/routeshift/internal/finding"
)

// The label and annotation every generated object carries; the same as
// package gatewayapi's (a test checks), repeated here because gatewayapi may
// one day import the implementations.
const (
	ManagedByLabel   = "app.kubernetes.io/managed-by"
	ManagedByValue   = "routeshift"
	SourceAnnotation = "routeshift.dev/source"
)

// Builder accumulates one Translate call.
type Builder struct {
	in       implementations.Input
	intent   intent.Intent
	specs    map[kindKey]map[string]any
	extra    []implementations.Object
	handled  map[string]implementations.Handling
	findings []implementations.Finding
}

type kindKey struct{ apiVersion, kind string }

// New starts the Output for in.
func New(in implementations.Input) *Builder {
	return &Builder{in: in, intent: intent.Read(in.Annotations, in.Namespace), specs: map[kindKey]map[string]any{}, handled: map[string]implementations.Handling{}}
}

// Input is the Input the builder was made for.
func (b *Builder) Input() implementations.Input { return b.in }

// Intent is what the Input's annotations ask for, read once by package
// intent; vendors map it to their fields rather than parse annotations.
func (b *Builder) Intent() *intent.Intent { return &b.intent }

// Valid returns v's value when the annotation is set and valid. When it is
// set but invalid, the value is reported (Invalid, with sev and instead:
// what the routes do without it) and ok is false.
func Valid[T any](b *Builder, v intent.Value[T], sev finding.Severity, instead string) (x T, ok bool) {
	if v.Set && v.Err != nil {
		b.Invalid(sev, v.Name, v.Err, instead)
	}
	return v.V, v.OK()
}

// Raw returns an annotation's value as written, untrusted.
func (b *Builder) Raw(name string) (string, bool) {
	v, ok := b.in.Annotations[name]
	return v, ok
}

// Has reports whether the annotation is set.
func (b *Builder) Has(name string) bool {
	_, ok := b.in.Annotations[name]
	return ok
}

// Spec returns the spec of the Ingress's policy of this kind, creating it
// empty; callers set their section (spec["timeout"] = ...). A spec left
// empty is not emitted.
func (b *Builder) Spec(apiVersion, kind string) map[string]any {
	k := kindKey{apiVersion, kind}
	s, ok := b.specs[k]
	if !ok {
		s = map[string]any{}
		b.specs[k] = s
	}
	return s
}

// Add emits an object that is not the Ingress's policy of its kind (a
// Secret, a ReferenceGrant); metadata is filled in from the arguments.
func (b *Builder) Add(apiVersion, kind, namespace, name string, fields map[string]any) {
	v := map[string]any{
		"apiVersion": apiVersion,
		"kind":       kind,
		"metadata":   b.metadata(namespace, name),
	}
	for k, f := range fields {
		v[k] = f
	}
	b.extra = append(b.extra, implementations.Object{APIVersion: apiVersion, Kind: kind, Namespace: namespace, Name: name, Value: v})
}

// Handle records that the objects carry the annotation.
func (b *Builder) Handle(name string, h implementations.Handling) {
	b.handled[name] = h
}

// NoEffect records an annotation whose value nginx ignores in this
// combination: nothing needs carrying, and saying so is the translation.
// It is Handled as h (the annotation's static handling) converted, with
// why as the note. The value is still checked, so that nothing hostile
// counts as handled.
func (b *Builder) NoEffect(name string, h implementations.Handling, why string) {
	if _, err := value.Clean(b.in.Annotations[name], value.MaxLen); err != nil {
		b.Invalid(finding.Warning, name, err, "it would have no effect here anyway")
		return
	}
	h.Approximated = false
	h.Note = why
	b.Handle(name, h)
}

// AllowlistName returns the allowlist annotation ingress-nginx reads:
// allowlist-source-range, or its old name whitelist-source-range when only
// that is set. The old name beside the new one has no effect, which is
// recorded with h, the vendor's static handling of it.
func (b *Builder) AllowlistName(h implementations.Handling) string {
	a := b.intent.Access
	if a.OldNameIgnored {
		b.NoEffect(intent.OldAllowlist, h, "ingress-nginx reads allowlist-source-range when both are set.")
	}
	return a.Allow.Name
}

// Report adds a finding about an annotation ("" for the Ingress).
func (b *Builder) Report(sev finding.Severity, annotation, format string, args ...any) {
	b.findings = append(b.findings, implementations.Finding{Severity: sev, Annotation: annotation, Message: fmt.Sprintf(format, args...)})
}

// Invalid reports an annotation whose value did not parse; nothing is
// generated for it. The message names the value (quoted and shortened) and
// the reason, and what the route does instead.
func (b *Builder) Invalid(sev finding.Severity, annotation string, err error, instead string) {
	raw := b.in.Annotations[annotation]
	b.Report(sev, annotation, "annotation %s: value %s not translated (%v): %s", annotation, value.Quote(raw), err, instead)
}

// GrantService emits the ReferenceGrant that lets fromKind objects (of API
// group fromGroup) in the Ingress's namespace reference Service service in
// namespace: a reference into another namespace needs its owner's
// consent. The grant lives with the Service and is named after the Ingress
// and suffix ("<namespace>.<name>-<suffix>": namespaces hold no dots, so
// the name is unique).
func (b *Builder) GrantService(suffix, fromGroup, fromKind, namespace, service string) {
	b.Add("gateway.networking.k8s.io/v1beta1", "ReferenceGrant", namespace, Fit(b.in.Namespace+"."+b.in.Name+"-"+suffix), map[string]any{
		"spec": map[string]any{
			"from": []any{map[string]any{"group": fromGroup, "kind": fromKind, "namespace": b.in.Namespace}},
			"to":   []any{map[string]any{"group": "", "kind": "Service", "name": service}},
		},
	})
}

// Name is the Ingress's name made fit for a generated object, with an
// optional suffix ("web", "web-basic-auth").
func (b *Builder) Name(suffix string) string {
	if suffix == "" {
		return Fit(b.in.Name)
	}
	return Fit(b.in.Name + "-" + suffix)
}

// Output finishes: one object per kind and route namespace, targeting
// those routes, then the extra objects; sorted. Without routes there is
// nothing to attach to and no policy is emitted; Handled and findings are
// still returned.
func (b *Builder) Output() implementations.Output {
	out := implementations.Output{Handled: b.handled}
	byNS := map[string][]implementations.Route{}
	for _, r := range b.in.Routes {
		byNS[r.Namespace] = append(byNS[r.Namespace], r)
	}
	for k, spec := range b.specs {
		if len(spec) == 0 {
			continue
		}
		for ns, routes := range byNS {
			s := make(map[string]any, len(spec)+1)
			for f, v := range spec {
				s[f] = v
			}
			s["targetRefs"] = TargetRefs(routes)
			name := b.Name("")
			out.Objects = append(out.Objects, implementations.Object{
				APIVersion: k.apiVersion, Kind: k.kind, Namespace: ns, Name: name,
				Value: map[string]any{
					"apiVersion": k.apiVersion,
					"kind":       k.kind,
					"metadata":   b.metadata(ns, name),
					"spec":       s,
				},
			})
		}
	}
	if len(b.in.Routes) > 0 {
		out.Objects = append(out.Objects, b.extra...)
	}
	sort.Slice(out.Objects, func(i, j int) bool {
		a, c := out.Objects[i], out.Objects[j]
		if a.Kind != c.Kind {
			return a.Kind < c.Kind
		}
		if a.Namespace != c.Namespace {
			return a.Namespace < c.Namespace
		}
		return a.Name < c.Name
	})
	out.Findings = b.findings
	sort.SliceStable(out.Findings, func(i, j int) bool { return out.Findings[i].Annotation < out.Findings[j].Annotation })
	return out
}

func (b *Builder) metadata(namespace, name string) map[string]any {
	return map[string]any{
		"name":        name,
		"namespace":   namespace,
		"labels":      map[string]any{ManagedByLabel: ManagedByValue},
		"annotations": map[string]any{SourceAnnotation: "Ingress " + b.in.Namespace + "/" + b.in.Name},
	}
}

// TargetRefs attaches a policy to routes, in their (sorted) order.
func TargetRefs(routes []implementations.Route) []any {
	refs := make([]any, len(routes))
	for i, r := range routes {
		refs[i] = map[string]any{"group": "gateway.networking.k8s.io", "kind": "HTTPRoute", "name": r.Name}
	}
	return refs
}

// List turns a typed slice into the []any of a JSON-shaped value.
func List[T any](s []T) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// maxName matches package gatewayapi: below the 63 characters that many
// implementations need for names they derive from an object's.
const maxName = 63

// Fit shortens a name beyond 63 characters, keeping it unique with a hash
// of the full name, exactly as package gatewayapi names routes.
func Fit(name string) string {
	name = strings.Trim(strings.ToLower(name), "-.")
	if len(name) <= maxName {
		return name
	}
	sum := sha256.Sum256([]byte(name))
	return strings.TrimRight(name[:maxName-9], "-.") + "-" + hex.EncodeToString(sum[:])[:8]
}
