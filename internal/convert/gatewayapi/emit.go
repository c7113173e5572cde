package gatewayapi

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"

	gwv1 "sigs.k8s.io/gateway-api/apis/v1"

	"github.com/routeshift/routeshift/internal/convert/ingressnginx"
	"github.com/routeshift/routeshift/internal/finding"
	"github.com/routeshift/routeshift/internal/load"
	"github.com/routeshift/routeshift/internal/parallel"
)

// Object is one generated Gateway API object.
type Object struct {
	Kind, Namespace, Name string
	// Source is the Ingress the object belongs with: the only one for a
	// route, the first (in input order) for shared Gateways and grants.
	Source *ingressnginx.Ingress
	// Value is the typed object (*gatewayv1.HTTPRoute, *gatewayv1.Gateway,
	// *gatewayv1beta1.ReferenceGrant).
	Value any
}

// Result is what Emit generated. Failed holds the Ingresses that could not
// be converted (with an error finding each); nothing is generated for them.
type Result struct {
	Objects []*Object
	Failed  map[*ingressnginx.Ingress]bool
}

// Emit generates Gateway API objects for every convertible Ingress of m.
// skip marks Ingresses that already failed elsewhere. existing are the
// input's Gateway objects, used to check the listeners routes attach to.
func Emit(m *ingressnginx.Model, targets []*Target, existing []*load.Object, skip func(*ingressnginx.Ingress) bool) (*Result, finding.List) {
	return EmitWith(m, targets, existing, skip, Options{})
}

// Options are what an implementation adds to the standard objects.
type Options struct {
	// RegexRewrite, when set, makes rewrites exact with the
	// implementation's regex path rewrite filter (an ExtensionRef): every
	// path of a host in regex mode stays a RegularExpression match.
	RegexRewrite RegexRewriter
	// Implementation is spec.implementation ("standard" or a vendor): it
	// is named in messages, and warnings that depend on how the
	// implementation routes (shadow.go) name what it does.
	Implementation string
}

// EmitWith is Emit with an implementation's options.
func EmitWith(m *ingressnginx.Model, targets []*Target, existing []*load.Object, skip func(*ingressnginx.Ingress) bool, opts Options) (*Result, finding.List) {
	e := &emitter{
		opts:     opts,
		model:    m,
		targets:  targets,
		existing: readGateways(existing),
		failed:   map[*ingressnginx.Ingress]bool{},
		names:    names{},
		skip:     skip,

		warnedUnnamespaced: map[*gatewayPlan]bool{},
	}
	e.reserveListenerSets(existing)
	e.plan()
	e.buildEntries()
	e.checkExisting()
	gws := e.layoutGateways()
	var out []*Object
	for _, g := range e.groups {
		if !e.failed[g.ing] && g.routes() {
			out = append(out, e.routes(g, gws)...)
			out = append(out, e.wwwRoute(g, gws)...)
		}
	}
	out = append(out, e.extFilters()...)
	out = append(out, e.backendTLS()...)
	out = append(out, e.passthrough(gws)...)
	out = append(out, e.gateways(gws)...)
	e.fallThrough()
	e.mixedProtocols()
	return &Result{Objects: out, Failed: e.failed}, e.findings
}

type emitter struct {
	opts     Options
	model    *ingressnginx.Model
	targets  []*Target
	existing map[string]*existingGateway
	failed   map[*ingressnginx.Ingress]bool
	names    names
	skip     func(*ingressnginx.Ingress) bool
	findings finding.List
	groups   []*group
	// warnedUnnamespaced keeps the unnamespaced-route warning to one per Gateway.
	warnedUnnamespaced map[*gatewayPlan]bool
}

// group is the part of one server that one Ingress defines: the unit that
// becomes an HTTPRoute (or two, when the HTTP and HTTPS sides differ).
type group struct {
	ing       *ingressnginx.Ingress
	server    *ingressnginx.Server
	target    *Target
	locations []*ingressnginx.Location
	// ext is the implementation's regex rewrite, nil without one.
	ext RegexRewriter
	// sides are the entries of the HTTPS (0) and HTTP (1) sides, once
	// built (see entries).
	sides [2][]entry
	built [2]bool
}

// buildEntries builds the entries of both sides of every group on all
// cores: the groups are final once planned, each side depends only on its
// group and the model, and building them was most of emitting.
func (e *emitter) buildEntries() {
	parallel.For(len(e.groups), func(i int) {
		e.groups[i].entries(true)
		e.groups[i].entries(false)
	})
}

func (e *emitter) fail(ing *ingressnginx.Ingress, field, format string, args ...any) {
	e.failed[ing] = true
	e.findings.Errorf(ing.Object, field, "not converted: "+format, args...)
}

