package ingressnginx

import (
	"fmt"
	"slices"
	"strings"

	netv1 "k8s.io/api/networking/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/routeshift/routeshift/internal/annotations"
	"github.com/routeshift/routeshift/internal/finding"
	"github.com/routeshift/routeshift/internal/load"
	"github.com/routeshift/routeshift/internal/parallel"
)

// Options describe how the ingress-nginx controller was configured.
type Options struct {
	// ClassNames are the ingress classes the controller served.
	ClassNames []string
	// IncludeUnclassed: the controller also served Ingresses with no class
	// (it was the default class, or ran with --watch-ingress-without-class).
	IncludeUnclassed bool
	// AnnotationsPrefix is the controller's --annotations-prefix.
	AnnotationsPrefix string
	// AccessCarried: the implementation maps IP access control (allow and
	// deny lines) to its policies, so a configuration-snippet's allow and
	// deny lines can be triaged; standard Gateway API has none.
	AccessCarried bool
	// LaxPathType is the ConfigMap's strict-validate-path-type turned off:
	// Exact and Prefix paths may hold any character.
	LaxPathType bool
	// NoSSLRedirect is the ConfigMap's ssl-redirect turned off: the
	// default of the ssl-redirect annotation becomes false.
	NoSSLRedirect bool
	// MaxRisk is the ConfigMap's annotations-risk-level (zero: High, the
	// default since v1.12): an annotation of a higher risk makes the
	// controller refuse the Ingress (controller.go in this package).
	MaxRisk annotations.Risk
	// AllowSnippets is the ConfigMap's allow-snippet-annotations: without
	// it the controller drops snippets, and so does the conversion.
	AllowSnippets bool
	// NoAnnotationValidation is --enable-annotation-validation=false (the
	// default before v1.12): redirect values with nginx variables are
	// served, not refused.
	NoAnnotationValidation bool
}

const (
	apiV1          = "networking.k8s.io/v1"
	classAnnotaton = "kubernetes.io/ingress.class"
	acmePrefix     = "/.well-known/acme-challenge"
)

// Build models what the controller serves for objs. Findings report every
// Ingress that is skipped, broken or resolved in a surprising way.
func Build(objs []*load.Object, opt Options) (*Model, finding.List) {
	b := &builder{opt: opt, services: map[string]*load.Object{}, servers: map[string]*Server{}, configMaps: map[string]map[string]string{}}
	b.model.prefix = b.prefix()
	for _, o := range objs {
		switch {
		case o.Kind() == "Service" && o.APIVersion() == "v1":
			b.services[o.Namespace()+"/"+o.Name()] = o
		case o.Kind() == "ConfigMap" && o.APIVersion() == "v1":
			b.configMaps[o.Namespace()+"/"+o.Name()] = configMapData(o)
		}
	}
	b.decoded = decodeAll(objs)
	b.readIngresses(objs)
	for _, ing := range b.model.Ingresses {
		if ing.inScope && ing.Spec != nil && !ing.Served {
			b.checkBackends(ing)
		}
	}
	served := b.servedInOrder()
	for _, ing := range served {
		b.addCatchAll(ing)
		b.addRules(ing)
	}
	for _, ing := range served {
		b.addTLS(ing)
	}
	b.finish(served)
	return &b.model, b.findings
}

type builder struct {
	opt      Options
	model    Model
	findings finding.List
	services map[string]*load.Object
	servers  map[string]*Server
	// decoded are the v1 Ingresses and the ports of the v1 Services,
	// decoded up front in parallel.
	decoded map[*load.Object]decoded
	// configMaps are the data of the input's ConfigMaps, for custom-headers.
	configMaps map[string]map[string]string
	// undated is true when some served Ingress has no creationTimestamp, so
	// conflict winners depend on creation order in the cluster.
	undated bool
}

func (b *builder) prefix() string {
	if b.opt.AnnotationsPrefix != "" {
		return b.opt.AnnotationsPrefix
	}
	return "nginx.ingress.kubernetes.io"
}

