package inventory

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/routeshift/routeshift/internal/annotations"
	"github.com/routeshift/routeshift/internal/convert/features"
	"github.com/routeshift/routeshift/internal/convert/ingressnginx"
	"github.com/routeshift/routeshift/internal/finding"
	"github.com/routeshift/routeshift/internal/load"
	"github.com/routeshift/routeshift/internal/support"
)

// Options are the settings of the migration the inventory plans: the
// functionConfig's scope, and the implementations to classify for.
type Options struct {
	// ClassNames, IncludeUnclassed and AnnotationsPrefix describe the
	// ingress-nginx controller, as in spec.ingressClassNames,
	// spec.includeUnclassed and spec.annotationsPrefix.
	ClassNames        []string
	IncludeUnclassed  bool
	AnnotationsPrefix string
	// Implementations are spec.implementation values (support.Implementations);
	// the first is the primary one. None means standard.
	Implementations []string
	// Releases are the releases implementations are classified at
	// (spec.implementationVersion, for the implementation it belongs to);
	// an implementation not in it is taken at its newest release.
	Releases map[string]*features.Release
	// UnsafeReviewed is spec.unsafeAnnotations: warning; unsafe annotations
	// then make an Ingress complex rather than blocked.
	UnsafeReviewed bool
	// Now, Version and Inputs only label the report (Report.GeneratedAt,
	// RouteshiftVersion, Inputs); the caller sets them, so that the same
	// options give the same bytes (the goldens fix them).
	Now     time.Time
	Version string
	Inputs  []string
}

// removedAPIVersions are the Ingress versions Kubernetes 1.22 removed.
var removedAPIVersions = map[string]bool{"extensions/v1beta1": true, "networking.k8s.io/v1beta1": true}

// builder carries what every step needs: the options, the model, the
// support matrix by annotation name and the findings of each object.
type builder struct {
	opt      Options
	prefix   string
	model    *ingressnginx.Model
	servers  map[string]*ingressnginx.Server
	matrix   map[string]support.Row
	findings map[*load.Object][]finding.Finding
	entries  []*entry
}

// entry is one Ingress while the report is built.
type entry struct {
	m   *ingressnginx.Ingress
	out Ingress
	// tlsHosts are the hosts its spec.tls lists; hostPaths its paths per host.
	tlsHosts  []string
	hostPaths map[string]int
	// extra are the reasons that do not depend on the implementation.
	extra []Reason
}

// Build makes the report for objs. It fails only for an implementation
// name routeshift does not know; anything wrong in the manifests is part
// of the report.
func Build(objs []*load.Object, opt Options) (*Report, error) {
	impls, err := implementations(opt.Implementations)
	if err != nil {
		return nil, err
	}
	opt.Implementations = impls
	b := &builder{opt: opt, prefix: opt.AnnotationsPrefix, servers: map[string]*ingressnginx.Server{},
		matrix: map[string]support.Row{}, findings: map[*load.Object][]finding.Finding{}}
	if b.prefix == "" {
		b.prefix = annotations.DefaultPrefix
	}
	model, findings := ingressnginx.Build(objs, ingressnginx.Options{
		ClassNames: opt.ClassNames, IncludeUnclassed: opt.IncludeUnclassed, AnnotationsPrefix: b.prefix,
		// Snippets' allow and deny lines are triaged here; classify
		// takes them back on the standard implementation.
		AccessCarried: true,
		// The inventory has no controller profile yet: it takes the
		// Ingresses as served by a controller that let their snippets and
		// redirect values in (annotations-risk-level Critical, snippets
		// allowed, no annotation validation), so that each is classified
		// by what it asks for rather than refused.
		MaxRisk: annotations.Critical, AllowSnippets: true, NoAnnotationValidation: true})
	b.model = model
	for _, s := range model.Servers {
		b.servers[s.Host] = s
	}
	for _, f := range findings {
		if f.Object != nil {
			b.findings[f.Object] = append(b.findings[f.Object], f)
		}
	}
	for _, row := range support.MatrixFor(opt.Releases) {
		b.matrix[row.Entry.Name] = row
	}
	for _, m := range model.Ingresses {
		b.entries = append(b.entries, b.read(m))
	}
	sort.SliceStable(b.entries, func(i, j int) bool {
		a, c := b.entries[i].out, b.entries[j].out
		if a.Namespace != c.Namespace {
			return a.Namespace < c.Namespace
		}
		return a.Name < c.Name
	})

	rep := &Report{
		RouteshiftVersion: opt.Version, Inputs: nonNil(slices.Clone(opt.Inputs)),
		Implementations: impls,
		Scope: Scope{IngressClassNames: nonNil(opt.ClassNames), IncludeUnclassed: opt.IncludeUnclassed,
			AnnotationsPrefix: b.prefix, UnsafeReviewed: opt.UnsafeReviewed},
	}
	if !opt.Now.IsZero() {
		rep.GeneratedAt = opt.Now.UTC().Format(time.RFC3339)
	}
	b.care(objs)
	conflicts := b.conflicts()
	for _, e := range b.entries {
		if !e.out.InScope {
			continue
		}
		e.extra = append(e.extra, b.conditions(e)...)
		e.extra = append(e.extra, conflicts.reasons[e.m]...)
		for _, impl := range impls {
			e.out.Classifications = append(e.out.Classifications, b.classify(e, impl))
		}
	}
	for _, e := range b.entries {
		rep.Ingresses = append(rep.Ingresses, e.out)
	}
	rep.Conflicts = conflicts.list
	b.summarise(rep)
	rep.Plans = plans(rep, b.entries)
	return rep, nil
}