// plan groups locations by Ingress and host, picks each group's target and
// rejects what Gateway API cannot hold, before anything is generated, so
// that an Ingress is converted completely or not at all.
func (e *emitter) plan() {
	index := map[string]*group{}
	for _, s := range e.model.Servers {
		for _, l := range s.Locations {
			ing := l.Ingress
			if !ing.Served || ing.Canary || (e.skip != nil && e.skip(ing)) {
				continue
			}
			key := fmt.Sprintf("%p/%s", ing, s.Host)
			g := index[key]
			if g == nil {
				g = &group{ing: ing, server: s, target: pick(e.targets, s.Host, ing), ext: e.opts.RegexRewrite}
				index[key] = g
				e.groups = append(e.groups, g)
				if g.target == nil {
					e.fail(ing, "spec.rules", "no gateway target matches host %q (namespace %q, class %q); add one to spec.gateways", s.Host, ing.Namespace, ing.Class)
				}
			}
			if msg := locationPath(s, l, e.opts.RegexRewrite != nil); msg != "" {
				e.fail(ing, l.Field+".path", "path %q %s", clip(l.Path), msg)
			}
			g.locations = append(g.locations, l)
			if len(g.locations) == 1 {
				for _, why := range ing.Settings.Unconvertible {
					e.fail(ing, "metadata.annotations", "%s", why)
				}
			}
		}
	}
	for _, ing := range e.model.Ingresses {
		if e.skip != nil && e.skip(ing) {
			e.failed[ing] = true
		}
	}
	slices.SortStableFunc(e.groups, func(a, b *group) int {
		return cmp.Or(strings.Compare(a.ing.Namespace, b.ing.Namespace), strings.Compare(a.ing.Name, b.ing.Name),
			strings.Compare(a.server.Host, b.server.Host))
	})
	for _, g := range e.groups {
		// A failed group is checked too: every error and difference of
		// an Ingress is reported in one run, not one fix at a time.
		if g.target != nil {
			e.checkGroup(g)
		}
	}
}

// checkGroup reports what the generated routes will differ in, and what an
// attach-mode target cannot do without section names.
func (e *emitter) checkGroup(g *group) {
	host := g.server.Host
	if len(host) > 1 && host[0] == '*' {
		e.findings.Warnf(g.ing.Object, "spec.rules", "approximated: wildcard host %q matches exactly one label in ingress-nginx but any number of labels in Gateway API (a.b%s is routed on the Gateway, 404 before)", host, host[1:])
	}
	for _, l := range g.locations {
		if l.PathType == ingressnginx.Prefix && len(l.Path) > 1 && l.Path[len(l.Path)-1] == '/' {
			e.findings.Warnf(g.ing.Object, l.Field+".path", "approximated: Prefix path %q ends in '/': ingress-nginx does not route %q to it, Gateway API PathPrefix does", l.Path, l.Path[:len(l.Path)-1])
		}
	}
	e.checkAnnotations(g)
	if isGRPC(g.ing) {
		e.checkGRPC(g)
	}
	if !g.target.Create && g.server.TLS != nil && g.split() && (g.target.SectionNames.HTTP == "" || g.target.SectionNames.HTTPS == "") {
		e.fail(g.ing, "spec.tls", "host %q redirects plain HTTP to https but serves HTTPS, and target Gateway %s attaches without both sectionNames.http and sectionNames.https; set them so the redirect rules bind only to the HTTP listener",
			host, g.target.ref())
	}
}

func (t *Target) ref() string {
	if t.Namespace == "" {
		return t.Name
	}
	return t.Namespace + "/" + t.Name
}

// routes reports whether the group generates any rule at all; a group
// whose only location is an implicit "/" without backend generates none.
func (g *group) routes() bool {
	return len(g.entries(true)) > 0 || g.server.TLS != nil && len(g.entries(false)) > 0
}

// split reports whether the host's HTTP side routes differently from its
// HTTPS side (some location redirects to https).
func (g *group) split() bool {
	a, b := g.entries(true), g.entries(false)
	if len(a) != len(b) {
		return true
	}
	for i := range a {
		if a[i].act.key != b[i].act.key {
			return true
		}
	}
	return false
}

// locationPath returns why a location's path cannot be matched on the
// Gateway, or "".
func locationPath(s *ingressnginx.Server, l *ingressnginx.Location, ext bool) string {
	m := pathMatch(s, l, ext)
	if *m.Type != gwv1.PathMatchRegularExpression {
		return gatewayPath(*m.Value)
	}
	if len(*m.Value) > 1024 {
		return "is longer than Gateway API's 1024 characters"
	}
	if _, err := regexp.Compile(*m.Value); err != nil {
		return fmt.Sprintf("does not compile as an RE2 regular expression (ingress-nginx uses PCRE): %v", err)
	}
	return ""
}

// gatewayPath returns why a path cannot be an Exact/PathPrefix value of
// Gateway API (the CRD's CEL rules), or "".
func gatewayPath(p string) string {
	switch {
	case len(p) > 1024:
		return "is longer than Gateway API's 1024 characters"
	case !validPathChars(p):
		return "has characters Gateway API paths cannot hold (regular-expression paths are not translated yet)"
	case strings.Contains(p, "//"), strings.Contains(p, "/./"), strings.Contains(p, "/../"), strings.HasSuffix(p, "/.."), strings.HasSuffix(p, "/."):
		return "has '//' or dot segments, which Gateway API rejects"
	case strings.Contains(p, "%2f"), strings.Contains(p, "%2F"):
		return "has an encoded '/', which Gateway API rejects"
	}
	return ""
}

// validPathChars is the CRD's ^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})+$.
func validPathChars(p string) bool {
	if p == "" || p[0] != '/' {
		return false
	}
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == '%':
			if i+2 >= len(p) || !isHex(p[i+1]) || !isHex(p[i+2]) {
				return false
			}
			i += 2
		case strings.IndexByte("-/._~!$&'()*+,;=:@", c) >= 0:
		default:
			return false
		}
	}
	return true
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}