// annotation returns the value of an ingress-nginx annotation by its short name.
func (b *builder) annotation(ing *Ingress, name string) (string, bool) {
	// The key is built on the stack: a lookup with a converted []byte
	// does not allocate, and every Ingress looks up dozens of names.
	var buf [128]byte
	key := append(append(append(buf[:0], b.prefix()...), '/'), name...)
	v, ok := ing.Spec.Annotations[string(key)]
	return v, ok
}

// readIngresses reads every Ingress of objs into the model, in input
// order, on every core: reading one (its class, validation, annotations)
// needs nothing from the others, and was most of building the model, on
// one core. Each is read by a copy of the builder that shares its maps,
// which readIngress only reads, and gathers its own findings; they are
// put together in input order, as reading one after the other did.
func (b *builder) readIngresses(objs []*load.Object) {
	var todo []*load.Object
	for _, o := range objs {
		if o.Kind() == "Ingress" {
			todo = append(todo, o)
		}
	}
	read := make([]*Ingress, len(todo))
	found := make([]finding.List, len(todo))
	parallel.For(len(todo), func(i int) {
		one := &builder{opt: b.opt, services: b.services, configMaps: b.configMaps, decoded: b.decoded}
		one.model.prefix = b.model.prefix
		read[i] = one.readIngress(todo[i])
		found[i] = one.findings
	})
	b.model.Ingresses = append(b.model.Ingresses, read...)
	for _, f := range found {
		b.findings = append(b.findings, f...)
	}
}

func (b *builder) readIngress(o *load.Object) *Ingress {
	ing := &Ingress{Object: o, Namespace: o.Namespace(), Name: o.Name()}
	class, hasClass := o.Annotation(classAnnotaton), o.Annotation(classAnnotaton) != ""
	if !hasClass {
		class = specClassName(o)
	}
	ing.Class = class
	if class == "" {
		if !b.opt.IncludeUnclassed {
			b.findings.Infof(o, "spec.ingressClassName", "not converted: the Ingress has no class and includeUnclassed is false")
			return ing
		}
	} else if !slices.Contains(b.opt.ClassNames, class) {
		b.findings.Infof(o, "spec.ingressClassName", "not converted: ingress class %q is not one of %v", class, b.opt.ClassNames)
		return ing
	}
	if o.APIVersion() != apiV1 && !oldAPIVersions[o.APIVersion()] {
		b.findings.Infof(o, "apiVersion", "not converted: kind Ingress of unknown API %s", o.APIVersion())
		return ing
	}
	ing.inScope = true
	d := b.decoded[o]
	spec, err := d.spec, d.err
	if err != nil {
		b.findings.Errorf(o, "", "not converted: %v", err)
		return ing
	}
	ing.Spec = spec
	if oldAPIVersions[o.APIVersion()] {
		b.findings.Warnf(o, "apiVersion", "%s Ingress: converted as the API server converted it to %s (serviceName/servicePort become service.name and port, a missing pathType is ImplementationSpecific, spec.backend is spec.defaultBackend); the manifest itself needs updating to %s, since Kubernetes 1.22 and later refuse it as it is",
			o.APIVersion(), apiV1, apiV1)
	}
	if class == "" {
		ing.Class, ing.ClassAssumed = b.defaultClass(), true
		b.findings.Infof(o, "spec.ingressClassName", "the Ingress has no class; converted as ingress-nginx's default class %q", ing.Class)
	}
	ing.Created = spec.CreationTimestamp.Time
	// An Ingress with errors is still parsed: its annotations' fates and
	// every error they hold are reported in the same run as the errors
	// that keep it from being served, not one fix at a time.
	ing.Served = b.validate(ing)
	ing.Canary = b.boolAnnotation(ing, "canary", false)
	ing.SSLRedirect = b.boolAnnotation(ing, "ssl-redirect", !b.opt.NoSSLRedirect)
	ing.ForceSSLRedirect = b.boolAnnotation(ing, "force-ssl-redirect", false)
	b.parseSettings(ing)
	return ing
}

