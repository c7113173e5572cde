package nginx

import (
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/routeshift/routeshift/internal/proof/internal/kube"
	"github.com/routeshift/routeshift/internal/proof/routing"
	networkingv1 "k8s.io/api/networking/v1"
)

// Options says which Ingresses the modelled controller serves.
type Options struct {
	// Classes are the ingress class names the controller serves; empty
	// means ["nginx"].
	Classes []string
	// ExcludeUnclassed drops Ingresses without a class. By default they are
	// served, as by a controller that is the cluster's default class.
	ExcludeUnclassed bool
	// Prefix is the controller's --annotations-prefix; empty means
	// nginx.ingress.kubernetes.io.
	Prefix string
	// Profile is the controller's routing-relevant configuration; the
	// zero value is the last release's defaults.
	Profile Profile
}

// ingress is one served Ingress with its parsed annotations.
type ingress struct {
	obj      *kube.Object
	ns, name string
	created  time.Time
	dated    bool
	spec     networkingv1.IngressSpec
	set      settings
}

func (i *ingress) ref() string { return i.ns + "/" + i.name }

// location is one nginx location block, after updateServerLocations.
type location struct {
	ing *ingress
	// ingressPath is the path as the Ingress wrote it; path is the nginx
	// location string (a Prefix path normalised to end in "/").
	ingressPath string
	path        string
	exact       bool   // "= path"
	pathType    string // as the Ingress meant it: Exact or Prefix
	defBackend  bool   // the implicit root location of a server
	backend     routing.Backend
	hasBackend  bool           // false: the controller's default backend (404)
	re          *regexp.Regexp // regex mode: (?i)^path
	reErr       error          // a pattern Go cannot compile
	rewriteRe   *regexp.Regexp
	rewriteErr  error
}

// server is one nginx server block: a host, or "_" for the catch-all.
type server struct {
	host      string
	creator   *ingress // the first Ingress of the host: server-level settings
	locations []*location
	regex     bool
	index     *locIndex
	// byPath is the first location of each Ingress path, while Ingresses
	// add theirs (firstWithPath).
	byPath  map[string]*location
	tls     bool
	appRoot string
	// appRootBy is the Ingress whose app-root the server took.
	appRootBy *ingress
	// redirectTo is set on the twin server from-to-www-redirect creates:
	// every request is redirected to that host; redirectBy is the Ingress
	// with the annotation, which the outcome's rule names.
	redirectTo string
	redirectBy *ingress
}

// Model is the ingress-nginx evaluator built from a set of objects.
type Model struct {
	exact     map[string]*server
	wildcard  map[string]*server // "*.example.com" keyed by "example.com"
	catchAll  *server
	canaries  map[string]*canary // keyed by the primary upstream
	points    []routing.Point
	ingresses int
	// verdict says, for every Ingress of a served class, "" when it is
	// served, else why the API server or the controller refuses it.
	verdict map[*kube.Object]string
	// snippets are the served Ingresses whose snippets are in effect (the
	// profile allows them), for UsesSnippets.
	snippets map[*kube.Object]bool
}

// Build models what ingress-nginx serves for the Ingresses among objs,
// resolving named ports through the Services among them. An Ingress that
// does not decode is an error naming it; an Ingress of another class is
// left out.
func Build(objs []*kube.Object, opts Options) (*Model, error) {
	if opts.Prefix == "" {
		opts.Prefix = "nginx.ingress.kubernetes.io"
	}
	if len(opts.Classes) == 0 {
		opts.Classes = []string{"nginx"}
	}
	ports := servicePorts(objs)
	verdict := map[*kube.Object]string{}
	snippets := map[*kube.Object]bool{}
	var ings []*ingress
	for _, o := range objs {
		if o.Kind() != "Ingress" || !ingressVersions[o.APIVersion()] {
			continue
		}
		in, strict, err := decodeIngress(o)
		if err != nil {
			if !servedClass(o, opts) {
				continue // another controller's Ingress: not this model's to read
			}
			return nil, err
		}
		if !served(&in, opts) {
			continue
		}
		verdict[o] = opts.Profile.refuses(o, &in, opts.Prefix)
		if strict != nil && verdict[o] == "" {
			verdict[o] = strict.Error() + " (the API server refuses it)"
		}
		if verdict[o] != "" {
			continue
		}
		ing := &ingress{obj: o, ns: kube.Namespace(o), name: in.Name, spec: in.Spec,
			set: parseSettings(in.Annotations, opts.Prefix)}
		opts.Profile.apply(&ing.set, in.Annotations, opts.Prefix)
		if hasSnippet(ing.set.unverifiable) || hasSnippet(ing.set.serverUnverifiable) {
			snippets[o] = true
		}
		if !in.CreationTimestamp.IsZero() {
			ing.created, ing.dated = in.CreationTimestamp.Time, true
		}
		ings = append(ings, ing)
	}
	sortIngresses(ings)
	m := &Model{exact: map[string]*server{}, wildcard: map[string]*server{}, canaries: map[string]*canary{},
		ingresses: len(ings), verdict: verdict, snippets: snippets}
	m.catchAll = &server{host: "_", locations: []*location{{ingressPath: "/", path: "/", pathType: "Prefix", defBackend: true}}}
	var canaryIngs []*ingress
	for _, ing := range ings {
		if ing.set.canary {
			canaryIngs = append(canaryIngs, ing)
			continue
		}
		m.createServers(ing, ports)
	}
	for _, ing := range ings {
		if !ing.set.canary {
			m.addLocations(ing, ports)
		}
	}
	for _, ing := range canaryIngs {
		m.mergeCanary(ing, ports)
	}
	m.addWWWRedirects(ings)
	def, err := opts.Profile.defaultBackend()
	if err != nil {
		return nil, err
	}
	for _, s := range m.servers() {
		if def != nil {
			// --default-backend-service answers what the built-in 404 would.
			for _, l := range s.locations {
				if l.defBackend && !l.hasBackend {
					l.hasBackend, l.backend = true, *def
				}
			}
		}
		s.finish()
	}
	m.collectPoints()
	return m, nil
}