// implementations checks the names and drops repeats, keeping the order.
func implementations(names []string) ([]string, error) {
	if len(names) == 0 {
		return []string{"standard"}, nil
	}
	var out []string
	for _, n := range names {
		if !slices.Contains(support.Implementations, n) {
			return nil, fmt.Errorf("unknown implementation %q (want one of %s)", n, strings.Join(support.Implementations, ", "))
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out, nil
}

// read takes what the report shows from the object itself, so that
// Ingresses the model could not decode (a removed API version, a broken
// field) still show their hosts and annotations.
func (b *builder) read(m *ingressnginx.Ingress) *entry {
	o := m.Object
	e := &entry{m: m, hostPaths: map[string]int{}}
	class := o.Annotation("kubernetes.io/ingress.class")
	if class == "" {
		class = o.Field("spec", "ingressClassName")
	}
	e.out = Ingress{Namespace: o.Namespace(), Name: o.Name(), Source: o.Source.String(), APIVersion: o.APIVersion(),
		Class: class, Hosts: []string{}, Annotations: annotationKeys(o), Classifications: []Classification{}}
	e.out.InScope = m.Served || (class == "" && b.opt.IncludeUnclassed) || (class != "" && slices.Contains(b.opt.ClassNames, class))
	if m.Served {
		e.out.Canary = m.Canary
	} else {
		e.out.Canary = strings.EqualFold(o.Annotation(b.prefix+"/canary"), "true")
	}
	spec := load.Lookup(o.Node, "spec")
	rules := items(load.Lookup(spec, "rules"))
	for _, r := range rules {
		host := load.Lookup(r, "host")
		h := ""
		if host != nil {
			h = host.Value
		}
		n := len(items(load.Lookup(r, "http", "paths")))
		e.hostPaths[h] += n
		e.out.Paths += n
	}
	// A rule-less Ingress with a default backend (spec.backend before v1)
	// is the catch-all: it answers every host nobody else claims.
	if len(rules) == 0 && (load.Lookup(spec, "defaultBackend") != nil || load.Lookup(spec, "backend") != nil) {
		e.hostPaths[""] = 0
	}
	for h := range e.hostPaths {
		e.out.Hosts = append(e.out.Hosts, h)
	}
	sort.Strings(e.out.Hosts)
	for _, t := range items(load.Lookup(spec, "tls")) {
		for _, h := range items(load.Lookup(t, "hosts")) {
			if !slices.Contains(e.tlsHosts, h.Value) {
				e.tlsHosts = append(e.tlsHosts, h.Value)
			}
		}
	}
	e.out.Internal = internal(class, e.out.Hosts)
	return e
}

func annotationKeys(o *load.Object) []string {
	keys := []string{}
	n := load.Lookup(o.Node, "metadata", "annotations")
	if n == nil {
		return keys
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		keys = append(keys, n.Content[i].Value)
	}
	sort.Strings(keys)
	return keys
}

// items are the elements of a sequence node; anything else has none.
func items(n *yaml.Node) []*yaml.Node {
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	return n.Content
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// internalLabels mark a host as internal or non-production: where a
// mistake during the migration costs least.
var internalLabels = map[string]bool{
	"internal": true, "intranet": true, "int": true, "private": true, "priv": true, "corp": true, "lan": true,
	"local": true, "localhost": true, "svc": true, "dev": true, "development": true, "test": true, "testing": true,
	"staging": true, "stage": true, "stg": true, "qa": true, "uat": true, "sandbox": true,
}

// internal: the class names an internal controller, or every host has an
// internal label. The catch-all is never internal: it answers any name.
func internal(class string, hosts []string) bool {
	if strings.Contains(class, "internal") || strings.Contains(class, "private") {
		return true
	}
	if len(hosts) == 0 {
		return false
	}
	for _, h := range hosts {
		if h == "" || !hasInternalLabel(h) {
			return false
		}
	}
	return true
}

func hasInternalLabel(host string) bool {
	for _, label := range strings.Split(host, ".") {
		if internalLabels[label] {
			return true
		}
		// dev-api, api-staging: a marker as a word of the label counts too.
		for _, word := range strings.Split(label, "-") {
			if internalLabels[word] && word != label {
				return true
			}
		}
	}
	return false
}