// InScope reports whether the Ingress is one the controller would serve
// but for its errors: of a watched class, in a known API version. Its
// annotations are accounted for even when it fails.
func (ing *Ingress) InScope() bool { return ing.inScope }

// boolAnnotation parses like the controller (strconv.ParseBool); an invalid
// value falls back to the default, as the controller does, with a warning.
func (b *builder) boolAnnotation(ing *Ingress, name string, def bool) bool {
	v, ok := b.annotation(ing, name)
	if !ok {
		return def
	}
	switch strings.ToLower(v) {
	case "1", "t", "true":
		return true
	case "0", "f", "false":
		return false
	}
	ing.Note(name, Approximated, "value %q is not a boolean; ingress-nginx uses the default %v, and so does the conversion", clip(v), def)
	return def
}

// validate checks what the API server and the controller's path inspector
// check, so that an Ingress the cluster would reject is not converted.
func (b *builder) validate(ing *Ingress) bool {
	ok := true
	bad := func(field, format string, args ...any) {
		b.findings.Errorf(ing.Object, field, "not converted: "+format, args...)
		ok = false
	}
	// The API server rejects these; generated names are built from them.
	if errs := validation.IsDNS1123Subdomain(ing.Name); len(errs) > 0 {
		bad("metadata.name", "name %q is not a valid object name", clip(ing.Name))
	}
	if ing.Namespace != "" && len(validation.IsDNS1123Label(ing.Namespace)) > 0 {
		bad("metadata.namespace", "namespace %q is not a valid namespace name", clip(ing.Namespace))
	}
	for i, r := range ing.Spec.Spec.Rules {
		f := fmt.Sprintf("spec.rules[%d]", i)
		if r.Host != "" {
			if msg := validHost(r.Host); msg != "" {
				bad(f+".host", "host %q %s", clip(r.Host), msg)
			}
		}
		if r.HTTP == nil {
			continue
		}
		for j, p := range r.HTTP.Paths {
			pf := fmt.Sprintf("%s.http.paths[%d]", f, j)
			if p.PathType == nil {
				// The API server rejects a missing pathType; ingress-nginx
				// would treat it as Prefix. Say so rather than guess silently.
				b.findings.Warnf(ing.Object, pf+".pathType", "pathType is missing (the API server requires it); treated as Prefix like ingress-nginx")
			} else if t := *p.PathType; t != netv1.PathTypeExact && t != netv1.PathTypePrefix && t != netv1.PathTypeImplementationSpecific {
				bad(pf+".pathType", "unknown pathType %q", clip(string(t)))
			}
			if p.Path != "" && !strings.HasPrefix(p.Path, "/") {
				bad(pf+".path", "path %q must start with /", clip(p.Path))
			}
			if !b.opt.LaxPathType && p.PathType != nil && *p.PathType != netv1.PathTypeImplementationSpecific && !strictPath(p.Path) {
				bad(pf+".path", "path %q has characters ingress-nginx rejects for pathType %s (strict-validate-path-type)", clip(p.Path), *p.PathType)
			}
			if msg := validBackend(p.Backend); msg != "" {
				bad(pf+".backend", "%s", msg)
			}
		}
	}
	if db := ing.Spec.Spec.DefaultBackend; db != nil {
		if msg := validBackend(*db); msg != "" {
			bad("spec.defaultBackend", "%s", msg)
		}
	}
	b.validateAnnotations(ing, bad)
	for i, t := range ing.Spec.Spec.TLS {
		for j, h := range t.Hosts {
			if msg := validHost(h); msg != "" {
				bad(fmt.Sprintf("spec.tls[%d].hosts[%d]", i, j), "TLS host %q %s", clip(h), msg)
			}
		}
	}
	return ok
}

func validHost(h string) string {
	name := strings.TrimPrefix(h, "*.")
	if strings.Contains(name, "*") {
		return "has a wildcard that is not the whole first label"
	}
	if errs := validation.IsDNS1123Subdomain(name); len(errs) > 0 {
		return "is not a valid DNS name (lowercase letters, digits, '-' and '.'; no scheme, port or path)"
	}
	return ""
}