// served is the controller's class filter: the legacy annotation, which
// ingress-nginx checks first and which wins over spec.ingressClassName,
// else spec.ingressClassName, else unclassed.
func served(in *networkingv1.Ingress, opts Options) bool {
	class := in.Annotations["kubernetes.io/ingress.class"]
	if class == "" && in.Spec.IngressClassName != nil {
		class = *in.Spec.IngressClassName
	}
	if class == "" {
		return !opts.ExcludeUnclassed
	}
	for _, c := range opts.Classes {
		if c == class {
			return true
		}
	}
	return false
}

// servedClass is served's class filter on the raw object, for an Ingress
// that does not decode: one of another class is left out rather than
// stopping the model, as the controller never reads it. The class is read
// off the object's JSON as loosely as can be.
func servedClass(o *kube.Object, opts Options) bool {
	var raw struct {
		Metadata struct {
			Annotations map[string]any `json:"annotations"`
		} `json:"metadata"`
		Spec struct {
			IngressClassName any `json:"ingressClassName"`
		} `json:"spec"`
	}
	class := ""
	if data, err := o.JSON(); err == nil && kube.DecodeJSON(o, data, &raw) == nil {
		class, _ = raw.Metadata.Annotations["kubernetes.io/ingress.class"].(string)
		if class == "" {
			class, _ = raw.Spec.IngressClassName.(string)
		}
	}
	if class == "" {
		return !opts.ExcludeUnclassed
	}
	for _, c := range opts.Classes {
		if c == class {
			return true
		}
	}
	return false
}

// sortIngresses is store.go's sortIngressSlice: oldest first, ties by
// namespace/name descending. Ingresses without a creationTimestamp have not
// been created yet, so they are newer than any dated one.
func sortIngresses(ings []*ingress) {
	sort.SliceStable(ings, func(i, j int) bool {
		a, b := ings[i], ings[j]
		if a.dated != b.dated {
			return a.dated
		}
		if !a.created.Equal(b.created) {
			return a.created.Before(b.created)
		}
		return a.ref() > b.ref()
	})
}

func (m *Model) servers() []*server {
	out := []*server{m.catchAll}
	for _, s := range m.exact {
		out = append(out, s)
	}
	for _, s := range m.wildcard {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].host < out[j].host })
	return out
}

func (m *Model) server(host string) *server {
	if host == "" {
		return m.catchAll
	}
	host = strings.ToLower(host)
	if suffix, ok := strings.CutPrefix(host, "*."); ok {
		return m.wildcard[suffix]
	}
	return m.exact[host]
}

// createServers follows the controller's createServers: the first Ingress
// of a host creates its server, whose root location goes to that Ingress's
// spec.defaultBackend (or the controller's 404) and carries its
// annotations; a rule-less Ingress with a defaultBackend takes over the
// catch-all server's root, first one wins.
func (m *Model) createServers(ing *ingress, ports servicePortIndex) {
	var def *routing.Backend
	if db := ing.spec.DefaultBackend; db != nil && db.Service != nil {
		b := ports.backend(ing.ns, db.Service)
		def = &b
	}
	if def != nil && len(ing.spec.Rules) == 0 {
		root := m.catchAll.locations[0]
		if root.defBackend && !root.hasBackend {
			root.hasBackend, root.backend, root.ing = true, *def, ing
		}
	}
	for _, rule := range ing.spec.Rules {
		if rule.Host == "" || m.server(rule.Host) != nil {
			continue
		}
		host := strings.ToLower(rule.Host)
		s := &server{host: host, creator: ing,
			locations: []*location{{ing: ing, ingressPath: "/", path: "/", pathType: "Prefix", defBackend: true}}}
		if def != nil {
			s.locations[0].hasBackend, s.locations[0].backend = true, *def
		}
		if suffix, ok := strings.CutPrefix(host, "*."); ok {
			m.wildcard[suffix] = s
		} else {
			m.exact[host] = s
		}
	}
	// extractTLSSecretName: a server has a certificate when an Ingress with
	// a rule for the host lists the host in its own spec.tls.
	for _, rule := range ing.spec.Rules {
		s := m.server(rule.Host)
		if s == nil || s == m.catchAll {
			continue
		}
		for _, t := range ing.spec.TLS {
			for _, h := range t.Hosts {
				if strings.EqualFold(h, rule.Host) {
					s.tls = true
				}
			}
		}
	}
	for _, rule := range ing.spec.Rules {
		if s := m.server(rule.Host); s != nil && s.appRoot == "" && ing.set.appRoot != "" {
			s.appRoot, s.appRootBy = ing.set.appRoot, ing
		}
	}
}

// addLocations adds the Ingress's paths to their servers. A path whose path
// and pathType an older Ingress already configured is dropped; the check
// stops at the first location with the same path, as the controller's does.
// A Prefix "/" replaces the implicit root of the server.
func (m *Model) addLocations(ing *ingress, ports servicePortIndex) {
	for _, rule := range ing.spec.Rules {
		if rule.HTTP == nil {
			continue
		}
		s := m.server(rule.Host)
		if s == nil {
			continue
		}
		for _, p := range rule.HTTP.Paths {
			if p.Backend.Service == nil {
				continue // resource backends are ignored by ingress-nginx
			}
			path := p.Path
			if path == "" {
				path = "/"
			}
			exact := p.PathType != nil && *p.PathType == networkingv1.PathTypeExact
			b := ports.backend(ing.ns, p.Backend.Service)
			add := true
			if l := s.firstWithPath(path); l != nil && l.exact == exact {
				if l.defBackend {
					l.defBackend, l.hasBackend, l.backend, l.ing = false, true, b, ing
				}
				add = false
			}
			if add {
				l := &location{ing: ing, ingressPath: path, path: path,
					exact: exact, pathType: pathType(exact), backend: b, hasBackend: true}
				s.locations = append(s.locations, l)
				if _, ok := s.byPath[path]; !ok {
					s.byPath[path] = l
				}
			}
		}
	}
}

// firstWithPath is the first location with the Ingress path, where the
// controller's duplicate check stops.
func (s *server) firstWithPath(path string) *location {
	if s.byPath == nil {
		s.byPath = map[string]*location{}
		for _, l := range s.locations {
			if _, ok := s.byPath[l.ingressPath]; !ok {
				s.byPath[l.ingressPath] = l
			}
		}
	}
	return s.byPath[path]
}

// finish is updateServerLocations plus the regex decision: per-host regex
// mode when any location needs it, Prefix paths normalised to "P/" with an
// added "= P", and the location order of controller.go.
func (s *server) finish() {
	for _, l := range s.locations {
		// The implicit root carries its creator's annotations too; the
		// catch-all's does not take over rewrite settings.
		if l.ing != nil && !(s.host == "_" && l.defBackend) && l.ing.set.regexMode(l.ingressPath) {
			s.regex = true
		}
	}
	exacts := map[string]bool{}
	for _, l := range s.locations {
		if l.exact {
			exacts[l.ingressPath] = true
		}
	}
	var out []*location
	for _, l := range s.locations {
		if l.ingressPath == "/" || l.exact || (l.ing != nil && l.ing.set.regexMode(l.ingressPath)) {
			out = append(out, l)
			continue
		}
		norm := l.ingressPath
		if !strings.HasSuffix(norm, "/") {
			norm += "/"
		}
		if exacts[l.ingressPath] {
			l.path = norm
			out = append(out, l)
			continue
		}
		el := *l
		el.exact = true
		l.path = norm
		out = append(out, l, &el)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].path > out[j].path })
	sort.SliceStable(out, func(i, j int) bool { return len(out[i].path) > len(out[j].path) })
	for _, l := range out {
		if s.regex {
			l.re, l.reErr = regexp.Compile("(?i)^" + l.path)
		}
		if l.ing != nil && l.ing.set.needsRewrite(l.ingressPath) {
			l.rewriteRe, l.rewriteErr = regexp.Compile("(?i)" + l.path)
		}
	}
	s.locations = out
	s.byPath = nil
	s.buildIndex()
}

func pathType(exact bool) string {
	if exact {
		return "Exact"
	}
	return "Prefix"
}

// addWWWRedirects creates the redirect servers of from-to-www-redirect: for
// a host of an Ingress with the annotation, its twin (www. added or removed)
// answers every request with a redirect to the host, unless the twin is a
// server of its own.
func (m *Model) addWWWRedirects(ings []*ingress) {
	for _, ing := range ings {
		if ing.set.canary || !ing.set.fromToWWW {
			continue
		}
		for _, rule := range ing.spec.Rules {
			host := strings.ToLower(rule.Host)
			if host == "" || strings.HasPrefix(host, "*.") {
				continue
			}
			twin := "www." + host
			if t, ok := strings.CutPrefix(host, "www."); ok {
				twin = t
			}
			if m.server(twin) != nil {
				continue
			}
			src := m.server(host)
			m.exact[twin] = &server{host: twin, creator: src.creator, tls: src.tls, redirectTo: host, redirectBy: ing,
				locations: []*location{{ingressPath: "/", path: "/", pathType: "Prefix", defBackend: true}}}
		}
	}
}