// strictPath is ingress-nginx's strict-validate-path-type check for Exact
// and Prefix paths: (?i)^/[[:alnum:]._\-/]*$.
func strictPath(p string) bool {
	if p == "" {
		return true
	}
	if p[0] != '/' {
		return false
	}
	for _, c := range p {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("._-/", c)) {
			return false
		}
	}
	return true
}

func validBackend(be netv1.IngressBackend) string {
	switch {
	case be.Service != nil && be.Resource != nil:
		return "backend has both service and resource"
	case be.Service == nil && be.Resource == nil:
		return "backend names no service"
	case be.Service != nil && be.Service.Name == "":
		return "backend service has no name"
	case be.Service != nil && be.Service.Port.Name == "" && be.Service.Port.Number == 0:
		return fmt.Sprintf("backend service %q has no port", clip(be.Service.Name))
	case be.Service != nil && be.Service.Port.Name != "" && be.Service.Port.Number != 0:
		return fmt.Sprintf("backend service %q has both port name and number", clip(be.Service.Name))
	case be.Service != nil && (be.Service.Port.Number < 0 || be.Service.Port.Number > 65535):
		return fmt.Sprintf("backend service %q port %d is out of range", clip(be.Service.Name), be.Service.Port.Number)
	}
	return ""
}

// checkBackends resolves the backends of an Ingress that is not served
// because of other errors, only to report the ones that would fail too.
func (b *builder) checkBackends(ing *Ingress) {
	check := func(be netv1.IngressBackend, field string) {
		if validBackend(be) == "" {
			b.backend(ing, be, field)
		}
	}
	if db := ing.Spec.Spec.DefaultBackend; db != nil {
		check(*db, "spec.defaultBackend")
	}
	for i, r := range ing.Spec.Spec.Rules {
		if r.HTTP == nil {
			continue
		}
		for j, p := range r.HTTP.Paths {
			check(p.Backend, fmt.Sprintf("spec.rules[%d].http.paths[%d].backend", i, j))
		}
	}
}

// servedInOrder returns the served Ingresses in the controller's order:
// oldest first, ties by namespace/name descending (store.go sortIngressSlice).
func (b *builder) servedInOrder() []*Ingress {
	var out []*Ingress
	for _, ing := range b.model.Ingresses {
		if ing.Served {
			out = append(out, ing)
			if ing.Created.IsZero() {
				b.undated = true
			}
		}
	}
	// The controller compares namespace/name as one string; each is made
	// once, not at every comparison (a large run sorts tens of thousands).
	type keyed struct {
		ing *Ingress
		key string
	}
	ks := make([]keyed, len(out))
	for i, ing := range out {
		ks[i] = keyed{ing, ing.Namespace + "/" + ing.Name}
	}
	slices.SortStableFunc(ks, func(x, y keyed) int {
		a, c := x.ing, y.ing
		// An Ingress without creationTimestamp does not exist yet: it will
		// be created when the manifest is applied, after every dated one.
		switch {
		case a.Created.IsZero() != c.Created.IsZero():
			if !a.Created.IsZero() {
				return -1
			}
			return 1
		case !a.Created.Equal(c.Created):
			return a.Created.Compare(c.Created)
		}
		return strings.Compare(y.key, x.key) // descending
	})
	for i, k := range ks {
		out[i] = k.ing
	}
	return out
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}

func (b *builder) defaultClass() string {
	if len(b.opt.ClassNames) > 0 {
		return b.opt.ClassNames[0]
	}
	return "nginx"
}

// configMapData reads a ConfigMap's string data; anything else is left out.
func configMapData(o *load.Object) map[string]string {
	out := map[string]string{}
	n := load.Lookup(o.Node, "data")
	if n == nil {
		return out
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if v := n.Content[i+1]; v.Kind == yaml.ScalarNode {
			out[n.Content[i].Value] = v.Value
		}
	}
	return out
}
